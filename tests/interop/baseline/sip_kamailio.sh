#!/bin/bash
# Baseline interop test: Kamailio as a SIMPLE presence server and home of simple.test, no
# fedgate. Over TLS 1.2: OPTIONS (RFC 3261 11) and page-mode MESSAGE (RFC 3428) from sipsak,
# routed to a registered contact (a mutual-TLS sink standing in for a peer); mutual TLS
# enforced (no client certificate, or one without clientAuth, is refused); PUBLISH (RFC 3903)
# then SUBSCRIBE (RFC 3856/6665) answered 200 and followed by a NOTIFY carrying the PIDF;
# a MESSAGE for a foreign domain relayed to it by DNS (RFC 3263), where fedgate will sit.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck disable=SC2034  # REQ: read by ia_sip_send and sipsak_req
LIB="$HERE/../lib" REQ="$HERE/sip"
source "$LIB/common.sh"; source "$LIB/pki.sh"; source "$LIB/dns.sh"; source "$LIB/kamailio.sh"
source "$LIB/sipsak.sh"

ia_init sip-kamailio
KAM="$IA_NET.30" PEER="$IA_NET.40"
P="$IA_DIR/pki" CA="$IA_DIR/pki/ca/ca.crt"
pki_ca "$P/ca"
pki_ca "$P/rogue-ca" "untrusted rogue CA"
pki_leaf "$P/ca" "$P/kamailio" sip.simple.test --dns sip.simple.test --dns simple.test
pki_leaf "$P/ca" "$P/peer" sip.peer.test --dns sip.peer.test --dns peer.test
pki_leaf "$P/ca" "$P/serveronly" sip.peer.test --server-only --dns sip.peer.test

dns_sip_domain simple.test "$KAM"
dns_sip_domain peer.test "$PEER"
dns_start "$IA_DIR/dns" "$IA_NET.53"
[[ "$(dns_check _sips._tcp.peer.test SRV)" == "rcode=0 answers=1" ]] || ia_fail "no SRV in test DNS"
kamailio_start "$IA_DIR/kamailio" "$KAM" simple.test "$P/kamailio" "$CA"

"$IA_PYTHON" "$LIB/sip_tls.py" serve --addr "$PEER" --cafile "$CA" --cert "$P/peer" \
  --lifetime 150 >"$IA_DIR/sink.jsonl" 2>"$IA_DIR/sink.log" &
ia_track_pid $!
ia_wait_tcp "$PEER" 5061 10 || ia_fail "sink did not listen"

# sip_send NAME CERT EXPECT TEMPLATE VAR=VALUE...: mutual TLS to Kamailio:5061 (lib/common.sh).
sip_send() { ia_sip_send "$1" "$KAM" sip.simple.test "$2" "$3" "$4" "${@:5}"; }
# shellcheck disable=SC2034  # read by ia_sip_send and sipsak_req
IA_SIP_SELF="$PEER:5061"  # the Via / Contact of the requests sent

ia_log "OPTIONS from sipsak (TLS 1.2, server-authenticated)"
sipsak_req options-sipsak options.sip TARGET=sip.simple.test FROM_DOMAIN=peer.test ||
  { cat "$IA_DIR/options-sipsak.out" >&2; ia_fail "sipsak OPTIONS did not get 200"; }
[[ "$(sipsak_final "$IA_DIR/options-sipsak.out")" == 200 ]] || ia_fail "no 200 from sipsak"
# sipsak really checks the server certificate: against the rogue CA it must give up.
if CA_FOR_SIPSAK="$P/rogue-ca/ca.crt" sipsak_req options-rogue options.sip \
    TARGET=sip.simple.test FROM_DOMAIN=peer.test; then
  ia_fail "sipsak accepted a server certificate from an untrusted CA"
fi
grep -q 'not trustworthy' "$IA_DIR/options-rogue.out" || ia_fail "sipsak gave no reason"

ia_log "OPTIONS over mutual TLS; refused without clientAuth EKU"
sip_send options-mtls "$P/peer" 200 options.sip TARGET=sip.simple.test FROM_DOMAIN=peer.test ||
  { cat "$IA_DIR/options-mtls.jsonl" >&2; ia_fail "mutual-TLS OPTIONS did not get 200"; }
grep -q '"version": "TLSv1.2"' "$IA_DIR/options-mtls.jsonl" || ia_fail "not TLS 1.2"
if sip_send options-nocert "" 200 options.sip TARGET=sip.simple.test FROM_DOMAIN=peer.test; then
  ia_fail "Kamailio accepted a client without a certificate on the mutual-TLS port"
fi
if sip_send options-srvonly "$P/serveronly" 200 options.sip TARGET=sip.simple.test \
    FROM_DOMAIN=peer.test; then
  ia_fail "Kamailio accepted a serverAuth-only client certificate"
fi

ia_wait_grep "$KAMAILIO_LOG" 'peer did not return a certificate' 5 ||
  ia_fail "Kamailio did not log why the certificate-less client was refused"
ia_wait_grep "$KAMAILIO_LOG" 'certificate verify failed' 5 ||
  ia_fail "Kamailio did not log why the serverAuth-only client was refused"

ia_log "REGISTER bob with the sink as contact; MESSAGE from sipsak reaches the sink"
sip_send register "$P/peer" 200 register.sip USER=bob DOMAIN=simple.test CONTACT="$PEER:5061" ||
  { cat "$IA_DIR/register.jsonl" >&2; ia_fail "REGISTER failed"; }
sipsak_req message-sipsak message.sip FROM=alice@peer.test TO=bob@simple.test \
  BODY="hello bob from sipsak" ||
  { cat "$IA_DIR/message-sipsak.out" >&2; ia_fail "sipsak MESSAGE did not get 200"; }
ia_wait_grep "$IA_DIR/sink.jsonl" '"method": "MESSAGE".*hello bob from sipsak' 5 ||
  ia_fail "the sink did not receive the MESSAGE"
ia_log "MESSAGE to a foreign domain: relayed over mutual TLS found by _sips._tcp SRV"
sipsak_req message-foreign message.sip FROM=alice@simple.test TO=erin@peer.test \
  BODY="hello erin across domains" ||
  { cat "$IA_DIR/message-foreign.out" >&2; ia_fail "foreign MESSAGE did not get 200"; }
ia_wait_grep "$IA_DIR/sink.jsonl" '"ruri": "sip:erin@peer.test".*hello erin across domains' 5 ||
  ia_fail "the foreign-domain MESSAGE did not reach peer.test"
sip_send message-unknown "$P/peer" 404 message.sip FROM=alice@peer.test \
  TO=nobody@simple.test BODY=lost || ia_fail "MESSAGE to an unknown user was not answered 404"

ia_log "PUBLISH then SUBSCRIBE: 200 and a NOTIFY with the published PIDF"
sip_send publish "$P/peer" 200 publish.sip ENTITY=carol@simple.test NOTE="In a meeting" ||
  { cat "$IA_DIR/publish.jsonl" >&2; ia_fail "PUBLISH failed"; }
sip_send subscribe "$P/peer" 200 subscribe.sip ENTITY=carol@simple.test \
  WATCHER=dave@peer.test CONTACT="dave@$PEER:5061" ||
  { cat "$IA_DIR/subscribe.jsonl" >&2; ia_fail "SUBSCRIBE failed"; }
ia_wait_grep "$IA_DIR/sink.jsonl" '"method": "NOTIFY".*In a meeting' 10 ||
  { cat "$IA_DIR/sink.jsonl" >&2; ia_fail "no NOTIFY with the published note reached the sink"; }
grep '"method": "NOTIFY"' "$IA_DIR/sink.jsonl" | grep -q '"subscription-state": "active' ||
  ia_fail "NOTIFY without Subscription-State active"
ia_log "modifying the publication (SIP-If-Match, RFC 3903 4.4) is NOTIFYed to the watcher"
ETAG="$(grep -o '"sip-etag": "[^"]*"' "$IA_DIR/publish.jsonl" | head -n 1 | cut -d'"' -f4)"
[[ -n "$ETAG" ]] || ia_fail "PUBLISH 200 carried no SIP-ETag"
sip_send publish2 "$P/peer" 200 publish_modify.sip ENTITY=carol@simple.test ETAG="$ETAG" \
  NOTE="Out to lunch" ||
  { cat "$IA_DIR/publish2.jsonl" >&2; ia_fail "second PUBLISH failed"; }
ia_wait_grep "$IA_DIR/sink.jsonl" '"method": "NOTIFY".*Out to lunch' 10 ||
  { cat "$IA_DIR/sink.jsonl" >&2; ia_fail "the state change was not NOTIFYed"; }
ia_log "PASS sip kamailio"
