#!/usr/bin/env bash
# SIP dialogs survive kill -9 (issue 4; issue 6 step 8): the Case 1 deployment of
# tests/interop/e2e_case1 (Prosody home of home.test with alice, the Microsoft-dialect partner
# partner.test with bob, fedgate between them on its embedded PostgreSQL). Subscriptions both
# ways, kill -9 of fedgate, restart on the same state dir; then bob's NOTIFY in the old dialog
# is taken (no 481) and reaches alice, alice's change is NOTIFYed to bob in the old dialog,
# and nobody sends a SUBSCRIBE after the restart (neither bob nor fedgate).
# Usage: sip_restart.sh PATH/TO/fedgate
set -euo pipefail
FEDGATE="${1:?usage: sip_restart.sh FEDGATE}"
HERE="$(cd "$(dirname "$0")" && pwd)"
LIB="$HERE/../lib"
source "$LIB/common.sh"; source "$LIB/pki.sh"; source "$LIB/dns.sh"; source "$LIB/prosody.sh"
source "$LIB/fedgate.sh"; source "$LIB/ms_peer.sh"; source "$LIB/e2e.sh"
source "$HERE/../e2e_case1/setup.sh"

case1_setup "$FEDGATE" sip-restart
peer_do st1 '{"cmd": "set_state", "user": "bob@partner.test", "availability": 3500, "note": "bob here"}'
xc_start alice alice@home.test alice-pw
xc alice "presence status=alice+here"
ia_log "bob subscribes to alice, she approves; alice subscribes to bob"
peer_do su1 '{"cmd": "subscribe", "from": "bob@partner.test", "to": "alice@home.test"}'
xc alice "wait-subscribe bob@partner.test"
xc alice "approve bob@partner.test"
peer_expect ex1 20 '{"ev": "presence", "watcher": "bob@partner.test", "presentity": "alice@home.test", "note": "alice here"}'
xc alice "subscribe bob@partner.test"
xc alice "wait-subscribed bob@partner.test"
xc alice "wait-presence bob@partner.test show= status=bob+here"
e2e_wait_sip_dialogs 2  # both dialogs written (one coalescing interval of 200 ms, then the write)

ia_log "kill -9 of fedgate, restart on the same state dir"
fg_kill9
mark=$(wc -l <"$IA_DIR/peer.jsonl")
fg_start
ia_wait_grep "$FG_LOG" 'sip.edge.dialogs_restored' 30 || ia_fail "fedgate restored no SIP dialogs"
grep 'sip.edge.dialogs_restored' "$FG_LOG" | grep -q 'notifiers=1' ||
  ia_fail "the notifier dialog was not restored: $(grep 'sip.edge.dialogs_restored' "$FG_LOG")"
xc alice "forget bob@partner.test"

ia_log "bob changes: his NOTIFY in the old dialog reaches alice"
peer_do st2 '{"cmd": "set_state", "user": "bob@partner.test", "availability": 13000, "note": "after the restart"}'
xc alice "wait-presence bob@partner.test show=away status=after+the+restart"
ia_log "alice changes: NOTIFYed to bob in the old dialog"
xc alice "presence show=dnd status=alice+after+the+restart"
peer_expect ex2 20 '{"ev": "presence", "watcher": "bob@partner.test", "presentity": "alice@home.test", "availability": 6500, "note": "alice after the restart"}'

after="$(tail -n +"$((mark + 1))" "$IA_DIR/peer.jsonl")"
if grep -E '"ev": "request"' <<<"$after" | grep -q '"method": "SUBSCRIBE"'; then
  ia_fail "fedgate sent a SUBSCRIBE after the restart"
fi
if grep -E '"ev": "resubscribing"' <<<"$after" | grep -q . ||
  grep -E '"ev": "response"' <<<"$after" | grep -q '"method": "SUBSCRIBE"'; then
  ia_fail "bob subscribed again after the restart"
fi
if grep -E '"ev": "response"' <<<"$after" | grep -q '"status": 481'; then
  ia_fail "a NOTIFY got 481 after the restart"
fi
peer '{"cmd": "quit"}'
ia_log "PASS sip_restart"
