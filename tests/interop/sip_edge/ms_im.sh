#!/bin/bash
# Issue 4, session-mode IM through fedgate in both directions (MS-SIPRE): Prosody user alice
# (home.test) and the Skype for Business-dialect partner bob (ms_peer, partner.test). Proves:
#  - bob's first message travels in the INVITE's ms-text-format and the next one as MESSAGE in
#    the dialog; each is answered 200 only once fedgate has accepted it (then alice gets it);
#  - alice's reply goes as MESSAGE in bob's dialog;
#  - a dead dialog on the partner's side (481 to fedgate's MESSAGE): fedgate opens a new
#    session and resends that message in its INVITE, exactly once;
#  - a dead dialog on fedgate's side (481 to bob's MESSAGE): bob recovers with a new INVITE
#    carrying the message, which alice gets exactly once.
# Usage: ms_im.sh PATH/TO/fedgate
set -euo pipefail
FEDGATE="${1:?usage: ms_im.sh FEDGATE}"
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/ms_env.sh"
ms_env_start "$FEDGATE" ms-im
B=bob@partner.test

xmpp_user alice@home.test alice-pw "$IA_DIR/alice.jsonl" "presence status=alice+here" \
  "wait-message $B one in the invite" "wait-message $B two in the dialog" \
  "send $B hello bob" "wait-message $B armed" "send $B after the dead dialog" \
  "wait-message $B recovered" "sleep 3"
ALICE=$XMPP_PID
ia_wait_grep "$IA_DIR/alice.jsonl" '"step": "presence status=alice\+here"' 30 ||
  ia_fail "alice did not log in"

ia_log "bob → alice: the first message in the INVITE, the second in the dialog"
peer '{"cmd": "im", "from": "'$B'", "to": "alice@home.test", "text": "one in the invite"}'
peer_wait '"ev": "delivered", .*"via": "invite", "text": "one in the invite"' 30 \
  "the INVITE's first message was not taken (Supported: ms-text-format)"
peer '{"cmd": "im", "from": "'$B'", "to": "alice@home.test", "text": "two in the dialog"}'
peer_wait '"ev": "delivered", .*"via": "message", "text": "two in the dialog"' 20 \
  "the in-dialog MESSAGE got no 200"

ia_log "alice → bob in bob's dialog"
peer_wait '"ev": "message", .*"mode": "session", "text": "hello bob"' 30 "alice's reply did not arrive"

ia_log "the partner's dialog dies (481): fedgate re-INVITEs with the message, once"
peer '{"cmd": "fail_next_message", "status": 481}'
peer '{"cmd": "im", "from": "'$B'", "to": "alice@home.test", "text": "armed"}'
peer_wait '"ev": "failed_message", .*"status": 481' 30 "fedgate's MESSAGE never met the 481"
peer_wait '"ev": "message", .*"mode": "invite", "text": "after the dead dialog"' 30 \
  "fedgate did not resend the message in a new INVITE"

ia_log "fedgate's dialog is unknown to it (481 to bob): bob recovers with a new INVITE"
peer '{"cmd": "break_session", "from": "'$B'", "to": "alice@home.test"}'
peer '{"cmd": "im", "from": "'$B'", "to": "alice@home.test", "text": "recovered", "recover": true}'
peer_wait '"ev": "dialog_dead", .*"status": 481' 20 "bob's MESSAGE in the lost dialog got no 481"
peer_wait '"ev": "delivered", .*"via": "invite", "text": "recovered"' 30 "bob's recovery INVITE failed"
rc=0
wait "$ALICE" || rc=$?
((rc == 0)) || { cat "$IA_DIR/alice.jsonl" >&2; ia_fail "alice's client failed ($rc)"; }
for text in "one in the invite" "two in the dialog" "armed" "recovered"; do
  n="$(grep -c "\"body\": \"$text\"" "$IA_DIR/alice.jsonl" || true)"
  ((n == 1)) || ia_fail "alice got \"$text\" $n times"
done
n="$(grep -c '"text": "after the dead dialog"' "$IA_DIR/peer.jsonl" | tr -d ' ' || true)"
# once refused (failed_message) and once delivered in the new INVITE
((n == 2)) || ia_fail "\"after the dead dialog\" reached bob $n times (want: refused once, then once)"
grep -q '"ev": "im_failed"' "$IA_DIR/peer.jsonl" && ia_fail "a message of bob's failed"
peer '{"cmd": "quit"}'
ia_log "PASS ms_im"
