#!/bin/bash
# Interop: a fedgate s2s transport (xmpp_dialback_peer, domain fedgate.test) federates with a
# real Prosody (home.test) using Server Dialback only (XEP-0220; no TLS on either side), so
# each side verifies the other's key with its authoritative server (§2.1.2 / §2.2). A
# logged-in Prosody user sends a chat message to the fedgate echo bot and gets the echo back:
# a stanza each way is delivered.
# Usage: xmpp_dialback.sh PATH_TO_xmpp_dialback_peer
set -euo pipefail
PEER_BIN="${1:?usage: xmpp_dialback.sh PATH_TO_xmpp_dialback_peer}"
HERE="$(cd "$(dirname "$0")" && pwd)"
LIB="$HERE/../lib"
source "$LIB/common.sh"; source "$LIB/pki.sh"; source "$LIB/dns.sh"; source "$LIB/prosody.sh"

ia_init "xmpp-dialback"
HOME_ADDR="$IA_NET.10" FEDGATE_ADDR="$IA_NET.50"

pki_standard "$IA_DIR/pki" home.test  # Prosody wants a certificate even with TLS off
dns_xmpp_domain home.test "$HOME_ADDR"
dns_xmpp_domain fedgate.test "$FEDGATE_ADDR"
dns_start "$IA_DIR/dns" "$IA_NET.53"

prosody_start "$IA_DIR/prosody" "$HOME_ADDR" home.test "$IA_DIR/pki/home.test" \
  "$IA_DIR/pki/ca/ca.crt" --s2s-auth dialback --s2s-tls off --user alice:alice-pw

"$PEER_BIN" fedgate.test "$FEDGATE_ADDR" home.test "$HOME_ADDR" 90 \
  >"$IA_DIR/fedgate.log" 2>&1 &
FEDGATE=$!; ia_track_pid "$FEDGATE"
ia_wait_tcp "$FEDGATE_ADDR" 5269 10 || ia_fail "fedgate peer did not listen"

"$IA_PYTHON" "$LIB/xmpp_client.py" --jid alice@home.test --password alice-pw \
  --host "$HOME_ADDR" --plain --timeout 40 --deadline 90 \
  "presence" "send bot@fedgate.test hello through dialback" \
  "wait-message bot@fedgate.test echo hello through dialback" \
  >"$IA_DIR/alice.jsonl" 2>"$IA_DIR/alice.log" || ia_fail "alice did not get the echo"
rc=0; wait "$FEDGATE" || rc=$?
[[ $rc -eq 0 ]] || ia_fail "fedgate peer exited $rc"

must() { grep -qF -- "$2" "$1" || ia_fail "expected in ${1##*/}: $2"; }
must "$IA_DIR/fedgate.log" "received message from=alice@home.test"
must "$IA_DIR/fedgate.log" "xmpp.s2s.dialback_verdict"          # we asked Prosody (§2.1.2)
must "$IA_DIR/fedgate.log" "local=fedgate.test remote=home.test"   # authenticated both ways
must "$IA_DIR/fedgate.log" "PASS"
must "$PROSODY_LOG" "verified dialback key... it is valid"   # Prosody, authoritative, answered us
# Prosody, receiving, asked us (fedgate authoritative) and got 'valid' on its outgoing stream.
grep -qE "Received\[s2sout[^]]*\]: <verify[^>]*from='fedgate.test'[^>]*type='valid'|Received\[s2sout[^]]*\]: <verify[^>]*type='valid'[^>]*from='fedgate.test'" \
  "$PROSODY_LOG" || ia_fail "Prosody never had a key verified by fedgate"
ia_log "PASS xmpp dialback fedgate <-> prosody"
