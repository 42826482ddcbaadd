#!/bin/bash
# End-to-end Case 2 (issue 6): a SIP deployment gains XMPP federation. The Lync / Skype for
# Business pool of home.test (ms_peer.py: alice, dave) federates through fedgate with the
# ejabberd partner partner.test (bob, carol: real slixmpp clients). One scenario per CTest case,
# following the administrators' interdomain-federation verification procedure:
#   subscribe_im  1. bob adds alice: she is asked (pending) and approves; bob sees her;
#                 2. alice adds bob and sees his availability and note;
#                 4. an IM each way: the first opens a session (INVITE), later ones reuse it
#                    (MESSAGE in the dialog); the pool closes an idle session (BYE) and a new
#                    IM opens a new one.
#   states_to_xmpp / states_to_sip
#                 3. every availability state on each side arrives mapped as in DESIGN.md's
#                    state-map table, with the status text.
#   block         5. alice blocks bob: bob sees her offline, carol still sees her real state;
#                    bob's IMs are refused.
#   removed       6. partner.test taken off the federated list (SQL, live): nothing more
#                    reaches it or comes from it, without a restart.
#   errors        7. IMs to a user that does not exist, a domain that does not exist and a
#                    domain whose server is down come back to the sender as errors.
#   second_partner  steps 1, 2 and 4 with a Prosody partner (other.test) beside ejabberd.
#   restart       8. kill -9 of fedgate, restart: presence flows again both ways for the
#                    existing subscriptions (the pool's in its restored SIP dialog),
#                    nobody re-subscribes.
# Usage: case2.sh SCENARIO PATH/TO/fedgate
set -euo pipefail
SCENARIO="${1:?usage: case2.sh SCENARIO FEDGATE}"
FEDGATE="${2:?usage: case2.sh SCENARIO FEDGATE}"
HERE="$(cd "$(dirname "$0")" && pwd)"
LIB="$HERE/../lib"
source "$LIB/common.sh"; source "$LIB/pki.sh"; source "$LIB/dns.sh"; source "$LIB/ejabberd.sh"
source "$LIB/prosody.sh"; source "$LIB/fedgate.sh"; source "$LIB/ms_peer.sh"; source "$LIB/e2e.sh"
source "$HERE/setup.sh"
# shellcheck disable=SC2034  # read by lib/e2e.sh
E2E_MSP=pool E2E_SIP=alice@home.test E2E_XC=bob E2E_XMPP=bob@partner.test

# bob_and_alice: steps 1 and 2 (the mutual subscription every scenario starts from).
bob_and_alice() {
  pool_do st1 '{"cmd": "set_state", "user": "alice@home.test", "availability": 3500, "note": "alice here"}'
  pool_do po1 '{"cmd": "policy", "user": "alice@home.test", "watcher": "bob@partner.test", "state": "pending"}'
  xc_start bob bob@partner.test bob-pw
  xc bob "presence status=bob+here"
  ia_log "1. bob adds alice: she is asked (pending), approves; bob sees her note"
  xc bob "subscribe alice@home.test"
  pool_expect ex1 20 '{"ev": "subscribed", "watcher": "bob@partner.test", "presentity": "alice@home.test", "state": "pending"}'
  xc bob "no-presence alice@home.test 2"
  pool_do ap1 '{"cmd": "approve", "user": "alice@home.test", "watcher": "bob@partner.test"}'
  xc bob "wait-subscribed alice@home.test"
  xc bob "wait-presence alice@home.test show= status=alice+here"
  ia_log "2. alice adds bob: bob is asked, approves; alice sees his availability and note"
  pool_do su1 '{"cmd": "subscribe", "from": "alice@home.test", "to": "bob@partner.test"}'
  xc bob "wait-subscribe alice@home.test"
  xc bob "approve alice@home.test"
  pool_expect ex2 20 '{"ev": "presence", "watcher": "alice@home.test", "presentity": "bob@partner.test", "availability": 3500, "note": "bob here"}'
}

scenario_subscribe_im() {
  C2_POOL_ARGS="--im-idle 6" case2_setup "$FEDGATE" subscribe-im
  bob_and_alice
  ia_log "4. alice → bob: the first IM opens a session, the second goes in its dialog"
  pool_do im1 '{"cmd": "im", "from": "alice@home.test", "to": "bob@partner.test", "text": "hi bob 1"}'
  xc bob "wait-message alice@home.test hi bob 1"
  pool_do im2 '{"cmd": "im", "from": "alice@home.test", "to": "bob@partner.test", "text": "hi bob 2"}'
  xc bob "wait-message alice@home.test hi bob 2"
  pool_expect ex3 10 '{"ev": "delivered", "from": "alice@home.test", "text": "hi bob 1", "via": "invite"}'
  pool_expect ex4 10 '{"ev": "delivered", "from": "alice@home.test", "text": "hi bob 2", "via": "message"}'
  ia_log "4. bob → alice: his replies go in the session alice opened"
  xc bob "send alice@home.test hi alice 1"
  pool_expect ex5 20 '{"ev": "message", "from": "bob@partner.test", "to": "alice@home.test", "text": "hi alice 1"}'
  grep '"ev": "message"' "$IA_DIR/pool.jsonl" | grep '"text": "hi alice 1"' |
    grep -q '"mode": "session"' || ia_fail "bob's reply opened a second dialog"
  xc bob "send alice@home.test hi alice 2"
  pool_expect ex6 20 '{"ev": "message", "from": "bob@partner.test", "text": "hi alice 2", "mode": "session"}'
  ia_log "4. the pool closes the idle session (BYE); a new IM opens a new one"
  pool_expect ex7 30 '{"ev": "idle_bye"}'
  sleep 1
  xc bob "send alice@home.test back again"
  pool_expect ex8 20 '{"ev": "message", "from": "bob@partner.test", "text": "back again", "mode": "invite"}'
  pool_do im3 '{"cmd": "im", "from": "alice@home.test", "to": "bob@partner.test", "text": "welcome back"}'
  xc bob "wait-message alice@home.test welcome back"
  ia_log "4. a home that refuses session mode (INVITE 405) gets page-mode MESSAGEs"
  pool_do by1 '{"cmd": "bye", "from": "alice@home.test", "to": "bob@partner.test"}'
  pool_do op1 '{"cmd": "set_option", "invite_status": 405}'
  sleep 1
  xc bob "send alice@home.test page one"
  pool_expect ex9 20 '{"ev": "message", "from": "bob@partner.test", "text": "page one", "mode": "page"}'
  xc bob "send alice@home.test page two"
  pool_expect ex10 20 '{"ev": "message", "from": "bob@partner.test", "text": "page two", "mode": "page"}'
  [[ "$(fg_metric 'fedgate_switchboard_delivered_total')" -ge 3 ]] ||
    ia_fail "fedgate counted fewer than 3 delivered IMs"
}

scenario_states_to_xmpp() {
  case2_setup "$FEDGATE" states-to-xmpp
  bob_and_alice
  e2e_states_to_xmpp
}

scenario_states_to_sip() {
  case2_setup "$FEDGATE" states-to-sip
  bob_and_alice
  e2e_states_to_sip
}

scenario_block() {
  case2_setup "$FEDGATE" block
  bob_and_alice
  pool_do po2 '{"cmd": "policy", "user": "alice@home.test", "watcher": "carol@partner.test", "state": "active"}'
  xc_start carol carol@partner.test carol-pw
  xc carol "presence status=carol+here"
  xc carol "subscribe alice@home.test"
  xc carol "wait-presence alice@home.test show= status=alice+here"
  ia_log "5. alice blocks bob: bob sees her offline, carol still sees her real availability"
  fg_policy "INSERT INTO user_policies (local_user, target, action, scope)
             VALUES ('alice@home.test', 'bob@partner.test', 'block', 'both')"
  xc bob "forget alice@home.test"
  pool_do st2 '{"cmd": "set_state", "user": "alice@home.test", "availability": 3500, "note": "after the block"}'
  xc carol "wait-presence alice@home.test show= status=after+the+block"
  xc bob "wait-presence alice@home.test type=unavailable"
  ! grep '"event": "presence"' "$IA_DIR/bob.jsonl" | grep -q 'after the block' ||
    ia_fail "bob, blocked, saw alice's real presence"
  ia_log "5. bob's IMs to alice are refused with an error; carol's still arrive"
  xc bob "send alice@home.test are you there"
  xc bob "wait-error alice@home.test"
  xc carol "send alice@home.test hello from carol"
  pool_expect ex9 20 '{"ev": "message", "from": "carol@partner.test", "text": "hello from carol"}'
  ! grep -q '"text": "are you there"' "$IA_DIR/pool.jsonl" || ia_fail "bob's IM reached alice"
  grep -q 'reason=user_policy_block' "$FG_LOG" || ia_fail "no user_policy_block refusal logged"
}

scenario_removed() {
  case2_setup "$FEDGATE" removed
  bob_and_alice
  ia_log "6. partner.test taken off the federated list while running"
  fg_policy "DELETE FROM xmpp_policy_exceptions WHERE pattern = 'partner.test'"
  xc bob "forget alice@home.test"
  pool_do st3 '{"cmd": "set_state", "user": "alice@home.test", "availability": 7000, "note": "after removal"}'
  pool_do im4 '{"cmd": "im", "from": "alice@home.test", "to": "bob@partner.test", "text": "still there?"}'
  xc bob "presence show=away status=bob+after+removal"
  xc bob "send alice@home.test hello after removal"
  xc bob "no-message alice@home.test 4"
  ! grep '"event": "presence"' "$IA_DIR/bob.jsonl" | grep '"from": "alice@home.test' |
    grep -q 'after removal' || ia_fail "bob saw alice's presence after the removal"
  ! grep -q '"note": "bob after removal"' "$IA_DIR/pool.jsonl" ||
    ia_fail "alice saw bob's presence after the removal"
  ! grep -q 'hello after removal' "$IA_DIR/pool.jsonl" || ia_fail "bob's IM reached alice"
  pool_expect ex10 10 '{"ev": "im_failed", "from": "alice@home.test", "to": "bob@partner.test"}'
}

scenario_errors() {
  case2_setup "$FEDGATE" errors
  bob_and_alice
  ia_log "7. IMs to a user / domain that does not exist, and to a server that is down"
  local target condition n=0
  for target in nobody@partner.test:service-unavailable someone@ghost.test:remote-server-not-found \
      someone@down.test:remote-server-not-found; do
    condition="${target#*:}" target="${target%%:*}" n=$((n + 1))
    pool "{\"cmd\": \"im\", \"from\": \"alice@home.test\", \"to\": \"$target\", \"text\": \"hello $target\"}"
    # Accepted (the INVITE's 200), then bounced: a page-mode notice from the recipient.
    pool_expect "er$n" 40 "{\"ev\": \"message\", \"from\": \"$target\", \"to\": \"alice@home.test\", \"mode\": \"page\", \"text~\": \"could not be delivered ($condition)\"}"
  done
  ia_log "7. bob's IM to a user the home pool does not have comes back as an XMPP error"
  xc bob "send nobody@home.test hello nobody"
  xc bob "wait-error nobody@home.test condition=item-not-found"
}

scenario_restart() {
  case2_setup "$FEDGATE" restart
  bob_and_alice
  e2e_restart
}

scenario_second_partner() {
  C2_PROSODY=1 case2_setup "$FEDGATE" second-partner
  bob_and_alice
  ia_log "1, 2. erin (Prosody, other.test) and alice subscribe to each other"
  pool_do po3 '{"cmd": "policy", "user": "alice@home.test", "watcher": "erin@other.test", "state": "active"}'
  ia_xc_start erin erin@other.test erin-pw "$IA_NET.25"
  ia_xc erin "presence show=away status=erin+here"
  ia_xc erin "subscribe alice@home.test"
  ia_xc erin "wait-presence alice@home.test show= status=alice+here"
  pool_do su2 '{"cmd": "subscribe", "from": "alice@home.test", "to": "erin@other.test"}'
  ia_xc erin "wait-subscribe alice@home.test"
  ia_xc erin "approve alice@home.test"
  pool_expect ex11 20 '{"ev": "presence", "watcher": "alice@home.test", "presentity": "erin@other.test", "availability": 15500, "note": "erin here"}'
  ia_log "4. IMs both ways with erin; bob's session with alice is a separate one"
  pool_do im5 '{"cmd": "im", "from": "alice@home.test", "to": "erin@other.test", "text": "hi erin"}'
  ia_xc erin "wait-message alice@home.test hi erin"
  ia_xc erin "send alice@home.test hi alice from erin"
  pool_expect ex12 20 '{"ev": "message", "from": "erin@other.test", "to": "alice@home.test", "text": "hi alice from erin"}'
  xc bob "send alice@home.test and from bob"
  pool_expect ex13 20 '{"ev": "message", "from": "bob@partner.test", "text": "and from bob"}'
}

case "$SCENARIO" in
  subscribe_im) scenario_subscribe_im ;;
  states_to_xmpp) scenario_states_to_xmpp ;;
  states_to_sip) scenario_states_to_sip ;;
  block) scenario_block ;;
  removed) scenario_removed ;;
  errors) scenario_errors ;;
  restart) scenario_restart ;;
  second_partner) scenario_second_partner ;;
  *) ia_fail "unknown scenario $SCENARIO" ;;
esac
pool '{"cmd": "quit"}'
ia_log "PASS e2e case 2 $SCENARIO"
