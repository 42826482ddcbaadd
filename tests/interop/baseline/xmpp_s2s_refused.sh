#!/bin/bash
# Baseline interop test: federation failures come back to the sender as errors (RFC 6120
# 4.9.3, 8.3; RFC 6121 8.5): Prosody home.test requires s2s TLS while ejabberd partner.test
# offers none, so the stream is refused and alice's message bounces; a message to a domain
# with no DNS records bounces too. No fedgate; this pins what the real servers do.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
LIB="$HERE/../lib"
source "$LIB/common.sh"; source "$LIB/pki.sh"; source "$LIB/dns.sh"
source "$LIB/prosody.sh"; source "$LIB/ejabberd.sh"

ia_init s2s-refused
HOME_ADDR="$IA_NET.10" PARTNER_ADDR="$IA_NET.20" CA="$IA_DIR/pki/ca/ca.crt"
pki_standard "$IA_DIR/pki" home.test partner.test
dns_xmpp_domain home.test "$HOME_ADDR"
dns_xmpp_domain partner.test "$PARTNER_ADDR"
dns_start "$IA_DIR/dns" "$IA_NET.53"
prosody_start "$IA_DIR/prosody" "$HOME_ADDR" home.test "$IA_DIR/pki/home.test" "$CA" \
  --s2s-tls required --user alice:alice-pw
ejabberd_start "$IA_DIR/ejabberd" "$PARTNER_ADDR" partner.test "$IA_DIR/pki/partner.test" "$CA" \
  --s2s-tls off --user bob:bob-pw

"$IA_PYTHON" "$LIB/xmpp_client.py" --jid alice@home.test --password alice-pw \
  --host "$HOME_ADDR" --cafile "$CA" --timeout 40 --deadline 90 \
  "presence" "send bob@partner.test are you there" \
  "wait-error bob@partner.test condition=remote-server-timeout" \
  "send ghost@nowhere.test hello" "wait-error ghost@nowhere.test condition=remote-server-not-found" \
  >"$IA_DIR/alice.jsonl" 2>"$IA_DIR/alice.log" ||
  { cat "$IA_DIR/alice.jsonl" >&2; ia_fail "alice did not get both errors"; }
cat "$IA_DIR/alice.jsonl" >&2
grep -qF "TLS negotiation with partner.test failed" "$PROSODY_LOG" ||
  ia_fail "prosody did not log the refused TLS negotiation"

# The other way: ejabberd offers no TLS, Prosody requires it; bob's message must bounce.
"$IA_PYTHON" "$LIB/xmpp_client.py" --jid bob@partner.test --password bob-pw \
  --host "$PARTNER_ADDR" --cafile "$CA" --timeout 40 --deadline 90 \
  "presence" "send alice@home.test are you there" \
  "wait-error alice@home.test condition=remote-server-timeout" \
  >"$IA_DIR/bob.jsonl" 2>"$IA_DIR/bob.log" ||
  { cat "$IA_DIR/bob.jsonl" >&2; ia_fail "bob did not get an error"; }
cat "$IA_DIR/bob.jsonl" >&2
ia_log "PASS xmpp s2s refused"
