#!/bin/bash
# Self-test of the Microsoft-dialect test peer (tests/interop/lib/ms_peer.py): two instances on
# a private loopback /24 with test-CA certificates (mutual TLS 1.2) play the transcripts against
# each other. A (alice@a.test) runs watcher.jsonl with --script; B (bob, carol, dave, erin
# @b.test) is driven through stdin with notifier.jsonl. Covered: OPTIONS and CRLF keep-alive,
# a single subscription with the piggy-backed first NOTIFY, NOTIFY and BENOTIFY state changes,
# refresh, a batched subscription answered with RLMI incl. resubscribe states (in the 200 and
# in a later NOTIFY) and a terminated resource, un-SUBSCRIBE, IM with the first message in the
# INVITE, in-dialog MESSAGE, typing (INFO and isComposing), a 481 and recovery by a new INVITE,
# a first message resent in the dialog, page mode, BYE both ways, errors (404 with
# ms-diagnostics, 480), a pending subscription approved, unpublish, the terminated NOTIFYs of a
# shutdown, a refused untrusted client, and a second pair for --auto-resubscribe and --im-idle.
# An unmet expect and an over-long script must fail. With FEDGATE_BIN set, every message sent
# must pass `fedgate sip-parse`. Variant "gruu" uses GRUU Contacts and sends in-dialog requests
# on the inbound connection.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
LIB="$HERE/../lib"
source "$LIB/common.sh"; source "$LIB/pki.sh"
VARIANT="${1:-plain}"
EXTRA=()
[[ "$VARIANT" == gruu ]] && EXTRA=(--gruu --reuse-inbound)
EXTRA+=(--trace)  # every message sent and received is in the event logs

ia_init ms-peer-selftest
A="$IA_NET.40" B="$IA_NET.41" P="$IA_DIR/pki"
pki_standard "$P" a.test b.test
PY=/usr/bin/python3

# B first, fed by a fifo kept open until its script has been written (stdin control mode).
mkfifo "$IA_DIR/b.in"
"$PY" "$LIB/ms_peer.py" --addr "$B" --cert "$P/b.test" --cafile "$P/ca/ca.crt" \
  --gateway "$A:5061" --gateway-name a.test --fqdn sip.b.test --user bob@b.test \
  --user carol@b.test --user dave@b.test --user erin@b.test --lifetime 90 "${EXTRA[@]}" \
  <"$IA_DIR/b.in" >"$IA_DIR/b.events.log" 2>"$IA_DIR/b.stderr.log" &
B_PID=$!
ia_track_pid "$B_PID"
exec 7>"$IA_DIR/b.in"
ia_wait_tcp "$B" 5061 10 || ia_fail "peer B did not listen"
cat "$HERE/notifier.jsonl" >&7

# A client whose certificate comes from an untrusted CA is refused by B's mutual TLS.
pki_leaf "$P/rogue-ca" "$P/rogue" c.test
if "$PY" "$LIB/ms_peer.py" --addr "$IA_NET.42" --cert "$P/rogue" --cafile "$P/ca/ca.crt" \
  --gateway "$B:5061" --user mallory@c.test --lifetime 20 \
  --script <(echo '{"cmd":"options","from":"mallory@c.test","to":"bob@b.test"}') \
  >"$IA_DIR/rogue.events.log" 2>"$IA_DIR/rogue.stderr.log"; then
  ia_fail "a client with an untrusted certificate was accepted"
fi
# The verdict is honest: an unmet expect fails the script, and --lifetime caps a long step.
if "$PY" "$LIB/ms_peer.py" --addr "$IA_NET.43" --cert "$P/a.test" --cafile "$P/ca/ca.crt" \
  --user zed@a.test --lifetime 20 \
  --script <(echo '{"cmd":"expect","ev":"presence","presentity":"nobody@b.test","timeout":0.5}') \
  >"$IA_DIR/unmet.events.log" 2>&1; then
  ia_fail "an unmet expect step passed"
fi
start=$SECONDS
if "$PY" "$LIB/ms_peer.py" --addr "$IA_NET.43" --cert "$P/a.test" --cafile "$P/ca/ca.crt" \
  --user zed@a.test --lifetime 1 --script <(echo '{"cmd":"sleep","seconds":30}') \
  >"$IA_DIR/lifetime.events.log" 2>&1; then
  ia_fail "a script outliving --lifetime passed"
fi
((SECONDS - start < 10)) || ia_fail "--lifetime did not cap the script"

set +e
"$PY" "$LIB/ms_peer.py" --addr "$A" --cert "$P/a.test" --cafile "$P/ca/ca.crt" \
  --gateway "$B:5061" --gateway-name b.test --fqdn sip.a.test --user alice@a.test \
  --script "$HERE/watcher.jsonl" --lifetime 90 "${EXTRA[@]}" \
  >"$IA_DIR/a.events.log" 2>"$IA_DIR/a.stderr.log"
A_RC=$?
set -e
exec 7>&-

# B quits by itself at the end of its commands; wait for it (bounded).
for ((i = 0; i < 100; i++)); do kill -0 "$B_PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$B_PID" 2>/dev/null && ia_fail "peer B did not quit"
wait "$B_PID" && B_RC=0 || B_RC=$?

ia_log "A exit $A_RC, B exit $B_RC"
failures() { grep -E '"ev": "(script_failed|expect_failed|error)"' "$1" | head -5; }
((A_RC == 0)) || ia_fail "watcher script failed: $(failures "$IA_DIR/a.events.log")"
((B_RC == 0)) || ia_fail "peer B exited $B_RC"
if grep -E '"ev": "(expect_failed|error)"' "$IA_DIR/b.events.log" | grep -v '"tls_refused"'; then
  ia_fail "peer B reported failures"
fi
steps=$(grep -c '"ev": "expect_ok"' "$IA_DIR/b.events.log")
want=$(grep -c '"cmd":"\(expect\|no_event\)"' "$HERE/notifier.jsonl")
((steps == want)) || ia_fail "peer B passed $steps of $want expect steps"
grep -q '"tls": "TLSv1.2"' "$IA_DIR/a.events.log" || ia_fail "not TLS 1.2"
grep -q '"ev": "tls_refused"' "$IA_DIR/b.events.log" || ia_fail "B did not log the refused client"
grep -q '"peer_cn": "b.test"' "$IA_DIR/a.events.log" || ia_fail "B's certificate not seen by A"
# Lifecycle: --auto-resubscribe after a deactivated subscription, --im-idle closing a dialog.
C="$IA_NET.44" D="$IA_NET.45"
"$PY" "$LIB/ms_peer.py" --addr "$D" --cert "$P/b.test" --cafile "$P/ca/ca.crt" \
  --gateway "$C:5061" --user bob@b.test --im-idle 1 --lifetime 40 --linger 0.5 "${EXTRA[@]}" \
  --script "$HERE/lifecycle_notifier.jsonl" >"$IA_DIR/d.events.log" 2>"$IA_DIR/d.stderr.log" &
D_PID=$!
ia_track_pid "$D_PID"
ia_wait_tcp "$D" 5061 10 || ia_fail "peer D did not listen"
"$PY" "$LIB/ms_peer.py" --addr "$C" --cert "$P/a.test" --cafile "$P/ca/ca.crt" \
  --gateway "$D:5061" --user alice@a.test --auto-resubscribe --lifetime 40 "${EXTRA[@]}" \
  --script "$HERE/lifecycle_watcher.jsonl" >"$IA_DIR/c.events.log" 2>"$IA_DIR/c.stderr.log" ||
  ia_fail "lifecycle watcher failed: $(failures "$IA_DIR/c.events.log")"
wait "$D_PID" || ia_fail "lifecycle notifier failed: $(failures "$IA_DIR/d.events.log")"

# Every message either peer sent must be a valid SIP message for fedgate's own parser.
if [[ -n "${FEDGATE_BIN:-}" && -x "${FEDGATE_BIN:-}" ]]; then
  mkdir "$IA_DIR/sent"
  "$PY" - "$IA_DIR/sent" "$IA_DIR"/[abcd].events.log <<'PY'
import json, sys
n = 0
for log in sys.argv[2:]:
    for line in open(log, encoding="utf-8"):
        ev = json.loads(line)
        if ev["ev"] == "sent":
            n += 1
            with open(f"{sys.argv[1]}/{n:03d}.sip", "wb") as f:
                f.write(ev["data"].encode())
PY
  count=$(find "$IA_DIR/sent" -name '*.sip' | wc -l)
  ((count > 50)) || ia_fail "only $count messages captured"
  "$FEDGATE_BIN" sip-parse "$IA_DIR/sent"/*.sip >"$IA_DIR/sip-parse.log" 2>&1 ||
    ia_fail "fedgate sip-parse rejected: $(grep -v '^{' "$IA_DIR/sip-parse.log" | head -3)"
  ia_log "fedgate sip-parse accepted all $count messages"
else
  ia_log "FEDGATE_BIN not set: messages not cross-checked with fedgate sip-parse"
fi
a_steps=$(grep -c '"ev": "expect_ok"' "$IA_DIR/a.events.log")
ia_log "PASS ms_peer self-test ($VARIANT): A $a_steps and B $steps expect steps"
