#!/bin/bash
# Interop test of the SIP edge (issue 4 "SIP edge", issue 6 Case 2 on the SIP side): fedgate
# between Kamailio, the SIP home of the local domain home.test (presence server, registrar;
# a local_domains row with home_protocol sip and home_host = Kamailio's address), and the
# Microsoft-dialect peer ms_peer.py serving the SIP federated domain partner.test. Mutual TLS
# everywhere, split-horizon DNS (the peers' DNS sends partner.test to fedgate, fedgate's DNS
# knows the real partner server). Proves, through the Switchboard (B2BUA through the neutral
# model):
#  - OPTIONS both ways: fedgate's keep-alive OPTIONS reach Kamailio and the partner; the
#    partner's and a home client's OPTIONS (relayed by Kamailio) are answered by fedgate;
#  - page-mode MESSAGE both ways: a home client → Kamailio → fedgate → partner (session mode
#    INVITE carrying the message), and partner → fedgate → Kamailio → the registered client
#    (page mode: Kamailio refuses INVITE with 405, fedgate falls back to MESSAGE);
#  - presence: PUBLISH to Kamailio, then the partner SUBSCRIBEs through fedgate and is NOTIFYed
#    with the published note; the reverse: a home client SUBSCRIBEs (via Kamailio) to a
#    partner user and receives NOTIFYs with the partner's state and its change;
#  - a SUBSCRIBE from a domain that is not federated: 403, Kamailio never asked;
#  - polite blocking: a watcher blocked by the local user is accepted and sees offline;
#  - a peer whose certificate subject is not in tls_peer_subjects is refused, reason logged.
# Usage: sip_edge.sh PATH/TO/fedgate
set -euo pipefail
FEDGATE="${1:?usage: sip_edge.sh FEDGATE}"
HERE="$(cd "$(dirname "$0")" && pwd)"
LIB="$HERE/../lib" REQ="$HERE/../baseline/sip"
source "$LIB/common.sh"; source "$LIB/pki.sh"; source "$LIB/dns.sh"; source "$LIB/kamailio.sh"
source "$LIB/fedgate.sh"; source "$LIB/ms_peer.sh"
source "$HERE/setup.sh"

sip_edge_setup "$FEDGATE" sip-edge

ia_log "OPTIONS: fedgate's keep-alives reach Kamailio (static home route) and the partner (SRV)"
ia_wait_grep "$KAMAILIO_LOG" "REQ OPTIONS sip:$KAM:5061" 20 ||
  ia_fail "no keep-alive OPTIONS from fedgate at Kamailio"
peer_wait '"ev": "request", .*"method": "OPTIONS"' 20 "no keep-alive OPTIONS at the partner"
ia_wait_grep "$FG_LOG" 'sip.edge.peer_status.*up=true' 20 || ia_fail "no peer_up logged"
ia_log "OPTIONS: the partner and a home client (through Kamailio) are answered by fedgate"
peer '{"cmd": "options", "from": "bob@partner.test", "to": "partner.test", "id": "o1"}'
peer_wait '"ev": "response", .*"method": "OPTIONS", "status": 200' 15 "partner's OPTIONS: no 200"
home_send options-out options.sip 200 TARGET=partner.test FROM_DOMAIN=home.test ||
  ia_fail "a home client's OPTIONS to partner.test (via Kamailio) got no 200"

ia_log "a certificate subject not on the allow-list is refused, with the reason logged"
if "$IA_PYTHON" "$LIB/sip_tls.py" send --addr "$FG" --port 5061 --cafile "$CA" \
    --cert "$P/rogue" --server-name fedgate.test --file "$REQ/options.sip" --expect 200 \
    --timeout 5 --set SELF="$SINK:5061" --set TARGET=home.test --set FROM_DOMAIN=rogue.test \
    >"$IA_DIR/rogue.jsonl" 2>&1; then
  ia_fail "fedgate accepted sip.rogue.test, which is not in tls_peer_subjects"
fi
ia_wait_grep "$FG_LOG" 'sip.transport.refused.*subject_not_allowed' 5 ||
  ia_fail "the refusal of sip.rogue.test was not logged with its reason"

ia_log "MESSAGE home → partner: Kamailio relays to fedgate, which opens a session with bob"
home_send message-out message.sip 200 FROM=alice@home.test TO=bob@partner.test \
  BODY="hello bob from the home" || ia_fail "the home client's MESSAGE got no 200"
peer_wait '"ev": "message", .*"text": "hello bob from the home' 15 \
  "bob did not receive the home client's message"

ia_log "MESSAGE partner → home: fedgate → Kamailio (INVITE refused: page mode) → alice's client"
peer '{"cmd": "page", "from": "bob@partner.test", "to": "alice@home.test", "text": "hi alice, page mode"}'
ia_wait_grep "$IA_DIR/sink.jsonl" '"method": "MESSAGE".*hi alice, page mode' 15 ||
  ia_fail "alice's client did not receive bob's page-mode message"
peer '{"cmd": "im", "from": "bob@partner.test", "to": "alice@home.test", "text": "and in session mode"}'
ia_wait_grep "$IA_DIR/sink.jsonl" '"method": "MESSAGE".*and in session mode' 15 ||
  ia_fail "alice's client did not receive bob's session-mode message"

ia_log "presence partner → home user: SUBSCRIBE through fedgate, NOTIFY with the published note"
peer '{"cmd": "subscribe", "from": "bob@partner.test", "to": "carol@home.test", "id": "s1"}'
peer_wait '"ev": "presence", .*"watcher": "bob@partner.test", "presentity": "carol@home.test", .*"note": "In a meeting"' \
  20 "bob did not see carol's published note"
grep -q "REQ SUBSCRIBE sip:carol@home.test from" "$KAMAILIO_LOG" ||
  ia_fail "Kamailio did not see fedgate's SUBSCRIBE for carol"
home_send publish2 publish_modify.sip 200 ENTITY=carol@home.test ETAG="$ETAG" \
  NOTE="Out to lunch" || ia_fail "the second PUBLISH failed"
peer_wait '"ev": "presence", .*"watcher": "bob@partner.test", "presentity": "carol@home.test", .*"note": "Out to lunch"' \
  20 "bob did not see carol's change"

ia_log "presence home user → partner: a SUBSCRIBE via Kamailio, NOTIFYs with bob's state"
peer '{"cmd": "set_state", "user": "bob@partner.test", "availability": 3500, "note": "bob here"}'
home_send subscribe-out subscribe.sip 200 WATCHER=alice@home.test ENTITY=bob@partner.test \
  CONTACT="$SINK:5061" || ia_fail "the home client's SUBSCRIBE to bob got no 200"
ia_wait_grep "$IA_DIR/sink.jsonl" '"method": "NOTIFY".*bob here' 20 ||
  ia_fail "alice's client got no NOTIFY with bob's note"
peer '{"cmd": "set_state", "user": "bob@partner.test", "availability": 6500, "note": "in a call"}'
ia_wait_grep "$IA_DIR/sink.jsonl" '"method": "NOTIFY".*in a call' 20 ||
  ia_fail "alice's client did not see bob's change"

ia_log "a SUBSCRIBE from a domain that is not federated gets 403; Kamailio is never asked"
peer '{"cmd": "subscribe", "from": "eve@stranger.test", "to": "carol@home.test", "id": "s2"}'
peer_wait '"ev": "subscription_failed", .*"status": 403' 15 "eve's SUBSCRIBE was not refused with 403"
ia_wait_grep "$FG_LOG" 'sip.edge.refused.*peer=stranger.test.*reason=domain_not_federated' 5 ||
  ia_fail "the refusal of stranger.test was not logged with its reason"
! grep -q 'eve@stranger.test' "$KAMAILIO_LOG" || ia_fail "Kamailio saw eve's request"

ia_log "polite blocking: dan (blocked by carol) is accepted and sees carol offline"
peer '{"cmd": "subscribe", "from": "dan@partner.test", "to": "carol@home.test", "id": "s3"}'
peer_wait '"ev": "presence", .*"watcher": "dan@partner.test", "presentity": "carol@home.test", "availability": 18500' \
  15 "dan did not get an offline presence for carol"
sleep 2
[[ "$(grep -c "REQ SUBSCRIBE sip:carol@home.test from" "$KAMAILIO_LOG")" -eq 1 ]] ||
  ia_fail "carol's home was asked again for a blocked watcher"
! grep '"ev": "presence"' "$IA_DIR/peer.jsonl" | grep '"watcher": "dan@partner.test"' |
  grep -q '"note": "Out to lunch"' || ia_fail "dan saw carol's real presence"

[[ "$(fg_metric 'fedgate_sip_edge_refusals_total{reason="domain_not_federated"}')" -ge 1 ]] ||
  ia_fail "no refusal metric for stranger.test"
peer '{"cmd": "quit"}'
ia_log "PASS sip edge"
