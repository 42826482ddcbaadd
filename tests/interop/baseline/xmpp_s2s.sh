#!/bin/bash
# Baseline interop test: Prosody (home.test) <-> ejabberd (partner.test) direct s2s, no fedgate.
# Proves the harness: presence subscription both ways and a chat message both ways between
# logged-in users (RFC 6121 3, 4, 5). MODE external: TLS + SASL EXTERNAL (XEP-0178) with
# certificates from a CA both servers trust; MODE dialback: TLS with certificates the peer
# does not trust, so both fall back to Server Dialback (XEP-0220).
# Usage: xmpp_s2s.sh external|dialback
set -euo pipefail
MODE="${1:?usage: xmpp_s2s.sh external|dialback}"
HERE="$(cd "$(dirname "$0")" && pwd)"
LIB="$HERE/../lib"
source "$LIB/common.sh"; source "$LIB/pki.sh"; source "$LIB/dns.sh"
source "$LIB/prosody.sh"; source "$LIB/ejabberd.sh"

ia_init "s2s-$MODE"
HOME_ADDR="$IA_NET.10" PARTNER_ADDR="$IA_NET.20"

pki_standard "$IA_DIR/pki" home.test partner.test
if [[ "$MODE" == dialback ]]; then
  # Each server's certificate is signed by the rogue CA, which neither server trusts:
  # TLS still comes up, certificate authentication fails, dialback takes over.
  pki_leaf "$IA_DIR/pki/rogue-ca" "$IA_DIR/pki/home.rogue" home.test
  pki_leaf "$IA_DIR/pki/rogue-ca" "$IA_DIR/pki/partner.rogue" partner.test
  HOME_CERT="$IA_DIR/pki/home.rogue" PARTNER_CERT="$IA_DIR/pki/partner.rogue"
  CLIENT_CA="$IA_DIR/pki/rogue-ca/ca.crt" AUTH=dialback
else
  HOME_CERT="$IA_DIR/pki/home.test" PARTNER_CERT="$IA_DIR/pki/partner.test"
  CLIENT_CA="$IA_DIR/pki/ca/ca.crt" AUTH=external
fi
CA="$IA_DIR/pki/ca/ca.crt"

dns_xmpp_domain home.test "$HOME_ADDR"
dns_xmpp_domain partner.test "$PARTNER_ADDR"
dns_start "$IA_DIR/dns" "$IA_NET.53"
# Inside the namespace, glibc (ejabberd's A lookups) must see the test zone.
[[ "$(dns_check xmpp.partner.test A)" == "$PARTNER_ADDR" ]] || ia_fail "test DNS not in effect"

prosody_start "$IA_DIR/prosody" "$HOME_ADDR" home.test "$HOME_CERT" "$CA" \
  --s2s-auth "$AUTH" --s2s-tls required --user alice:alice-pw
ejabberd_start "$IA_DIR/ejabberd" "$PARTNER_ADDR" partner.test "$PARTNER_CERT" "$CA" \
  --s2s-auth "$AUTH" --s2s-tls required --user bob:bob-pw

client() {  # client NAME JID PASSWORD HOST [--auto-accept] STEPS...
  local name="$1"; shift
  "$IA_PYTHON" "$LIB/xmpp_client.py" --jid "$1" --password "$2" --host "$3" \
    --cafile "$CLIENT_CA" --timeout 40 --deadline 90 "${@:4}" \
    >"$IA_DIR/$name.jsonl" 2>"$IA_DIR/$name.log"
}

# alice approves automatically; bob sees the request pending and approves it explicitly.
client alice alice@home.test alice-pw "$HOME_ADDR" --auto-accept \
  "presence status=alice+here" "subscribe bob@partner.test" \
  "wait-presence bob@partner.test status=bob+here" \
  "send bob@partner.test hello bob" "wait-message bob@partner.test hello alice" &
ALICE=$!; ia_track_pid "$ALICE"
client bob bob@partner.test bob-pw "$PARTNER_ADDR" \
  "presence show=away status=bob+here" "wait-subscribe alice@home.test" \
  "approve alice@home.test" "subscribe alice@home.test" \
  "wait-presence alice@home.test status=alice+here" \
  "wait-message alice@home.test hello bob" "send alice@home.test hello alice" "sleep 1" &
BOB=$!; ia_track_pid "$BOB"
rc=0
wait "$ALICE" || rc=$?; ia_log "alice exited $rc"
rcb=0; wait "$BOB" || rcb=$?; ia_log "bob exited $rcb"
cat "$IA_DIR/alice.jsonl" "$IA_DIR/bob.jsonl" >&2
[[ $rc -eq 0 && $rcb -eq 0 ]] || ia_fail "clients failed (alice $rc, bob $rcb)"

# The servers must have used the intended authentication method, in both directions.
must() { grep -qF -- "$2" "$1" || ia_fail "expected in ${1##*/}: $2"; }
must_not() { ! grep -qF -- "$2" "$1" || ia_fail "unexpected in ${1##*/}: $2"; }
if [[ "$MODE" == external ]]; then
  must "$PROSODY_LOG" "SASL EXTERNAL with partner.test succeeded"
  must "$PROSODY_LOG" "Accepting SASL EXTERNAL identity from partner.test"
  must "$EJABBERD_LOG" "Accepted inbound s2s EXTERNAL authentication home.test -> partner.test"
  must_not "$PROSODY_LOG" "falling back to dialback"
else
  must "$PROSODY_LOG" "SASL EXTERNAL failed, falling back to dialback"
  must "$PROSODY_LOG" "verified dialback key... it is valid"
  must "$EJABBERD_LOG" "Accepted inbound s2s dialback authentication home.test -> partner.test"
  must_not "$PROSODY_LOG" "SASL EXTERNAL with partner.test succeeded"
fi
ia_log "PASS xmpp s2s $MODE"
