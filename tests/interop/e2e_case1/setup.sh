# shellcheck shell=bash disable=SC2034  # library: variables are read by the sourcing test
# Shared set-up of the end-to-end Case 1 tests (sourced): an XMPP deployment gains Microsoft
# federation. Prosody (.10) serves the local domain home.test (alice, a real slixmpp client);
# the Microsoft-dialect peer ms_peer.py (.40) serves the Skype for Business partner
# partner.test (bob, carol); fedgate (.50) sits between them (s2s with Prosody, SIP over mutual
# TLS with the partner). Split-horizon DNS: the home's DNS (.53) sends partner.test, ghost.test
# and down.test s2s to fedgate; fedgate's DNS (.54) knows the partner's SIP server, down.test's
# (an address nobody listens on) and nothing of ghost.test. Policy: partner.test, ghost.test
# and down.test are SIP federated (s4b).
# case1_setup FEDGATE NAME: everything up; sets HOME_ADDR, PEER, FG, P, CA and lib/fedgate.sh's
# FG_* (fg_sql, fg_policy, fg_metric, fg_kill9, fg_start talk to this fedgate).

C1_TOKEN=case1-token

case1_setup() {
  local fedgate="$1" name="$2" d
  ia_init "e2e-case1-$name"
  HOME_ADDR="$IA_NET.10" PEER="$IA_NET.40" DOWN="$IA_NET.41" FG="$IA_NET.50"
  P="$IA_DIR/pki" CA="$IA_DIR/pki/ca/ca.crt"
  FG_LOG_LEVEL="${C1_LOG_LEVEL:-debug}"
  # shellcheck disable=SC2086  # C1_FG_ARGS: further options, split on spaces
  fg_configure "$fedgate" "$FG" case1 "$C1_TOKEN" ${C1_FG_ARGS:-}
  pki_standard "$P" home.test
  pki_leaf "$P/ca" "$P/partner" sip.partner.test --dns sip.partner.test --dns partner.test
  pki_leaf "$P/ca" "$P/fedgate" fedgate.test --dns fedgate.test --dns sip.fedgate.test \
    --dns partner.test --dns ghost.test --dns down.test --dns home.test

  for d in partner.test ghost.test down.test; do dns_xmpp_domain "$d" "$FG"; done
  dns_sip_domain fedgate.test "$FG"
  dns_start "$IA_DIR/dns-home" "$IA_NET.53"
  dns_reset
  dns_sip_domain partner.test "$PEER"
  dns_sip_domain down.test "$DOWN"
  dns_start_view "$IA_DIR/dns-fedgate" "$IA_NET.54"

  prosody_start "$IA_DIR/prosody" "$HOME_ADDR" home.test "$P/home.test" "$CA" \
    --s2s-auth any --s2s-tls required --user alice:alice-pw || ia_fail "prosody did not start"
  case1_start_peer
  fg_start
  fg_policy "UPDATE local_domains SET home_host = '$HOME_ADDR', home_port = 5269
               WHERE domain = 'home.test';
             INSERT INTO sip_federated_domains (domain, integration) VALUES
               ('partner.test', 's4b'), ('ghost.test', 's4b'), ('down.test', 's4b')"
}

# case1_start_peer: the partner's Edge (ms_peer.py) with bob and carol, driven through fd 4.
case1_start_peer() {
  # shellcheck disable=SC2086  # C1_PEER_ARGS: further options, split on spaces
  msp_start peer "the partner peer" "$PEER" "$P/partner" sip.partner.test \
    --user bob@partner.test --user carol@partner.test --lifetime 300 ${C1_PEER_ARGS:-}
}

# --- the partner peer (lib/ms_peer.sh): peer JSON (no verdict awaited); peer_do ID JSON
# [SECONDS]: wait for its verdict; peer_expect ID SECONDS FIELDS-JSON: wait for an event.
peer() { msp "$1"; }
peer_do() { msp_do peer "$@"; }
peer_expect() { msp_expect peer "$@"; }

# --- alice on Prosody (lib/common.sh's interactive clients).
xc_start() { ia_xc_start "$1" "$2" "$3" "$HOME_ADDR"; }
xc() { ia_xc "$1" "$2"; }
