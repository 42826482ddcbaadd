#!/bin/bash
# Issue 4, batched subscriptions inbound through fedgate: the Skype for Business-dialect
# partner (ms_peer, bob@partner.test) subscribes to alice and carol of home.test (Prosody) in
# one SUBSCRIBE (Require: adhoclist, categoryList; msrtc-adrl-categorylist+xml). Proves:
#  - the dialog is answered 200 with the first RLMI list piggy-backed (ms-piggyback-first-notify):
#    both resources pending while their users are asked;
#  - alice approves: an RLMI NOTIFY makes her instance active, her presence (note) follows in
#    a BENOTIFY (ms-benotify offered), and so does her next change;
#  - carol (offline, never answers) stays pending; the batch is refreshed in its dialog (200);
#  - un-SUBSCRIBE of the batch (Expires: 0) ends the dialog and cancels both subscriptions.
# Usage: ms_batch.sh PATH/TO/fedgate
set -euo pipefail
FEDGATE="${1:?usage: ms_batch.sh FEDGATE}"
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/ms_env.sh"
ms_env_start "$FEDGATE" ms-batch

xmpp_user alice@home.test alice-pw "$IA_DIR/alice.jsonl" "presence status=alice+here" \
  "wait-subscribe bob@partner.test" "approve bob@partner.test" "sleep 3" \
  "presence show=dnd status=in+a+meeting" "sleep 40"
ia_wait_grep "$IA_DIR/alice.jsonl" '"step": "presence status=alice\+here"' 30 ||
  ia_fail "alice did not log in"

ia_log "bob batch-subscribes to alice and carol: 200 with the RLMI list piggy-backed"
peer '{"cmd": "batch_subscribe", "from": "bob@partner.test", "to": ["alice@home.test", "carol@home.test"]}'
peer_wait '"ev": "response", .*"method": "SUBSCRIBE", "status": 200' 30 "no 200 to the batch"
peer_wait '"presentity": "carol@home.test", .*"state": "pending", "via": "piggyback"' 10 \
  "carol's instance was not pending in the piggy-backed list"
peer_wait '"presentity": "alice@home.test", .*"state": "pending", "via": "piggyback"' 10 \
  "alice's instance was not pending in the piggy-backed list"

ia_log "alice approves: her instance turns active, her note arrives by BENOTIFY, then her change"
peer_wait '"presentity": "alice@home.test", .*"note": "alice here", "state": "active", "via": "benotify"' \
  30 "alice's presence did not reach bob by BENOTIFY"
peer_wait '"presentity": "alice@home.test", .*"note": "in a meeting", "state": "active", "via": "benotify"' \
  30 "alice's change did not reach bob"
grep -q '"ev": "cseq_out_of_order"' "$IA_DIR/peer.jsonl" && ia_fail "NOTIFYs of the batch out of order"

ia_log "refresh of the batch in its dialog, then un-SUBSCRIBE of the whole list"
peer '{"cmd": "refresh", "from": "bob@partner.test", "to": "bob@partner.test"}'
peer_wait_n '"ev": "response", .*"method": "SUBSCRIBE", "status": 200' 2 15 "the batch refresh got no 200"
peer '{"cmd": "unsubscribe", "from": "bob@partner.test", "to": "bob@partner.test"}'
peer_wait '"ev": "unsubscribed", .*"watcher": "bob@partner.test"' 15 "the batch was not ended"
for ((i = 0; i < 100; i++)); do
  gone="$(fg_metric_re 'fedgate_sip_edge_events_total\{kind="watcher_gone"\}')"
  ((gone >= 2)) && break
  sleep 0.2
done
((gone >= 2)) || ia_fail "fedgate cancelled $gone of the 2 listed subscriptions"
peer '{"cmd": "quit"}'
ia_log "PASS ms_batch"
