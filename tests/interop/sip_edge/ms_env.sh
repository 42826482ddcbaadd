# shellcheck shell=bash
# Shared set-up of the Microsoft-dialect cases through fedgate (issue 4): Prosody serves the
# local domain home.test (users alice, carol; real slixmpp clients), the Microsoft-dialect
# peer ms_peer.py serves the Skype for Business partner partner.test (user bob), fedgate sits
# between them (s2s with Prosody, SIP over mutual TLS with the partner). Split-horizon DNS as
# in e2e_case1. Source it, then call ms_env_start FEDGATE NAME [ms_peer options...].
# Provides: peer CMD_JSON, peer_wait REGEX SECONDS WHAT, xmpp_user JID PW OUT STEPS...,
# fg_metric NAME_REGEX (the sum of matching samples), $FG_LOG, $IA_DIR, $HOME_ADDR.
HERE="${HERE:?set HERE before sourcing ms_env.sh}"
LIB="$HERE/../lib"
source "$LIB/common.sh"; source "$LIB/pki.sh"; source "$LIB/dns.sh"; source "$LIB/prosody.sh"

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

ms_env_peer() {
  mkfifo "$IA_DIR/peer.cmd"
  exec 4<>"$IA_DIR/peer.cmd"
  "$IA_PYTHON" "$LIB/ms_peer.py" --addr "$PEER" --port 5061 --cert "$P/partner" --cafile "$CA" \
    --gateway "$FG:5061" --gateway-name fedgate.test --fqdn sip.partner.test \
    --user bob@partner.test --lifetime 150 "$@" \
    <"$IA_DIR/peer.cmd" >"$IA_DIR/peer.jsonl" 2>"$IA_DIR/peer.log" &
  ia_track_pid $!
  ia_wait_tcp "$PEER" 5061 10 || ia_fail "the partner peer did not listen"
}

ms_env_fedgate() {
  local fedgate="$1" dir="$IA_DIR/fedgate"
  mkdir -p "$dir"
  FG_LOG="$dir/fedgate.log"
  FG_STATE="$dir/state"
  ia_on_exit ms_env_stop_postmaster
  "$fedgate" run --state-dir "$FG_STATE" --node-id msenv --node-fqdn fedgate.test \
    --admin-listen "$FG:8280" --admin-token ms-token --sip-tls-listen "$FG:5061" \
    --xmpp-listen "$FG:5269" --tls-cert "$P/fedgate.crt" --tls-key "$P/fedgate.key" \
    --tls-ca "$CA" --dns-server "$IA_NET.54:53" --demo-domain home.test --log-level debug \
    >"$dir/stdout.log" 2>"$FG_LOG" &
  ia_track_pid $!
  ia_wait_tcp "$FG" 5061 60 || ia_fail "fedgate did not listen on $FG:5061"
  CONNINFO="$(grep -o 'db.embedded_started.*conninfo="[^"]*"' "$FG_LOG" | head -1 |
    sed 's/.*conninfo="\([^"]*\)"/\1/')"
  [[ -n "$CONNINFO" ]] || ia_fail "no conninfo in the fedgate log"
}

ms_env_stop_postmaster() {
  local pidfile="$FG_STATE/pg/postmaster.pid"
  [[ -f "$pidfile" ]] && kill -INT "$(head -1 "$pidfile")" 2>/dev/null
  return 0
}

ms_env_policy() {
  local version i
  psql "$CONNINFO" -v ON_ERROR_STOP=1 -qAt -c "
    UPDATE local_domains SET home_host = '$HOME_ADDR', home_port = 5269 WHERE domain = 'home.test';
    INSERT INTO sip_federated_domains (domain, integration) VALUES ('partner.test', 's4b')"
  version="$(psql "$CONNINFO" -qAt -c "SELECT version FROM policy_version")"
  for ((i = 0; i < 300; i++)); do
    curl -sf -H "Authorization: Bearer ms-token" "http://$FG:8280/api/v1/policy" |
      grep -qE "\"version\": ?${version}[,}]" && return 0
    sleep 0.1
  done
  ia_fail "policy version $version never reached fedgate"
}

# ms_env_start FEDGATE NAME [ms_peer options...]
ms_env_start() {
  local fedgate="$1" name="$2"; shift 2
  ia_init "$name"
  HOME_ADDR="$IA_NET.10" PEER="$IA_NET.40" FG="$IA_NET.50"
  ms_env_pki
  ms_env_dns
  prosody_start "$IA_DIR/prosody" "$HOME_ADDR" home.test "$P/home.test" "$CA" \
    --s2s-auth any --s2s-tls required --user alice:alice-pw --user carol:carol-pw ||
    ia_fail "prosody did not start"
  ms_env_peer "$@"
  ms_env_fedgate "$fedgate"
  ms_env_policy
}

peer() { printf '%s\n' "$1" >&4; }
peer_wait() { ia_wait_grep "$IA_DIR/peer.jsonl" "$1" "$2" || ia_fail "$3"; }

# xmpp_user JID PASSWORD OUTFILE STEPS...: a slixmpp client in the background ($XMPP_PID).
xmpp_user() {
  local jid="$1" pw="$2" out="$3"; shift 3
  "$IA_PYTHON" "$LIB/xmpp_client.py" --jid "$jid" --password "$pw" --host "$HOME_ADDR" \
    --cafile "$CA" --timeout 40 --deadline 100 "$@" >"$out" 2>"${out%.jsonl}.log" &
  XMPP_PID=$!
  ia_track_pid "$XMPP_PID"
}

# fg_metric REGEX: the sum of the /metrics samples whose line matches REGEX.
fg_metric() {
  curl -sf -H "Authorization: Bearer ms-token" "http://$FG:8280/metrics" | grep -E "$1" | awk '{s += $NF} END {print s + 0}'
}

# peer_wait_n REGEX N SECONDS WHAT: wait until N lines of the peer's events match REGEX.
peer_wait_n() {
  local re="$1" n="$2" secs="$3" i
  for ((i = 0; i < secs * 10; i++)); do
    (($(grep -cE -- "$re" "$IA_DIR/peer.jsonl" 2>/dev/null || true) >= n)) && return 0
    sleep 0.1
  done
  ia_fail "$4"
}
