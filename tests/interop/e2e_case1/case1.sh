#!/bin/bash
# End-to-end Case 1 (issue 6): an XMPP deployment gains Microsoft federation. Prosody serves the
# local domain home.test (alice, a real slixmpp client); the Microsoft-dialect peer ms_peer.py
# serves the Skype for Business partner partner.test (bob, carol); fedgate sits between them.
# One scenario per CTest case, following the administrators' verification procedure:
#   subscribe_im    1. bob adds alice: she is asked (pending), approves; bob sees her note;
#                   2. alice adds bob and sees his availability and note;
#                   4. an IM each way: the first opens a session (INVITE), later ones reuse it;
#                      the partner closes an idle session (BYE), a new IM opens a new one.
#   states_to_xmpp  3. every Lync availability range arrives mapped as in DESIGN.md's table;
#   states_to_sip   3. every XMPP show arrives as its Lync availability, with the note.
#   block           5. alice blocks bob: he sees her offline, carol still sees her; bob's IMs
#                      are refused.
#   removed         6. partner.test removed from sip_federated_domains (live): nothing more
#                      crosses, either way.
#   errors          7. IMs to a user / domain that does not exist and to a server that is down
#                      come back to the sender as errors.
#   restart         8. kill -9 of fedgate, restart: presence flows again for the existing
#                      subscriptions, nobody re-subscribes.
# Usage: case1.sh SCENARIO PATH/TO/fedgate
set -euo pipefail
SCENARIO="${1:?usage: case1.sh SCENARIO FEDGATE}"
FEDGATE="${2:?usage: case1.sh SCENARIO FEDGATE}"
HERE="$(cd "$(dirname "$0")" && pwd)"
LIB="$HERE/../lib"
source "$LIB/common.sh"; source "$LIB/pki.sh"; source "$LIB/dns.sh"; source "$LIB/prosody.sh"
source "$LIB/fedgate.sh"; source "$LIB/ms_peer.sh"; source "$LIB/e2e.sh"
source "$HERE/setup.sh"
# shellcheck disable=SC2034  # read by lib/e2e.sh
E2E_MSP=peer E2E_SIP=bob@partner.test E2E_XC=alice E2E_XMPP=alice@home.test

# alice_and_bob: steps 1 and 2 (the mutual subscription every scenario starts from).
alice_and_bob() {
  peer_do st1 '{"cmd": "set_state", "user": "bob@partner.test", "availability": 3500, "note": "bob here"}'
  xc_start alice alice@home.test alice-pw
  xc alice "presence status=alice+here"
  ia_log "1. bob adds alice: she is asked (pending), approves; bob sees her note"
  peer_do su1 '{"cmd": "subscribe", "from": "bob@partner.test", "to": "alice@home.test"}'
  xc alice "wait-subscribe bob@partner.test"
  peer_expect ex1 20 '{"ev": "presence", "watcher": "bob@partner.test", "presentity": "alice@home.test", "state": "pending"}'
  xc alice "approve bob@partner.test"
  peer_expect ex2 20 '{"ev": "presence", "watcher": "bob@partner.test", "presentity": "alice@home.test", "availability": 3500, "note": "alice here"}'
  ia_log "2. alice adds bob and sees his availability and note"
  xc alice "subscribe bob@partner.test"
  xc alice "wait-subscribed bob@partner.test"
  xc alice "wait-presence bob@partner.test show= status=bob+here"
}

scenario_subscribe_im() {
  C1_PEER_ARGS="--im-idle 6" case1_setup "$FEDGATE" subscribe-im
  alice_and_bob
  ia_log "4. alice → bob: the first IM opens a session, the second goes in its dialog"
  xc alice "send bob@partner.test hello bob 1"
  peer_expect ex3 20 '{"ev": "message", "from": "alice@home.test", "to": "bob@partner.test", "text": "hello bob 1", "mode": "invite"}'
  xc alice "send bob@partner.test hello bob 2"
  peer_expect ex4 20 '{"ev": "message", "from": "alice@home.test", "text": "hello bob 2", "mode": "session"}'
  ia_log "4. bob → alice in the same session"
  peer_do im1 '{"cmd": "im", "from": "bob@partner.test", "to": "alice@home.test", "text": "hi alice 1"}'
  xc alice "wait-message bob@partner.test hi alice 1"
  peer_expect ex5 10 '{"ev": "delivered", "from": "bob@partner.test", "text": "hi alice 1", "via": "message"}'
  ia_log "4. the partner closes the idle session (BYE); a new IM opens a new one"
  peer_expect ex6 30 '{"ev": "idle_bye", "from": "bob@partner.test", "to": "alice@home.test"}'
  sleep 1
  xc alice "send bob@partner.test after the break"
  peer_expect ex7 20 '{"ev": "message", "from": "alice@home.test", "text": "after the break", "mode": "invite"}'
  [[ "$(fg_metric 'fedgate_switchboard_delivered_total')" -ge 3 ]] ||
    ia_fail "fedgate counted fewer than 3 delivered IMs"
  ia_log "a clean stop as the demo does it: the partner and alice leave first, then fedgate drains"
  peer '{"cmd": "quit"}'
  ia_xc alice "sleep 1"
  fg_stop 20
  ia_wait_grep "$FG_LOG" 'node.stopped' 1 || ia_fail "fedgate did not stop cleanly"
  ! grep -q 'node.drain_timeout' "$FG_LOG" || ia_fail "fedgate's drain timed out: $(grep drain "$FG_LOG")"
}

scenario_states_to_xmpp() {
  case1_setup "$FEDGATE" states-to-xmpp
  alice_and_bob
  e2e_states_to_xmpp
}

scenario_states_to_sip() {
  case1_setup "$FEDGATE" states-to-sip
  alice_and_bob
  e2e_states_to_sip
}

scenario_block() {
  case1_setup "$FEDGATE" block
  alice_and_bob
  peer_do su2 '{"cmd": "subscribe", "from": "carol@partner.test", "to": "alice@home.test"}'
  xc alice "wait-subscribe carol@partner.test"
  xc alice "approve carol@partner.test"
  peer_expect ex8 20 '{"ev": "presence", "watcher": "carol@partner.test", "presentity": "alice@home.test", "note": "alice here"}'
  ia_log "5. alice blocks bob: bob sees her offline, carol still sees her real availability"
  fg_policy "INSERT INTO user_policies (local_user, target, action, scope)
             VALUES ('alice@home.test', 'bob@partner.test', 'block', 'both')"
  xc alice "presence show=dnd status=after+the+block"
  peer_expect ex9 20 '{"ev": "presence", "watcher": "carol@partner.test", "presentity": "alice@home.test", "availability": 6500, "note": "after the block"}'
  peer_expect ex10 20 '{"ev": "presence", "watcher": "bob@partner.test", "presentity": "alice@home.test", "availability": 18500}'
  ! grep '"ev": "presence"' "$IA_DIR/peer.jsonl" | grep '"watcher": "bob@partner.test"' |
    grep -q 'after the block' || ia_fail "bob, blocked, saw alice's real presence"
  ia_log "5. bob's IMs to alice are refused; carol's still arrive"
  peer_do im2 '{"cmd": "im", "from": "bob@partner.test", "to": "alice@home.test", "text": "are you there"}'
  peer_expect ex11 20 '{"ev": "im_failed", "from": "bob@partner.test", "to": "alice@home.test", "text": "are you there"}'
  peer_do im3 '{"cmd": "im", "from": "carol@partner.test", "to": "alice@home.test", "text": "hello from carol"}'
  xc alice "wait-message carol@partner.test hello from carol"
  ! grep -q '"body": "are you there"' "$IA_DIR/alice.jsonl" || ia_fail "bob's IM reached alice"
}

scenario_removed() {
  case1_setup "$FEDGATE" removed
  alice_and_bob
  ia_log "6. partner.test removed from sip_federated_domains while running"
  fg_policy "DELETE FROM sip_federated_domains WHERE domain = 'partner.test'"
  xc alice "forget bob@partner.test"
  xc alice "presence show=away status=alice+after+removal"
  peer_do st2 '{"cmd": "set_state", "user": "bob@partner.test", "availability": 7000, "note": "bob after removal"}'
  xc alice "send bob@partner.test still there"
  xc alice "wait-error bob@partner.test"
  peer_do im4 '{"cmd": "im", "from": "bob@partner.test", "to": "alice@home.test", "text": "hello after removal"}'
  peer_expect ex12 20 '{"ev": "im_failed", "from": "bob@partner.test", "to": "alice@home.test"}'
  xc alice "no-presence bob@partner.test 3"
  ! grep -q '"note": "alice after removal"' "$IA_DIR/peer.jsonl" ||
    ia_fail "bob saw alice's presence after the removal"
  ! grep '"ev": "message"' "$IA_DIR/peer.jsonl" | grep -q 'still there' ||
    ia_fail "alice's IM reached bob after the removal"
  ! grep -q 'hello after removal' "$IA_DIR/alice.jsonl" || ia_fail "bob's IM reached alice"
}

scenario_errors() {
  case1_setup "$FEDGATE" errors
  alice_and_bob
  ia_log "7. IMs to a user / domain that does not exist, and to a server that is down"
  xc alice "send nobody@partner.test hello nobody"
  xc alice "wait-error nobody@partner.test condition=item-not-found"
  xc alice "send someone@ghost.test hello ghost"
  xc alice "wait-error someone@ghost.test"  # no SIP server in DNS: the agent answers 404
  xc alice "send someone@down.test hello down"
  xc alice "wait-error someone@down.test"
  ia_log "7. bob's IM to a user Prosody does not have comes back to him"
  peer_do im5 '{"cmd": "im", "from": "bob@partner.test", "to": "nobody@home.test", "text": "hello nobody"}'
  peer_expect ex13 30 '{"ev": "message", "from": "nobody@home.test", "to": "bob@partner.test", "mode": "page", "text~": "could not be delivered"}'
}

scenario_restart() {
  case1_setup "$FEDGATE" restart
  alice_and_bob
  e2e_restart
}

case "$SCENARIO" in
  subscribe_im) scenario_subscribe_im ;;
  states_to_xmpp) scenario_states_to_xmpp ;;
  states_to_sip) scenario_states_to_sip ;;
  block) scenario_block ;;
  removed) scenario_removed ;;
  errors) scenario_errors ;;
  restart) scenario_restart ;;
  *) ia_fail "unknown scenario $SCENARIO" ;;
esac
peer '{"cmd": "quit"}'
ia_log "PASS e2e case 1 $SCENARIO"
