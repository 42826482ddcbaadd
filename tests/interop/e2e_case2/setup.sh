# shellcheck shell=bash disable=SC2034  # library: variables are read by the sourcing test
# Shared set-up of the end-to-end Case 2 tests (sourced): a SIP deployment gains XMPP
# federation. ms_peer.py (.30) plays the Lync / Skype for Business pool of the local domain
# home.test (users alice and dave); fedgate (.50) reaches it by the local domain's TLS home
# route, and the pool sends everything for other domains to fedgate (--gateway: the static
# route). ejabberd (.20) serves the XMPP partner partner.test (bob and carol, logged in with
# slixmpp). Split-horizon DNS: the partners' DNS (.53) publishes _xmpp-server._tcp.home.test
# → fedgate; fedgate's DNS (.54) knows partner.test, down.test (an address nobody listens on)
# and nothing of ghost.test. Policy: XMPP federation default deny, exceptions (the federated
# list) partner.test, down.test and ghost.test. With C2_PROSODY=1, Prosody (.25) serves a
# second XMPP partner, other.test (user erin), also on the list.
# case2_setup FEDGATE NAME: everything up; sets POOL, EJ, FG, P, CA and lib/fedgate.sh's FG_*
# (fg_sql, fg_policy, fg_metric, fg_kill9, fg_start talk to this fedgate).

C2_TOKEN=case2-token

case2_setup() {
  local fedgate="$1" name="$2"
  ia_init "e2e-case2-$name"
  POOL="$IA_NET.30" EJ="$IA_NET.20" DOWN="$IA_NET.21" FG="$IA_NET.50"
  P="$IA_DIR/pki" CA="$IA_DIR/pki/ca/ca.crt"
  FG_LOG_LEVEL="${C2_LOG_LEVEL:-debug}"
  # shellcheck disable=SC2086  # C2_FG_ARGS: further options, split on spaces
  fg_configure "$fedgate" "$FG" case2 "$C2_TOKEN" ${C2_FG_ARGS:-}
  pki_standard "$P" partner.test other.test
  pki_leaf "$P/ca" "$P/pool" sip.home.test --dns sip.home.test --dns pool.home.test
  pki_leaf "$P/ca" "$P/fedgate" fedgate.test --dns fedgate.test --dns sip.fedgate.test \
    --dns home.test

  dns_xmpp_domain home.test "$FG"
  dns_start "$IA_DIR/dns-partners" "$IA_NET.53"
  dns_reset
  dns_xmpp_domain partner.test "$EJ"
  dns_xmpp_domain down.test "$DOWN"
  dns_xmpp_domain other.test "$IA_NET.25"
  dns_start_view "$IA_DIR/dns-fedgate" "$IA_NET.54"

  ejabberd_start "$IA_DIR/ejabberd" "$EJ" partner.test "$P/partner.test" "$CA" \
    --s2s-auth any --s2s-tls required --user bob:bob-pw --user carol:carol-pw ||
    ia_fail "ejabberd did not start"
  if [[ "${C2_PROSODY:-0}" == 1 ]]; then
    prosody_start "$IA_DIR/prosody" "$IA_NET.25" other.test "$P/other.test" "$CA" \
      --s2s-auth any --s2s-tls required --user erin:erin-pw || ia_fail "prosody did not start"
  fi
  case2_start_pool
  fg_start
  fg_policy "UPDATE local_domains SET home_protocol = 'sip', home_host = '$POOL',
               home_port = 5061, transport = 'tls' WHERE domain = 'home.test';
             UPDATE xmpp_federation_policy SET default_action = 'deny';
             INSERT INTO xmpp_policy_exceptions (pattern) VALUES
               ('partner.test'), ('down.test'), ('ghost.test'), ('other.test')"
}

# case2_start_pool: the home pool (ms_peer.py) with alice and dave, driven through fd 4.
case2_start_pool() {
  # shellcheck disable=SC2086  # C2_POOL_ARGS: further options, split on spaces
  msp_start pool "the home pool" "$POOL" "$P/pool" sip.home.test \
    --user alice@home.test --user dave@home.test --lifetime 300 ${C2_POOL_ARGS:-}
}

# --- the home pool (lib/ms_peer.sh): pool JSON (no verdict awaited); pool_do ID JSON
# [SECONDS]: wait for its verdict; pool_expect ID SECONDS FIELDS-JSON: wait for an event.
pool() { msp "$1"; }
pool_do() { msp_do pool "$@"; }
pool_expect() { msp_expect pool "$@"; }

# --- XMPP partner users on ejabberd (lib/common.sh's interactive clients).
xc_start() { ia_xc_start "$1" "$2" "$3" "$EJ"; }
xc() { ia_xc "$1" "$2"; }
