#!/bin/bash
# Issue 4, typing through fedgate: session-mode typing notifications of the Skype for
# Business-dialect partner (INFO with KeyboardActivity, MESSAGE with application/
# im-iscomposing+xml, RFC 3994) ↔ XEP-0085 chat states of the Prosody user alice, both ways,
# inside the IM session bob opened.
# Usage: ms_typing.sh PATH/TO/fedgate
set -euo pipefail
FEDGATE="${1:?usage: ms_typing.sh FEDGATE}"
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/ms_env.sh"
ms_env_start "$FEDGATE" ms-typing
B=bob@partner.test

"$IA_PYTHON" "$HERE/xmpp_typing.py" --jid alice@home.test --password alice-pw \
  --host "$HOME_ADDR" --cafile "$CA" --timeout 30 --deadline 90 "presence status=alice+here" \
  "wait-message $B hi alice" "wait-state $B composing" "wait-state $B active" \
  "state $B composing" "send $B typed reply" "sleep 3" \
  >"$IA_DIR/alice.jsonl" 2>"$IA_DIR/alice.log" &
ALICE=$!
ia_track_pid "$ALICE"
ia_wait_grep "$IA_DIR/alice.jsonl" '"step": "presence status=alice\+here"' 30 ||
  ia_fail "alice did not log in"

ia_log "bob opens a session, then types (INFO KeyboardActivity) and stops (isComposing idle)"
peer '{"cmd": "im", "from": "'$B'", "to": "alice@home.test", "text": "hi alice"}'
peer_wait '"ev": "delivered", .*"via": "invite", "text": "hi alice"' 30 "bob's session did not open"
peer '{"cmd": "typing", "from": "'$B'", "to": "alice@home.test", "kind": "info", "state": "active"}'
ia_wait_grep "$IA_DIR/alice.jsonl" '"step": "wait-state '$B' composing", "ok": true' 30 ||
  ia_fail "alice saw no <composing/> for bob's INFO"
peer '{"cmd": "typing", "from": "'$B'", "to": "alice@home.test", "kind": "iscomposing", "state": "idle"}'
ia_wait_grep "$IA_DIR/alice.jsonl" '"step": "wait-state '$B' active", "ok": true' 30 ||
  ia_fail "alice saw no <active/> for bob's isComposing idle"

ia_log "alice types: bob gets an isComposing notification in his session, then her message"
peer_wait '"ev": "typing", .*"kind": "iscomposing", "state": "active", "mode": "session"' 30 \
  "bob got no typing notification for alice's <composing/>"
peer_wait '"ev": "message", .*"mode": "session", "text": "typed reply"' 30 "alice's reply did not arrive"
rc=0
wait "$ALICE" || rc=$?
((rc == 0)) || { cat "$IA_DIR/alice.jsonl" >&2; ia_fail "alice's client failed ($rc)"; }
grep -q '"ev": "response", .*"method": "INFO", "status": 200' "$IA_DIR/peer.jsonl" ||
  ia_fail "bob's INFO was not answered 200"
peer '{"cmd": "quit"}'
ia_log "PASS ms_typing"
