# shellcheck shell=bash
# Shared set-up of the Microsoft-dialect cases through fedgate (issue 4): Prosody serves the
# local domain home.test (users alice, carol; real slixmpp clients), the Microsoft-dialect
# peer ms_peer.py serves the Skype for Business partner partner.test (user bob), fedgate sits
# between them (s2s with Prosody, SIP over mutual TLS with the partner). Split-horizon DNS as
# in e2e_case1. Source it, then call ms_env_start FEDGATE NAME [ms_peer options...].
# Provides: peer CMD_JSON, peer_wait REGEX SECONDS WHAT, peer_wait_n REGEX N SECONDS WHAT,
# xmpp_user JID PW OUT STEPS..., lib/fedgate.sh's fg_* and FG_*, $IA_DIR, $HOME_ADDR.
HERE="${HERE:?set HERE before sourcing ms_env.sh}"
LIB="$HERE/../lib"
source "$LIB/common.sh"; source "$LIB/pki.sh"; source "$LIB/dns.sh"; source "$LIB/prosody.sh"
source "$LIB/fedgate.sh"; source "$LIB/ms_peer.sh"

ms_env_pki() {
  P="$IA_DIR/pki" CA="$IA_DIR/pki/ca/ca.crt"
  pki_standard "$P" home.test
  pki_leaf "$P/ca" "$P/partner" sip.partner.test --dns sip.partner.test --dns partner.test
  pki_leaf "$P/ca" "$P/fedgate" fedgate.test --dns fedgate.test --dns sip.fedgate.test \
    --dns partner.test --dns home.test
}

ms_env_dns() {
  dns_xmpp_domain partner.test "$FG"
  dns_sip_domain fedgate.test "$FG"
  dns_start "$IA_DIR/dns-home" "$IA_NET.53"
  dns_reset
  dns_sip_domain partner.test "$PEER"
  dns_start_view "$IA_DIR/dns-fedgate" "$IA_NET.54"
}

# ms_env_start FEDGATE NAME [ms_peer options...]
ms_env_start() {
  local fedgate="$1" name="$2"; shift 2
  ia_init "$name"
  HOME_ADDR="$IA_NET.10" PEER="$IA_NET.40" FG="$IA_NET.50"
  fg_configure "$fedgate" "$FG" msenv ms-token
  ms_env_pki
  ms_env_dns
  prosody_start "$IA_DIR/prosody" "$HOME_ADDR" home.test "$P/home.test" "$CA" \
    --s2s-auth any --s2s-tls required --user alice:alice-pw --user carol:carol-pw ||
    ia_fail "prosody did not start"
  msp_start peer "the partner peer" "$PEER" "$P/partner" sip.partner.test \
    --user bob@partner.test --lifetime 150 "$@"
  fg_start
  fg_policy "UPDATE local_domains SET home_host = '$HOME_ADDR', home_port = 5269
             WHERE domain = 'home.test';
             INSERT INTO sip_federated_domains (domain, integration) VALUES ('partner.test', 's4b')"
}

peer() { msp "$1"; }
peer_wait() { msp_wait peer "$@"; }
peer_wait_n() { msp_wait_n peer "$@"; }

# xmpp_user JID PASSWORD OUTFILE STEPS...: a slixmpp client in the background ($XMPP_PID).
xmpp_user() {
  local jid="$1" pw="$2" out="$3"; shift 3
  "$IA_PYTHON" "$LIB/xmpp_client.py" --jid "$jid" --password "$pw" --host "$HOME_ADDR" \
    --cafile "$CA" --timeout 40 --deadline 100 "$@" >"$out" 2>"${out%.jsonl}.log" &
  XMPP_PID=$!
  ia_track_pid "$XMPP_PID"
}
