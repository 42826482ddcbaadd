#!/bin/bash
# End-to-end Case 1 (issue 6): an XMPP deployment gains Microsoft federation. Prosody serves
# the local domain home.test (user alice, a real slixmpp client); the Microsoft-dialect peer
# ms_peer.py serves the Skype for Business partner partner.test (user bob); fedgate sits
# between them (s2s with Prosody, SIP over mutual TLS with the partner). Split-horizon DNS:
# the home's DNS (.53) sends partner.test s2s to fedgate; fedgate's DNS (.54) knows the
# partner's SIP server. Proves:
#  - bob subscribes to alice: alice is asked (pending), approves, bob sees her status text;
#  - alice subscribes to bob and sees his availability and note;
#  - an IM each way: alice → bob opens a session (INVITE with the first message), bob → alice
#    arrives as an XMPP chat message.
# Usage: case1.sh PATH/TO/fedgate
set -euo pipefail
FEDGATE="${1:?usage: case1.sh FEDGATE}"
HERE="$(cd "$(dirname "$0")" && pwd)"
LIB="$HERE/../lib"
source "$LIB/common.sh"; source "$LIB/pki.sh"; source "$LIB/dns.sh"; source "$LIB/prosody.sh"

ia_init e2e-case1
HOME_ADDR="$IA_NET.10" PEER="$IA_NET.40" FG="$IA_NET.50"
P="$IA_DIR/pki" CA="$IA_DIR/pki/ca/ca.crt"
pki_standard "$P" home.test
pki_leaf "$P/ca" "$P/partner" sip.partner.test --dns sip.partner.test --dns partner.test
pki_leaf "$P/ca" "$P/fedgate" fedgate.test --dns fedgate.test --dns sip.fedgate.test \
  --dns partner.test --dns home.test

dns_xmpp_domain partner.test "$FG"
dns_sip_domain fedgate.test "$FG"
dns_start "$IA_DIR/dns-home" "$IA_NET.53"
dns_reset
dns_sip_domain partner.test "$PEER"
dns_start_view "$IA_DIR/dns-fedgate" "$IA_NET.54"

prosody_start "$IA_DIR/prosody" "$HOME_ADDR" home.test "$P/home.test" "$CA" \
  --s2s-auth any --s2s-tls required --user alice:alice-pw || ia_fail "prosody did not start"

mkfifo "$IA_DIR/peer.cmd"
exec 4<>"$IA_DIR/peer.cmd"
"$IA_PYTHON" "$LIB/ms_peer.py" --addr "$PEER" --port 5061 --cert "$P/partner" --cafile "$CA" \
  --gateway "$FG:5061" --gateway-name fedgate.test --fqdn sip.partner.test \
  --user bob@partner.test --lifetime 200 \
  <"$IA_DIR/peer.cmd" >"$IA_DIR/peer.jsonl" 2>"$IA_DIR/peer.log" &
ia_track_pid $!
ia_wait_tcp "$PEER" 5061 10 || ia_fail "the partner peer did not listen"
peer() { printf '%s\n' "$1" >&4; }
peer_wait() { ia_wait_grep "$IA_DIR/peer.jsonl" "$1" "$2" || ia_fail "$3"; }

dir="$IA_DIR/fedgate"
mkdir -p "$dir"
FG_LOG="$dir/fedgate.log"
stop_postmaster() {
  local pidfile="$dir/state/pg/postmaster.pid"
  [[ -f "$pidfile" ]] && kill -INT "$(head -1 "$pidfile")" 2>/dev/null
  return 0
}
ia_on_exit stop_postmaster
"$FEDGATE" run --state-dir "$dir/state" --node-id case1 --node-fqdn fedgate.test \
  --admin-listen "$FG:8280" --admin-token case1-token --sip-tls-listen "$FG:5061" \
  --xmpp-listen "$FG:5269" --tls-cert "$P/fedgate.crt" --tls-key "$P/fedgate.key" \
  --tls-ca "$CA" --dns-server "$IA_NET.54:53" --demo-domain home.test --log-level debug \
  >"$dir/stdout.log" 2>"$FG_LOG" &
ia_track_pid $!
ia_wait_tcp "$FG" 5061 60 || ia_fail "fedgate did not listen on $FG:5061"
CONNINFO="$(grep -o 'db.embedded_started.*conninfo="[^"]*"' "$FG_LOG" | head -1 |
  sed 's/.*conninfo="\([^"]*\)"/\1/')"
[[ -n "$CONNINFO" ]] || ia_fail "no conninfo in the fedgate log"
psql "$CONNINFO" -v ON_ERROR_STOP=1 -qAt -c "
  UPDATE local_domains SET home_host = '$HOME_ADDR', home_port = 5269 WHERE domain = 'home.test';
  INSERT INTO sip_federated_domains (domain, integration) VALUES ('partner.test', 's4b')"
version="$(psql "$CONNINFO" -qAt -c "SELECT version FROM policy_version")"
for ((i = 0; i < 300; i++)); do
  curl -sf -H "Authorization: Bearer case1-token" "http://$FG:8280/api/v1/policy" |
    grep -qE "\"version\": ?$version[,}]" && break
  sleep 0.1
done
((i < 300)) || ia_fail "policy version $version never reached fedgate"

ia_log "alice (XMPP, home.test) and bob (Skype for Business dialect, partner.test) through fedgate"
peer '{"cmd": "set_state", "user": "bob@partner.test", "availability": 3500, "note": "bob here"}'
"$IA_PYTHON" "$LIB/xmpp_client.py" --jid alice@home.test --password alice-pw --host "$HOME_ADDR" \
  --cafile "$CA" --timeout 40 --deadline 120 "presence status=alice+here" \
  "wait-subscribe bob@partner.test" "approve bob@partner.test" "subscribe bob@partner.test" \
  "wait-presence bob@partner.test status=bob+here" "send bob@partner.test hello bob from alice" \
  "wait-message bob@partner.test hi alice from bob" \
  >"$IA_DIR/alice.jsonl" 2>"$IA_DIR/alice.log" &
ALICE=$!
ia_track_pid "$ALICE"
ia_wait_grep "$IA_DIR/alice.jsonl" '"step": "presence status=alice\+here"' 30 ||
  ia_fail "alice did not log in"

ia_log "bob subscribes to alice: she is asked, approves; bob sees her status text"
peer '{"cmd": "subscribe", "from": "bob@partner.test", "to": "alice@home.test"}'
peer_wait '"ev": "presence", .*"watcher": "bob@partner.test", "presentity": "alice@home.test", .*"note": "alice here"' \
  45 "bob did not see alice's presence"

ia_log "alice subscribes to bob and sees his note; an IM each way"
peer_wait '"ev": "message", .*"text": "hello bob from alice"' 60 "bob did not get alice's message"
peer '{"cmd": "im", "from": "bob@partner.test", "to": "alice@home.test", "text": "hi alice from bob"}'
rc=0
wait "$ALICE" || rc=$?
cat "$IA_DIR/alice.jsonl" >&2
((rc == 0)) || ia_fail "alice's client failed ($rc)"
grep -q '"step": "wait-presence bob@partner.test status=bob+here", "ok": true' "$IA_DIR/alice.jsonl" ||
  ia_fail "alice did not see bob's note"
peer '{"cmd": "quit"}'
ia_log "PASS e2e case 1"
