#!/bin/bash
# Baseline interop test: a peer with a bad certificate is refused (RFC 6120 13.7.2, RFC 6125
# name checks, XEP-0178). Prosody home.test accepts certificate authentication only
# (s2s_secure_auth, no dialback); ejabberd partner.test presents a certificate that is
# VARIANT = wrong-name (SAN other.test), expired (2020) or untrusted (a CA Prosody does not
# know). Both directions must fail with an error to the sender and a logged reason.
# Usage: xmpp_s2s_badcert.sh wrong-name|expired|untrusted
set -euo pipefail
VARIANT="${1:?usage: xmpp_s2s_badcert.sh wrong-name|expired|untrusted}"
HERE="$(cd "$(dirname "$0")" && pwd)"
LIB="$HERE/../lib"
source "$LIB/common.sh"; source "$LIB/pki.sh"; source "$LIB/dns.sh"
source "$LIB/prosody.sh"; source "$LIB/ejabberd.sh"

ia_init "s2s-badcert-$VARIANT"
HOME_ADDR="$IA_NET.10" PARTNER_ADDR="$IA_NET.20" P="$IA_DIR/pki" CA="$IA_DIR/pki/ca/ca.crt"
pki_standard "$P" home.test
case "$VARIANT" in
  wrong-name) pki_leaf "$P/ca" "$P/bad" other.test ;;
  expired) pki_leaf "$P/ca" "$P/bad" partner.test --expired ;;
  untrusted) pki_leaf "$P/rogue-ca" "$P/bad" partner.test ;;
  *) ia_fail "unknown variant $VARIANT" ;;
esac
# The reason Prosody gives in the bounce to alice, and in the stream error to ejabberd.
declare -A TEXT=([wrong-name]="is+not+valid+for+this+name" [expired]="has+expired"
  [untrusted]="is+not+trusted")
# Prosody's expected log reason for each variant (certificate validation in mod_s2s).
declare -A REASON=([wrong-name]="certificate identity validation result: invalid"
  [expired]="certificate has expired" [untrusted]="certificate chain validation result: invalid")

dns_xmpp_domain home.test "$HOME_ADDR"
dns_xmpp_domain partner.test "$PARTNER_ADDR"
dns_start "$IA_DIR/dns" "$IA_NET.53"
prosody_start "$IA_DIR/prosody" "$HOME_ADDR" home.test "$P/home.test" "$CA" \
  --s2s-auth external --user alice:alice-pw
ejabberd_start "$IA_DIR/ejabberd" "$PARTNER_ADDR" partner.test "$P/bad" "$CA" \
  --s2s-auth any --user bob:bob-pw

xmpp() {  # xmpp NAME JID PASSWORD HOST STEPS...
  local name="$1"; shift
  "$IA_PYTHON" "$LIB/xmpp_client.py" --jid "$1" --password "$2" --host "$3" --no-verify \
    --timeout 40 --deadline 90 "${@:4}" >"$IA_DIR/$name.jsonl" 2>"$IA_DIR/$name.log" ||
    { cat "$IA_DIR/$name.jsonl" >&2; ia_fail "$name: steps failed"; }
  cat "$IA_DIR/$name.jsonl" >&2
}
xmpp alice alice@home.test alice-pw "$HOME_ADDR" "presence" "send bob@partner.test hi" \
  "wait-error bob@partner.test text=Remote+server's+certificate+${TEXT[$VARIANT]}" "no-message bob@partner.test 2"
xmpp bob bob@partner.test bob-pw "$PARTNER_ADDR" "presence" "send alice@home.test hi" \
  "wait-error alice@home.test text=Your+server's+certificate+${TEXT[$VARIANT]}"
grep -qF "${REASON[$VARIANT]}" "$PROSODY_LOG" ||
  ia_fail "prosody log lacks the reason: ${REASON[$VARIANT]}"
! grep -qE "connection (home.test->partner.test|partner.test->home.test) is now authenticated" \
  "$PROSODY_LOG" || ia_fail "prosody authenticated partner.test despite its certificate"
ia_log "PASS xmpp s2s bad certificate ($VARIANT)"
