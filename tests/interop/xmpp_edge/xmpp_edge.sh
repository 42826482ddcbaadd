#!/bin/bash
# shellcheck disable=SC2034  # ALICE_STEPS / BOB_STEPS are read by setup.sh's run_pair
# fedgate as the XMPP edge of home.test (Prosody) towards partner.test (ejabberd), with real
# users logged in on both servers (RFC 6121 subscriptions, presence, chat). Scenarios:
#   basic          subscription both ways, presence both ways, a chat message both ways
#   block          alice blocks bob (user_policies): bob sees her offline, his message gets
#                  service-unavailable, carol (not blocked) still sees her and reaches her
#   denied         xmpp_federation_policy default deny: partner.test refused both ways
#   outbound_only  default deny + exception partner.test outbound_only: alice → bob flows,
#                  bob → alice is refused
#   unreachable    a message to a domain whose server does not exist comes back as an error
#   restart        after kill -9 of fedgate and a restart on the same database, bob sees
#                  alice's presence again without anyone re-subscribing or changing presence
#                  (restored subscriptions: fedgate probes the home server for bob)
# Usage: xmpp_edge.sh SCENARIO path/to/fedgate
set -euo pipefail
SCENARIO="${1:?usage: xmpp_edge.sh SCENARIO FEDGATE}"
FEDGATE="${2:?usage: xmpp_edge.sh SCENARIO FEDGATE}"
HERE="$(cd "$(dirname "$0")" && pwd)"
LIB="$HERE/../lib"
source "$LIB/common.sh"; source "$LIB/pki.sh"; source "$LIB/dns.sh"
source "$LIB/prosody.sh"; source "$LIB/ejabberd.sh"; source "$LIB/fedgate.sh"
source "$HERE/setup.sh"

edge_setup "$FEDGATE" "$SCENARIO"

scenario_basic() {
  ALICE_STEPS=(--auto-accept "presence status=alice+here" "subscribe bob@partner.test"
    "wait-presence bob@partner.test status=bob+here" "send bob@partner.test hello bob"
    "wait-message bob@partner.test hello alice")
  BOB_STEPS=("presence show=away status=bob+here" "wait-subscribe alice@home.test"
    "approve alice@home.test" "subscribe alice@home.test"
    "wait-presence alice@home.test status=alice+here" "wait-message alice@home.test hello bob"
    "send alice@home.test hello alice" "sleep 1")
  run_pair
  # Both legs authenticated with certificates, and the subscriptions are in the database.
  must "$PROSODY_LOG" "Accepting SASL EXTERNAL identity from partner.test"
  must "$EJABBERD_LOG" "Accepted inbound s2s EXTERNAL authentication home.test -> partner.test"
  [[ "$(fg_sql "SELECT count(*) FROM subscriptions WHERE state = 'active'")" == 2 ]] ||
    ia_fail "expected 2 active subscriptions in fedgate's database"
  [[ "$(fg_sql "SELECT count(*) FROM outbox WHERE state IN ('accepted', 'delivering')
        AND recipient LIKE '%partner.test%'")" -le 1 ]] || ia_fail "outbox rows unaccounted for"
}

scenario_block() {
  fg_policy "INSERT INTO user_policies (local_user, target, action, scope)
               VALUES ('alice@home.test', 'bob@partner.test', 'block', 'both')"
  # ejabberd passes neither the subscribed answer nor an unavailable presence from a contact
  # it never saw available to the client (it pushes the roster item): "sees offline" is
  # asserted as "no available presence while carol, not blocked, gets alice's".
  ALICE_STEPS=(--auto-accept "presence status=alice+here" "no-message bob@partner.test 20")
  BOB_STEPS=("sleep 2" "subscribe alice@home.test" "send alice@home.test let me in"
    "wait-error alice@home.test condition=service-unavailable" "no-presence alice@home.test 10")
  edge_client carol carol@partner.test carol-pw "$PARTNER_ADDR" "presence" "sleep 2" \
    "subscribe alice@home.test" "wait-presence alice@home.test status=alice+here" \
    "send alice@home.test hi from carol" "sleep 1" &
  local carol=$!; ia_track_pid "$carol"
  run_pair
  local rc=0; wait "$carol" || rc=$?
  cat "$IA_DIR/carol.jsonl" >&2
  [[ $rc -eq 0 ]] || ia_fail "carol failed ($rc): an unblocked partner must see alice"
  grep -q '"body": "hi from carol"' "$IA_DIR/alice.jsonl" || ia_fail "carol's message never reached alice"
  [[ "$(fg_sql "SELECT state FROM subscriptions WHERE watcher = 'bob@partner.test'")" == \
     polite_block ]] || ia_fail "bob's subscription is not stored as a polite block"
  # Polite blocking: Prosody never saw bob's request; the refusal is counted with its reason.
  must_not "$PROSODY_LOG" "bob@partner.test"
  must "$FG_LOG" "reason=user_policy_block"
}

scenario_denied() {
  fg_policy "UPDATE xmpp_federation_policy SET default_action = 'deny'"
  ALICE_STEPS=("presence status=alice+here" "sleep 3" "send bob@partner.test are you there"
    "wait-error bob@partner.test")
  BOB_STEPS=("presence" "subscribe alice@home.test" "wait-error alice@home.test condition=forbidden"
    "send alice@home.test hello" "wait-error alice@home.test condition=forbidden")
  run_pair
  must "$FG_LOG" "im.refused"
  must "$FG_LOG" "subscription.refused"
  must_not "$PROSODY_LOG" "bob@partner.test/"  # nothing from bob reached the home server
}

scenario_outbound_only() {
  fg_policy "UPDATE xmpp_federation_policy SET default_action = 'deny';
               INSERT INTO xmpp_policy_exceptions (pattern, direction)
               VALUES ('partner.test', 'outbound_only')"
  ALICE_STEPS=("presence status=alice+here" "sleep 2" "send bob@partner.test outbound works"
    "no-message bob@partner.test 8")
  BOB_STEPS=("presence" "wait-message alice@home.test outbound works"
    "send alice@home.test inbound refused" "wait-error alice@home.test condition=forbidden")
  run_pair
  must "$FG_LOG" "reason=xmpp_policy_default_deny"
}

scenario_unreachable() {
  ALICE_STEPS=("presence" "send ghost@nowhere.test anyone home"
    "wait-error ghost@nowhere.test condition=remote-server-not-found")
  BOB_STEPS=("presence" "sleep 1")
  run_pair
  must "$FG_LOG" "im.bounced"
  [[ "$(fg_sql "SELECT count(*) FROM outbox WHERE state = 'bounced'")" == 1 ]] ||
    ia_fail "the bounced message is not marked bounced in the outbox"
}

scenario_restart() {
  ALICE_STEPS=(--auto-accept "presence status=alice+here" "subscribe bob@partner.test"
    "wait-presence bob@partner.test status=bob+here" "send bob@partner.test hello bob"
    "no-message bob@partner.test 35")
  BOB_STEPS=("presence status=bob+here" "wait-subscribe alice@home.test"
    "approve alice@home.test" "subscribe alice@home.test"
    "wait-presence alice@home.test status=alice+here" "wait-message alice@home.test hello bob"
    "sleep 2" "forget alice@home.test" "wait-presence alice@home.test status=alice+here")
  edge_client alice alice@home.test alice-pw "$HOME_ADDR" "${ALICE_STEPS[@]}" &
  local alice=$!; ia_track_pid "$alice"
  edge_client bob bob@partner.test bob-pw "$PARTNER_ADDR" "${BOB_STEPS[@]}" &
  local bob=$!; ia_track_pid "$bob"
  ia_wait_grep "$IA_DIR/bob.jsonl" '"step": "forget alice@home.test"' 60 ||
    ia_fail "bob never reached the restart point"
  fg_kill9
  ia_log "fedgate killed (-9); restarting on the same database"
  fg_start
  local ra=0 rb=0
  wait "$bob" || rb=$?
  wait "$alice" || ra=$?
  cat "$IA_DIR/alice.jsonl" "$IA_DIR/bob.jsonl" >&2
  [[ $rb -eq 0 ]] || ia_fail "bob did not see alice again after the restart ($rb)"
  [[ $ra -eq 0 ]] || ia_fail "alice failed ($ra)"
  must "$FG_LOG" "switchboard.restored"
  grep -q "switchboard.restored.*subscriptions=2" "$FG_LOG" ||
    ia_fail "the restarted node did not restore both subscriptions"
}

"scenario_$SCENARIO"
ia_log "PASS xmpp edge $SCENARIO"
