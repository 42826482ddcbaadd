#!/bin/bash
# Interop test of the SIP agent (issue 4): sip_agent_peer (a SipAgent for fedgate.test on a
# mutual-TLS listener, DNS through c-ares and the harness's unbound) against real Kamailio
# (simple.test, SIMPLE presence server) and sipsak. Over TLS 1.2:
#  - OPTIONS both ways: fedgate → Kamailio located by _sipfederationtls._tcp SRV (one-off and
#    periodic keep-alive, reported up); sipsak →
#    Kamailio → fedgate (relayed by _sips._tcp SRV), and a mutual-TLS peer directly;
#  - page-mode MESSAGE both ways: sipsak → Kamailio → fedgate; fedgate → Kamailio → a
#    registered contact (the harness's mutual-TLS sink);
#  - SUBSCRIBE from fedgate to a Kamailio presentity after a PUBLISH: NOTIFY with the PIDF,
#    then a modified publication NOTIFYed; a SUBSCRIBE to a fedgate presentity relayed by
#    Kamailio (Record-Route): 200, and fedgate's NOTIFY follows the route set back;
#  - a peer whose certificate (same trusted CA) carries a subject not on the allow-list is
#    refused, and the reason is logged.
# Usage: sip_agent_kamailio.sh PATH/TO/sip_agent_peer
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck disable=SC2034  # REQ: read by ia_sip_send and sipsak_req
LIB="$HERE/../lib" REQ="$HERE/../baseline/sip"
PEER_BIN="$1"
source "$LIB/common.sh"; source "$LIB/pki.sh"; source "$LIB/dns.sh"; source "$LIB/kamailio.sh"
source "$LIB/sipsak.sh"

ia_init sip-agent
KAM="$IA_NET.30" SINK="$IA_NET.40" GW="$IA_NET.50"
P="$IA_DIR/pki" CA="$IA_DIR/pki/ca/ca.crt"
pki_ca "$P/ca"
pki_leaf "$P/ca" "$P/kamailio" sip.simple.test --dns sip.simple.test --dns simple.test
pki_leaf "$P/ca" "$P/sink" sip.peer.test --dns sip.peer.test --dns peer.test
pki_leaf "$P/ca" "$P/fedgate" sip.fedgate.test --dns sip.fedgate.test --dns fedgate.test
pki_leaf "$P/ca" "$P/rogue" sip.rogue.test --dns sip.rogue.test  # trusted CA, not allowed

dns_sip_domain simple.test "$KAM"
dns_sip_domain fedgate.test "$GW"
dns_start "$IA_DIR/dns" "$IA_NET.53"
kamailio_start "$IA_DIR/kamailio" "$KAM" simple.test "$P/kamailio" "$CA"

"$IA_PYTHON" "$LIB/sip_tls.py" serve --addr "$SINK" --cafile "$CA" --cert "$P/sink" \
  --lifetime 150 >"$IA_DIR/sink.jsonl" 2>"$IA_DIR/sink.log" &
ia_track_pid $!
ia_wait_tcp "$SINK" 5061 10 || ia_fail "sink did not listen"

# The agent reads commands from a FIFO held open on fd 3 (so it never sees EOF early), inside
# the DNS namespace (as dns_spawn, plus stdin), JSON events and its log going to fedgate.log.
mkfifo "$IA_DIR/cmd"
exec 3<>"$IA_DIR/cmd"
GWLOG="$IA_DIR/fedgate.log"
unshare -m --propagation private -- /bin/bash -c \
  'mount --bind "$0" /etc/resolv.conf && exec "$@"' "$DNS_RESOLV" \
  "$PEER_BIN" --addr "$GW" --port 5061 --domain fedgate.test --cert "$P/fedgate" \
  --cafile "$CA" --allow sip.simple.test --allow sip.peer.test --keepalive simple.test \
  --lifetime 150 \
  <"$IA_DIR/cmd" >"$GWLOG" 2>&1 &
ia_track_pid $!
ia_wait_tcp "$GW" 5061 10 || ia_fail "the agent did not listen"
gw() { printf '%s\n' "$*" >&3; }

# sip_send NAME CERT EXPECT ADDR SERVER_NAME TEMPLATE VAR=VALUE...: mutual TLS, one request.
sip_send() { ia_sip_send "$1" "$4" "$5" "$2" "$3" "$6" "${@:7}"; }
# shellcheck disable=SC2034  # read by ia_sip_send and sipsak_req
IA_SIP_SELF="$SINK:5061"  # the Via / Contact of the requests sent

ia_log "OPTIONS fedgate → Kamailio, located by _sipfederationtls._tcp SRV"
gw options simple.test
ia_wait_grep "$GWLOG" '"cmd":"options","status":200' 15 || ia_fail "no 200 to the agent's OPTIONS"
grep -q "REQ OPTIONS sip:simple.test" "$KAMAILIO_LOG" || ia_fail "Kamailio did not see the OPTIONS"
ia_wait_grep "$GWLOG" '"event":"peer","peer":"simple.test","status":200,"up":true' 10 ||
  ia_fail "the keep-alive OPTIONS did not report Kamailio up"

ia_log "OPTIONS sipsak → Kamailio → fedgate (relayed by _sips._tcp SRV), and directly"
sipsak_req options-gw options.sip TARGET=fedgate.test FROM_DOMAIN=simple.test ||
  { cat "$IA_DIR/options-gw.out" >&2; ia_fail "sipsak OPTIONS via Kamailio did not get 200"; }
grep -q '^Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE, INFO, SUBSCRIBE, NOTIFY' \
  "$IA_DIR/options-gw.out" || ia_fail "the OPTIONS answer has no Allow list"
grep -q '^Supported: .*ms-benotify' "$IA_DIR/options-gw.out" || ia_fail "no Supported list"
sip_send options-direct "$P/sink" 200 "$GW" sip.fedgate.test options.sip TARGET=fedgate.test \
  FROM_DOMAIN=peer.test || { cat "$IA_DIR/options-direct.jsonl" >&2; ia_fail "direct OPTIONS"; }

ia_log "a peer whose certificate subject is not allowed is refused, with the reason logged"
if sip_send options-rogue "$P/rogue" 200 "$GW" sip.fedgate.test options.sip \
    TARGET=fedgate.test FROM_DOMAIN=rogue.test; then
  ia_fail "the agent accepted sip.rogue.test, which is not on the allow-list"
fi
ia_wait_grep "$GWLOG" 'sip.transport.refused.*subject_not_allowed' 5 ||
  ia_fail "the refusal of sip.rogue.test was not logged with its reason"

ia_log "MESSAGE sipsak → Kamailio → fedgate"
sipsak_req message-in message.sip FROM=alice@simple.test TO=bob@fedgate.test \
  BODY="hello fedgate from sipsak" ||
  { cat "$IA_DIR/message-in.out" >&2; ia_fail "sipsak MESSAGE to fedgate did not get 200"; }
ia_wait_grep "$GWLOG" '"event":"message".*"from":"alice@simple.test".*"to":"bob@fedgate.test"' 5 ||
  ia_fail "the agent did not raise the MESSAGE"
grep -q 'hello fedgate from sipsak' "$GWLOG" || ia_fail "the MESSAGE body did not arrive"

ia_log "MESSAGE fedgate → Kamailio → registered contact"
sip_send register "$P/sink" 200 "$KAM" sip.simple.test register.sip USER=bob \
  DOMAIN=simple.test CONTACT="$SINK:5061" || ia_fail "REGISTER failed"
gw message alice@fedgate.test bob@simple.test hello bob from fedgate
ia_wait_grep "$GWLOG" '"cmd":"message","status":200' 15 || ia_fail "the agent's MESSAGE got no 200"
ia_wait_grep "$IA_DIR/sink.jsonl" '"method": "MESSAGE".*hello bob from fedgate' 5 ||
  ia_fail "the agent's MESSAGE did not reach the registered contact"

ia_log "PUBLISH, then SUBSCRIBE from fedgate: NOTIFY with the PIDF, then the change"
sip_send publish "$P/sink" 200 "$KAM" sip.simple.test publish.sip ENTITY=carol@simple.test \
  NOTE="In a meeting" || ia_fail "PUBLISH failed"
gw subscribe alice@fedgate.test carol@simple.test
ia_wait_grep "$GWLOG" '"cmd":"subscribe","ok":true' 15 || ia_fail "the SUBSCRIBE was not accepted"
# JSON keys are sorted: the body comes before "event".
ia_wait_grep "$GWLOG" 'In a meeting.*"event":"notify"' 10 ||
  ia_fail "no NOTIFY with the published note reached the agent"
grep '"event":"notify"' "$GWLOG" | grep -q 'application/pidf+xml' || ia_fail "NOTIFY not PIDF"
ETAG="$(grep -o '"sip-etag": "[^"]*"' "$IA_DIR/publish.jsonl" | head -n 1 | cut -d'"' -f4)"
[[ -n "$ETAG" ]] || ia_fail "PUBLISH 200 carried no SIP-ETag"
sip_send publish2 "$P/sink" 200 "$KAM" sip.simple.test publish_modify.sip \
  ENTITY=carol@simple.test ETAG="$ETAG" NOTE="Out to lunch" || ia_fail "second PUBLISH failed"
ia_wait_grep "$GWLOG" 'Out to lunch.*"event":"notify"' 10 || ia_fail "the change was not NOTIFYed"
ia_log "SUBSCRIBE to a fedgate presentity through Kamailio: 200, NOTIFY back along the route set"
sip_send subscribe-in "$P/sink" 200 "$KAM" sip.simple.test subscribe.sip \
  ENTITY=dave@fedgate.test WATCHER=erin@peer.test CONTACT="erin@$SINK:5061" ||
  { cat "$IA_DIR/subscribe-in.jsonl" >&2; ia_fail "SUBSCRIBE to fedgate was not accepted"; }
ia_wait_grep "$GWLOG" '"event":"subscribe","from":"erin@peer.test","to":"dave@fedgate.test"' 5 ||
  ia_fail "the agent did not raise the SUBSCRIBE"
ia_wait_grep "$IA_DIR/sink.jsonl" '"method": "NOTIFY".*Hello from fedgate' 10 ||
  { cat "$IA_DIR/sink.jsonl" >&2; ia_fail "the agent's NOTIFY did not reach the watcher"; }
grep "Hello from fedgate" "$IA_DIR/sink.jsonl" | grep -q '"subscription-state": "active' ||
  ia_fail "the agent's NOTIFY has no Subscription-State active"
gw quit
ia_log "PASS sip agent kamailio"
