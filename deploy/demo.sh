#!/usr/bin/env bash
# One-command demonstration of fedgate (DESIGN.md case 1), as root on Debian 12 after the quick
# start: a Prosody home serving corp.example (alice, bob), a Skype for Business-dialect partner
# partner.example (carol, the test suite's Microsoft-dialect peer) and fedgate between them, all
# on a private loopback /24; it narrates presence and instant messages crossing in both
# directions, shows fedgate's metrics and stored subscriptions, then stops everything it started.
#   deploy/demo.sh [--keep] [--verbose]
#     --keep     keep the scratch directory (certificates, configurations, every log)
#     --verbose  wire traces as they happen: every SIP message at the partner's edge, every s2s
#                stanza at Prosody, fedgate's debug log (and its own wire tracing switched on)
# Environment: FEDGATE_BIN (default build/release/gateway/app/fedgate, built when absent).
# Every wait is bounded; a step that does not happen stops the demo with exit status 1.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
LIB="$ROOT/tests/interop/lib"
KEEP=0 VERBOSE=0
for arg in "$@"; do
  case "$arg" in
    --keep) KEEP=1 ;;
    --verbose) VERBOSE=1 ;;
    -h | --help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "demo: unknown option $arg (try --help)" >&2; exit 2 ;;
  esac
done
if [[ $(id -u) -ne 0 ]]; then
  echo "demo: run as root (it binds DNS on a private 127.x address and uses mount namespaces)" >&2
  exit 2
fi

# --- dependencies and the fedgate binary ------------------------------------------------------
"$ROOT/deploy/install-deps.sh" --test
FEDGATE="${FEDGATE_BIN:-$ROOT/build/release/gateway/app/fedgate}"
if [[ ! -x "$FEDGATE" ]]; then
  echo "demo: building $FEDGATE (as deploy/quickstart.sh does; a few minutes)"
  cmake -S "$ROOT" -B "$ROOT/build/release" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DFEDGATE_TESTS=OFF -DFEDGATE_BENCH=OFF >/dev/null
  cmake --build "$ROOT/build/release" -j "$(nproc)" --target fedgate
fi

# A server bound to every address on one of these ports (a quick-start node left running, a
# system Prosody or resolver) would take the connections meant for the demo's addresses.
busy="$(ss -Hltnu | awk '{print $5}' |
  grep -E '^(\*|0\.0\.0\.0|\[::\]):(53|5061|5222|5269|8280)$' | sort -u | tr '\n' ' ' || true)"
if [[ -n "$busy" ]]; then
  echo "demo: something listens on all addresses at $busy(a quick-start node, a system" \
    "Prosody or DNS server?); stop it first: the demo needs these ports on its own 127.x" \
    "addresses" >&2
  exit 1
fi

# --- the interop harness: scratch dir, private 127.A.B.0/24, pids stopped on EXIT --------------
export IA_KEEP=$KEEP
# shellcheck source=../tests/interop/lib/common.sh
source "$LIB/common.sh"
# shellcheck source=../tests/interop/lib/pki.sh
source "$LIB/pki.sh"
# shellcheck source=../tests/interop/lib/dns.sh
source "$LIB/dns.sh"
# shellcheck source=../tests/interop/lib/prosody.sh
source "$LIB/prosody.sh"
ia_init demo
HOME_ADDR="$IA_NET.10" PEER="$IA_NET.40" FG="$IA_NET.50"
HOME_DNS="$IA_NET.53" FG_DNS="$IA_NET.54"
ALICE_PW="alice-$RANDOM$RANDOM" BOB_PW="bob-$RANDOM$RANDOM"
TOKEN="demo-$(openssl rand -hex 12)"
D="$IA_DIR"

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
show() { printf '    %s\n' "$*"; }
fail() { ia_fail "$*"; }

# demo_dns DIR ADDR RECORD...: unbound on ADDR:53 answering the example. zone from RECORDs only
# (a static zone: every other name there is NXDOMAIN at once, nothing is asked upstream).
demo_dns() {
  local dir="$1" addr="$2" rr; shift 2
  mkdir -p "$dir"
  {
    printf 'server:\n  interface: %s\n  port: 53\n  do-daemonize: no\n' "$addr"
    printf '  chroot: ""\n  username: ""\n  directory: "%s"\n  pidfile: "%s/unbound.pid"\n' \
      "$dir" "$dir"
    printf '  logfile: ""\n  use-syslog: no\n  verbosity: 1\n  log-queries: yes\n  do-ip6: no\n'
    printf '  access-control: 127.0.0.0/8 allow\n  module-config: "iterator"\n'
    printf '  local-zone: "example." static\n'
    for rr in "$@"; do printf '  local-data: "%s"\n' "$rr"; done
    printf 'remote-control:\n  control-enable: no\n'
  } >"$dir/unbound.conf"
  unbound-checkconf "$dir/unbound.conf" >"$dir/checkconf.log" 2>&1 || return 1
  unbound -d -c "$dir/unbound.conf" >"$dir/unbound.log" 2>&1 &
  ia_track_pid $!
  ia_wait_udp "$addr" 53 10
}

# json FILE_LINE EXPR: evaluate a Python expression over the JSON object `d` of one line.
json() { "$IA_PYTHON" -c 'import json,sys; d=json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$1" "$2"; }

say "Setting up on the private loopback network $IA_NET.0/24 (scratch directory $D)"
show "Prosody (home of corp.example)    $HOME_ADDR:5222 (clients), :5269 (s2s)"
show "partner.example SIP edge (carol)  $PEER:5061 (SIP over mutual TLS, Lync 2013 dialect)"
show "fedgate                           $FG:5061 (SIP TLS), :5269 (XMPP s2s), admin http://$FG:8280/"
show "DNS (unbound)                     $HOME_DNS:53 (what Prosody sees), $FG_DNS:53 (fedgate's)"

# --- certificates: one test CA; DNS-only SANs, serverAuth + clientAuth ------------------------
P="$D/pki" CA="$D/pki/ca/ca.crt"
pki_ca "$P/ca" "fedgate demo CA" || fail "could not create the test CA"
pki_leaf "$P/ca" "$P/corp.example" corp.example --dns corp.example --dns xmpp.corp.example
pki_leaf "$P/ca" "$P/partner" sip.partner.example --dns sip.partner.example --dns partner.example
pki_leaf "$P/ca" "$P/fedgate" fedgate.corp.example --dns fedgate.corp.example \
  --dns corp.example --dns partner.example
show "certificates: test CA, corp.example (Prosody), sip.partner.example (partner),"
show "  fedgate.corp.example with SANs corp.example and partner.example (the home leg)"

# --- DNS: split horizon. Prosody sends partner.example s2s to fedgate; fedgate finds the -------
# partner's SIP edge by _sipfederationtls._tcp (MS-SIPRE), as on the Internet.
demo_dns "$D/dns-home" "$HOME_DNS" \
  "partner.example. 60 IN A $FG" "fedgate.corp.example. 60 IN A $FG" \
  "_xmpp-server._tcp.partner.example. 60 IN SRV 10 10 5269 fedgate.corp.example." ||
  fail "the home DNS did not start"
printf 'nameserver %s\noptions timeout:1 attempts:2\n' "$HOME_DNS" >"$D/dns-home/resolv.conf"
DNS_RESOLV="$D/dns-home/resolv.conf"  # dns_spawn (Prosody) mounts it as /etc/resolv.conf
export DNS_RESOLV
demo_dns "$D/dns-fedgate" "$FG_DNS" \
  "partner.example. 60 IN A $PEER" "sip.partner.example. 60 IN A $PEER" \
  "_sipfederationtls._tcp.partner.example. 60 IN SRV 10 10 5061 sip.partner.example." \
  "_sip._tls.partner.example. 60 IN SRV 10 10 5061 sip.partner.example." ||
  fail "fedgate's DNS did not start"
show "DNS: _xmpp-server._tcp.partner.example -> fedgate (home view);"
show "     _sipfederationtls._tcp.partner.example -> sip.partner.example (fedgate's view)"

# --- Prosody, the home server of corp.example ------------------------------------------------
prosody_start "$D/prosody" "$HOME_ADDR" corp.example "$P/corp.example" "$CA" \
  --s2s-auth any --s2s-tls required --user "alice:$ALICE_PW" --user "bob:$BOB_PW" ||
  fail "Prosody did not start"
show "Prosody serves corp.example; XMPP accounts: alice@corp.example / $ALICE_PW,"
show "  bob@corp.example / $BOB_PW"

# --verbose: follow a log in the background (a subshell, so that the tail and its filter are
# its descendants and are stopped with it).
follow() {
  local file="$1"; shift
  (tail -n +1 -F "$file" 2>/dev/null | "$@") &
  ia_track_pid $!
}
# wire_sip: the ms_peer --trace events (sent/received) as SIP messages.
wire_sip() {
  "$IA_PYTHON" -u -c '
import json, sys
for line in sys.stdin:
    try:
        d = json.loads(line)
    except ValueError:
        continue
    if d.get("ev") == "sent":
        text, arrow = d["data"], "partner edge -> fedgate"
    elif d.get("ev") == "received":
        text = "\r\n".join([d["start"]] + ["%s: %s" % tuple(h) for h in d["headers"]])
        text, arrow = text + "\r\n\r\n" + (d.get("body") or ""), "fedgate -> partner edge"
    else:
        continue
    print("    [sip %s]" % arrow)
    for l in text.rstrip().splitlines():
        print("      " + l)
'
}
peer_trace=()
((VERBOSE)) && peer_trace=(--trace)

# --- the Skype for Business partner (carol), driven through a fifo ----------------------------
mkfifo "$D/peer.cmd"
exec 4<>"$D/peer.cmd"
"$IA_PYTHON" "$LIB/ms_peer.py" --addr "$PEER" --port 5061 --cert "$P/partner" --cafile "$CA" \
  --gateway "$FG:5061" --gateway-name fedgate.corp.example --fqdn sip.partner.example \
  --user carol@partner.example --lifetime 900 "${peer_trace[@]}" \
  <"$D/peer.cmd" >"$D/peer.jsonl" 2>"$D/peer.log" &
PEER_PID=$!
ia_track_pid "$PEER_PID"
ia_wait_tcp "$PEER" 5061 15 || fail "the partner's SIP edge did not listen on $PEER:5061"
show "partner.example's SIP edge is up (user carol@partner.example)"

# --- fedgate, with its embedded PostgreSQL under the scratch directory -------------------------
FGD="$D/fedgate"
mkdir -p "$FGD"
printf '%s\n' "$TOKEN" >"$FGD/admin.token"
chmod 600 "$FGD/admin.token"
FG_LOG="$FGD/fedgate.log"
trace=(--log-level info)
((VERBOSE)) && trace=(--log-level debug --trace-sip true --trace-xmpp true)
# On exit: the users first, then fedgate (it drains and stops its embedded PostgreSQL), then
# the postmaster if fedgate could not; the harness then stops Prosody and DNS by pid.
stop_fedgate() {
  ia_stop_pid "${ALICE_PID:-}" 5
  ia_stop_pid "${PEER_PID:-}" 5
  ia_stop_pid "${FG_PID:-}" 15
  local pidfile="$FGD/state/pg/postmaster.pid"
  [[ -f "$pidfile" ]] && kill -INT "$(head -1 "$pidfile")" 2>/dev/null
  return 0
}
ia_on_exit stop_fedgate
"$FEDGATE" run --state-dir "$FGD/state" --node-id demo --node-fqdn fedgate.corp.example \
  --admin-listen "$FG:8280" --admin-token-file "$FGD/admin.token" \
  --sip-tls-listen "$FG:5061" --xmpp-listen "$FG:5269" --tls-cert "$P/fedgate.crt" \
  --tls-key "$P/fedgate.key" --tls-ca "$CA" --dns-server "$FG_DNS:53" \
  --demo-domain corp.example --drain-timeout 2 "${trace[@]}" \
  >"$FGD/stdout.log" 2>"$FG_LOG" &
FG_PID=$!
ia_track_pid "$FG_PID"
if ((VERBOSE)); then
  follow "$FG_LOG" sed -u 's/^/    [fedgate] /'
  follow "$D/peer.jsonl" wire_sip
  follow "$PROSODY_LOG" sed -un \
    -e 's/.*\tSending\[s2s[a-z_]*\]: /    [xmpp prosody -> fedgate] /p' \
    -e 's/.*\tReceived\[s2s[a-z_]*\]: /    [xmpp fedgate -> prosody] /p'
fi
say "Starting fedgate (first start initialises its PostgreSQL cluster: up to a minute)"
for ((i = 0; i < 90; i++)); do
  ia_wait_tcp "$FG" 5061 1 && break
  kill -0 "$FG_PID" 2>/dev/null || { tail -n 20 "$FG_LOG" >&2; fail "fedgate exited at start"; }
done
{ ((i < 90)) && ia_wait_tcp "$FG" 5269 10; } ||
  fail "fedgate did not listen on $FG:5061 and :5269 within 100 s (see $FG_LOG)"
CONNINFO="$(grep -o 'db.embedded_started.*conninfo="[^"]*"' "$FG_LOG" | head -1 |
  sed 's/.*conninfo="\([^"]*\)"/\1/')"
[[ -n "$CONNINFO" ]] || fail "fedgate did not log the conninfo of its embedded database"
show "fedgate is listening; its database: psql \"$CONNINFO\""

# --- policy: two rows, exactly the documented SQL ---------------------------------------------
say "Policy (plain SQL in fedgate's database; applied live, no restart)"
POLICY_SQL="INSERT INTO local_domains (domain, home_protocol, home_host, home_port)
  VALUES ('corp.example', 'xmpp', '$HOME_ADDR', 5269)
  ON CONFLICT (domain) DO UPDATE SET home_protocol = 'xmpp', home_host = '$HOME_ADDR',
    home_port = 5269;
INSERT INTO sip_federated_domains (domain, integration, description)
  VALUES ('partner.example', 's4b', 'Partner Inc. (Skype for Business)');"
printf '%s\n' "$POLICY_SQL" | sed 's/^/    /'
psql "$CONNINFO" -v ON_ERROR_STOP=1 -qAt -c "$POLICY_SQL" >"$D/psql.log" 2>&1 ||
  { cat "$D/psql.log" >&2; fail "the policy rows were refused"; }
version="$(psql "$CONNINFO" -qAt -c "SELECT version FROM policy_version")"
admin() { curl -sf -m 5 -H "Authorization: Bearer $TOKEN" "http://$FG:8280$1"; }
for ((i = 0; i < 300; i++)); do
  admin /api/v1/policy | grep -qE "\"version\": ?${version}[,}]" && break
  sleep 0.1
done
((i < 300)) || fail "fedgate did not load policy version $version within 30 s"
show "fedgate runs policy version $version"

# --- the two users: alice (XMPP client on Prosody) and carol (the partner's SIP edge) ---------
# alice is the harness's slixmpp client (xmpp_client.py) reading its steps from a fifo.
cat >"$D/alice.py" <<'PY'
"""xmpp_client.py, with steps read from stdin one per line (until 'quit' or end of input)."""
import asyncio
import sys

sys.path.insert(0, sys.argv.pop(1))
import xmpp_client as xc  # noqa: E402


class Interactive(xc.Client):
    async def run_steps(self):
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        n = 0
        while True:
            line = (await reader.readline()).decode().strip()
            if not line or line == "quit":
                return True
            n += 1
            words = line.split()
            xc.emit("step", n=n, step=line, ok=await self.run_step(words[0], words[1:]))

    async def wait_for(self, match, seconds):
        def hit(kind, fields):
            if not match(kind, fields):
                return False
            xc.emit("matched", what=kind, **fields)
            return True
        return await super().wait_for(hit, seconds)


xc.Client = Interactive
sys.exit(xc.main())
PY
mkfifo "$D/alice.cmd"
exec 5<>"$D/alice.cmd"
"$IA_PYTHON" "$D/alice.py" "$LIB" --jid alice@corp.example --password "$ALICE_PW" \
  --host "$HOME_ADDR" --cafile "$CA" --timeout 45 --deadline 900 \
  <"$D/alice.cmd" >"$D/alice.jsonl" 2>"$D/alice.log" &
ALICE_PID=$!
ia_track_pid "$ALICE_PID"
ia_wait_grep "$D/alice.jsonl" '"event": "(logged-in|login-failed)"' 30 ||
  fail "alice's XMPP client did not log in to Prosody"
grep -q '"event": "logged-in"' "$D/alice.jsonl" || fail "alice could not log in to Prosody"

STEP=0
# alice STEP...: run one xmpp_client step for alice and wait (bounded) for its verdict; the
# stanza a wait-* step matched is left in $MATCHED (a JSON line).
alice() {
  STEP=$((STEP + 1))
  printf '%s\n' "$1" >&5
  ia_wait_grep "$D/alice.jsonl" "\"event\": \"step\", \"n\": $STEP," 60 ||
    fail "alice's client did not finish: $1"
  grep -q "\"event\": \"step\", \"n\": $STEP, .*\"ok\": true" "$D/alice.jsonl" || return 1
  MATCHED="$(grep -B1 "\"event\": \"step\", \"n\": $STEP," "$D/alice.jsonl" | head -1)"
}
PEER_ID=0
# carol JSON: send one command to the partner's SIP edge and wait (bounded) for its verdict;
# for an expect command the matched event is left in $MATCHED.
carol() {
  local cmd="${1//$'\n'/ }"
  PEER_ID=$((PEER_ID + 1))
  printf '%s\n' "${cmd%\}}, \"id\": \"c$PEER_ID\"}" >&4
  ia_wait_grep "$D/peer.jsonl" "\"id\": \"c$PEER_ID\"" 60 || fail "the partner did not answer: $1"
  MATCHED="$(grep "\"id\": \"c$PEER_ID\"" "$D/peer.jsonl" | head -1)"
  [[ "$MATCHED" == *'"ev": "cmd_ok"'* || "$MATCHED" == *'"ev": "expect_ok"'* ]]
}
describe_lync() {  # a presence event of the partner's edge, in words
  json "$1" '"availability %s, note %r (state %s, via %s)" % (d["got"]["availability"],
    d["got"]["note"], d["got"]["state"], d["got"]["via"])'
}

alice "presence" || fail "alice could not send her presence"
say "alice@corp.example is logged in to Prosody and available (an ordinary XMPP client)"

# --- 1. carol subscribes to alice; alice is asked and approves --------------------------------
say "1. carol@partner.example (Skype for Business) adds alice@corp.example to her contacts"
show "carol's edge sends SUBSCRIBE (Event: presence) over mutual TLS to fedgate"
carol '{"cmd": "subscribe", "from": "carol@partner.example", "to": "alice@corp.example"}' ||
  fail "carol's SUBSCRIBE failed: $MATCHED"
carol '{"cmd": "expect", "ev": "presence", "watcher": "carol@partner.example",
  "presentity": "alice@corp.example", "state": "pending", "timeout": 45}' ||
  fail "carol's subscription did not become pending within 45 s"
show "fedgate answers 200 and NOTIFYs carol: subscription pending (alice has not decided yet)"
alice "wait-subscribe carol@partner.example" ||
  fail "alice was not asked to approve carol (no XMPP subscription request within 45 s)"
show "alice's XMPP client is asked: carol@partner.example wants to see your presence (pending)"
alice "approve carol@partner.example" || fail "alice could not approve"
show "alice approves (presence type='subscribed')"
carol '{"cmd": "expect", "ev": "presence", "watcher": "carol@partner.example",
  "presentity": "alice@corp.example", "state": "active", "availability": 3500, "timeout": 45}' ||
  fail "carol did not see alice available (availability 3500) within 45 s"
show "carol sees alice: $(describe_lync "$MATCHED")  -> Available"

# --- 2. alice goes away with a note -------------------------------------------------------------
say "2. alice sets 'Away' with the status text 'In a meeting' in her XMPP client"
alice "presence show=away status=In+a+meeting" || fail "alice could not change her presence"
carol '{"cmd": "expect", "ev": "presence", "watcher": "carol@partner.example",
  "presentity": "alice@corp.example", "note": "In a meeting", "timeout": 45}' ||
  fail "carol did not see alice's 'In a meeting' within 45 s"
show "carol sees alice: $(describe_lync "$MATCHED")"
avail="$(json "$MATCHED" 'd["got"]["availability"]')"
{ [[ "$avail" =~ ^[0-9]+$ ]] && ((avail >= 15000 && avail < 18000)); } ||
  fail "alice's away arrived as availability $avail, not in Lync's Away range 15000-17999"
show "  -> availability $avail is 'Away' in Lync / Skype for Business (15000-17999, MS-PRES)"

# --- 3. alice adds carol --------------------------------------------------------------------------
say "3. carol is 'Busy' with a note; alice adds carol@partner.example to her roster"
carol '{"cmd": "set_state", "user": "carol@partner.example", "availability": 6500,
  "activity": "busy", "note": "Preparing the quarterly review"}' || fail "set_state failed"
show "carol's client publishes availability 6500 (Busy), note 'Preparing the quarterly review'"
alice "subscribe carol@partner.example" || fail "alice could not subscribe"
show "alice's client sends <presence type='subscribe'/>; fedgate SUBSCRIBEs to carol over SIP"
alice "wait-subscribed carol@partner.example" ||
  fail "carol's edge did not accept alice's subscription within 45 s"
show "carol's edge accepts (200 to SUBSCRIBE); alice's client gets <presence type='subscribed'/>"
alice "wait-presence carol@partner.example" ||
  fail "alice did not see carol's presence within 45 s"
show "alice sees carol: $(json "$MATCHED" '"show=%r status=%r" % (d["show"], d["status"])')"

# --- 4. instant messages ----------------------------------------------------------------------
say "4. carol sends alice an IM (Skype for Business session mode: INVITE, then MESSAGE)"
carol '{"cmd": "im", "from": "carol@partner.example", "to": "alice@corp.example",
  "text": "Hi alice, do you have a minute after your meeting?"}' || fail "carol's IM failed"
alice "wait-message carol@partner.example Hi alice, do you have a minute after your meeting?" ||
  fail "alice did not receive carol's IM within 45 s"
show "alice's client receives from $(json "$MATCHED" 'd["from"]') (type $(json "$MATCHED" 'd["type"]')):"
show "  \"$(json "$MATCHED" 'd["body"]')\""
carol '{"cmd": "expect", "ev": "delivered", "via": "invite", "timeout": 10}' ||
  fail "carol's INVITE was not answered 200 within 10 s"
show "carol's edge: the INVITE carrying that first message (ms-text-format) was answered 200"
carol '{"cmd": "im", "from": "carol@partner.example", "to": "alice@corp.example",
  "text": "It is about the partner contract."}' || fail "carol's second IM failed"
alice "wait-message carol@partner.example It is about the partner contract." ||
  fail "alice did not receive carol's second IM within 45 s"
carol '{"cmd": "expect", "ev": "delivered", "text": "It is about the partner contract.",
  "timeout": 10}' || fail "carol's second IM was not confirmed"
[[ "$(json "$MATCHED" 'd["got"]["via"]')" == message ]] ||
  fail "carol's second IM did not travel as a MESSAGE in the session"
show "carol's second IM reuses the session (MESSAGE in the dialog, answered 200);"
show "  alice receives: \"$(json "$MATCHED" 'd["got"]["text"]')\""
say "5. alice answers from her XMPP client (a chat message to carol@partner.example)"
alice "send carol@partner.example Sure, I will call you at 3." || fail "alice could not send"
carol '{"cmd": "expect", "ev": "message", "from": "alice@corp.example",
  "text": "Sure, I will call you at 3.", "timeout": 45}' ||
  fail "carol did not receive alice's IM within 45 s"
show "carol's edge receives it $(json "$MATCHED" '{"invite": "in the INVITE of a session fedgate opens",
  "session": "as a MESSAGE in the existing session", "page": "as a page-mode MESSAGE"}.get(
  d["got"]["mode"], d["got"]["mode"])') ($(json "$MATCHED" 'd["got"]["content_type"]')):"
show "  \"$(json "$MATCHED" 'd["got"]["text"]')\""

# --- 5. what fedgate counted and stored ---------------------------------------------------------
say "6. fedgate's metrics (curl -H 'Authorization: Bearer TOKEN' http://$FG:8280/metrics)"
admin /metrics >"$D/metrics.txt" || fail "GET /metrics failed"
grep -E '^fedgate_(switchboard|sip_edge)_[a-z_]+(\{[^}]*\})? [1-9]' "$D/metrics.txt" |
  sed 's/^/    /' | head -40
say "7. the subscriptions fedgate stored (psql on its embedded database)"
SUBS_SQL="SELECT watcher, presentity, state, watcher_is_local, node_id,
  to_char(expires_at, 'HH24:MI:SS') AS expires_at, length(sip_dialog) AS sip_dialog_bytes
  FROM subscriptions ORDER BY id"
printf '%s\n' "$SUBS_SQL" | sed 's/^/    /'
psql "$CONNINFO" -P pager=off -c "$SUBS_SQL" | sed 's/^/    /'

alice "unavailable" || true
printf 'quit\n' >&5
printf '{"cmd": "quit"}\n' >&4
ia_wait_grep "$D/peer.jsonl" '"ev": "exit"' 10 || true
say "Done: presence and instant messages crossed between XMPP and Skype for Business both ways."
((KEEP)) && show "Scratch directory kept: $D (logs: */*.log, *.jsonl)"
show "Stopping everything this demo started."
