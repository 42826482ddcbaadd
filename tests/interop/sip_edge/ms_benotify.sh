#!/bin/bash
# Issue 4, BENOTIFY received through fedgate (MS-SIPRE): alice (Prosody, home.test) subscribes
# to bob (the Skype for Business-dialect partner). fedgate's SUBSCRIBE offers ms-benotify; bob's
# later state change arrives as a BENOTIFY, which fedgate applies (alice sees the new note)
# and never answers (no response reaches the partner).
# Usage: ms_benotify.sh PATH/TO/fedgate
set -euo pipefail
FEDGATE="${1:?usage: ms_benotify.sh FEDGATE}"
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/ms_env.sh"
ms_env_start "$FEDGATE" ms-benotify
B=bob@partner.test

peer '{"cmd": "set_state", "user": "'$B'", "availability": 3500, "note": "bob here"}'
xmpp_user alice@home.test alice-pw "$IA_DIR/alice.jsonl" "presence status=alice+here" \
  "subscribe $B" "wait-presence $B status=bob+here" \
  "wait-presence $B status=bob+via+benotify"
ALICE=$XMPP_PID
ia_log "alice subscribes to bob and sees his note"
ia_wait_grep "$IA_DIR/alice.jsonl" '"step": "wait-presence '$B' status=bob\+here", "ok": true' 45 ||
  ia_fail "alice did not see bob's first presence"
peer_wait '"ev": "subscribed", .*"watcher": "alice@home.test", "presentity": "'$B'"' 5 \
  "the partner saw no subscription"

ia_log "bob's change goes out as a BENOTIFY; alice sees it, nobody answers it"
peer '{"cmd": "set_state", "user": "'$B'", "availability": 6500, "note": "bob via benotify", "benotify": true}'
rc=0
wait "$ALICE" || rc=$?
((rc == 0)) || { cat "$IA_DIR/alice.jsonl" >&2; ia_fail "alice did not see the BENOTIFY's change"; }
n="$(fg_metric_re 'fedgate_sip_agent_requests_total\{.*method="BENOTIFY"')"
((n >= 1)) || ia_fail "fedgate counted no BENOTIFY"
sleep 2
grep -q '"ev": "stray_response", .*"method": "BENOTIFY"' "$IA_DIR/peer.jsonl" &&
  ia_fail "fedgate answered a BENOTIFY"
peer '{"cmd": "quit"}'
ia_log "PASS ms_benotify"
