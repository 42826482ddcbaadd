# shellcheck shell=bash disable=SC2034  # library: variables are read by the sourcing test
# Shared set-up of the end-to-end Case 1 tests (sourced): an XMPP deployment gains Microsoft
# federation. Prosody (.10) serves the local domain home.test (alice, a real slixmpp client);
# the Microsoft-dialect peer ms_peer.py (.40) serves the Skype for Business partner
# partner.test (bob, carol); fedgate (.50) sits between them (s2s with Prosody, SIP over mutual
# TLS with the partner). Split-horizon DNS: the home's DNS (.53) sends partner.test, ghost.test
# and down.test s2s to fedgate; fedgate's DNS (.54) knows the partner's SIP server, down.test's
# (an address nobody listens on) and nothing of ghost.test. Policy: partner.test, ghost.test
# and down.test are SIP federated (s4b).
# case1_setup FEDGATE NAME: everything up; sets HOME_ADDR, PEER, FG, P, CA, FG_LOG, FG_CONNINFO.

C1_TOKEN=case1-token

case1_setup() {
  local fedgate="$1" name="$2" d
  ia_init "e2e-case1-$name"
  HOME_ADDR="$IA_NET.10" PEER="$IA_NET.40" DOWN="$IA_NET.41" FG="$IA_NET.50"
  P="$IA_DIR/pki" CA="$IA_DIR/pki/ca/ca.crt"
  pki_standard "$P" home.test
  pki_leaf "$P/ca" "$P/partner" sip.partner.test --dns sip.partner.test --dns partner.test
  pki_leaf "$P/ca" "$P/fedgate" fedgate.test --dns fedgate.test --dns sip.fedgate.test \
    --dns partner.test --dns ghost.test --dns down.test --dns home.test

  for d in partner.test ghost.test down.test; do dns_xmpp_domain "$d" "$FG"; done
  dns_sip_domain fedgate.test "$FG"
  dns_start "$IA_DIR/dns-home" "$IA_NET.53"
  dns_reset
  dns_sip_domain partner.test "$PEER"
  dns_sip_domain down.test "$DOWN"
  dns_start_view "$IA_DIR/dns-fedgate" "$IA_NET.54"

  prosody_start "$IA_DIR/prosody" "$HOME_ADDR" home.test "$P/home.test" "$CA" \
    --s2s-auth any --s2s-tls required --user alice:alice-pw || ia_fail "prosody did not start"
  case1_start_peer
  case1_start_fedgate "$fedgate"
  case1_policy "UPDATE local_domains SET home_host = '$HOME_ADDR', home_port = 5269
                  WHERE domain = 'home.test';
                INSERT INTO sip_federated_domains (domain, integration) VALUES
                  ('partner.test', 's4b'), ('ghost.test', 's4b'), ('down.test', 's4b')"
}

# case1_start_peer: the partner's Edge (ms_peer.py) with bob and carol, driven through fd 4.
case1_start_peer() {
  mkfifo "$IA_DIR/peer.cmd"
  exec 4<>"$IA_DIR/peer.cmd"
  "$IA_PYTHON" "$LIB/ms_peer.py" --addr "$PEER" --port 5061 --cert "$P/partner" --cafile "$CA" \
    --gateway "$FG:5061" --gateway-name fedgate.test --fqdn sip.partner.test \
    --user bob@partner.test --user carol@partner.test --lifetime 300 ${C1_PEER_ARGS:-} \
    <"$IA_DIR/peer.cmd" >"$IA_DIR/peer.jsonl" 2>"$IA_DIR/peer.log" &
  ia_track_pid $!
  ia_wait_tcp "$PEER" 5061 10 || ia_fail "the partner peer did not listen"
}

# case1_start_fedgate BINARY: embedded PostgreSQL in the scratch dir; waits for /readyz.
case1_start_fedgate() {
  local fedgate="$1" dir="$IA_DIR/fedgate" i
  mkdir -p "$dir"
  FG_LOG="$dir/fedgate.log"
  [[ -f "$FG_LOG" ]] && mv "$FG_LOG" "$dir/fedgate-$(date +%s%N).log"
  [[ -n "${FG_STARTED:-}" ]] || ia_on_exit case1_stop_postmaster
  "$fedgate" run --state-dir "$dir/state" --node-id case1 --node-fqdn fedgate.test \
    --admin-listen "$FG:8280" --admin-token "$C1_TOKEN" --sip-tls-listen "$FG:5061" \
    --xmpp-listen "$FG:5269" --tls-cert "$P/fedgate.crt" --tls-key "$P/fedgate.key" \
    --tls-ca "$CA" --dns-server "$IA_NET.54:53" --demo-domain home.test \
    --log-level "${C1_LOG_LEVEL:-debug}" ${C1_FG_ARGS:-} >"$dir/stdout.log" 2>"$FG_LOG" &
  FG_PID=$!
  ia_track_pid "$FG_PID"
  FG_URL="http://$FG:8280"
  ia_wait_tcp "$FG" 5061 60 || ia_fail "fedgate did not listen on $FG:5061"
  FG_CONNINFO="$(grep -o 'db.embedded_started.*conninfo="[^"]*"' "$FG_LOG" | head -1 |
    sed 's/.*conninfo="\([^"]*\)"/\1/')"
  [[ -n "$FG_CONNINFO" ]] || ia_fail "no conninfo in the fedgate log"
  FG_STARTED=1
  for ((i = 0; i < 300; i++)); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "$FG_URL/readyz")" == 200 ]] && return 0
    sleep 0.1
  done
  ia_fail "fedgate not ready: $(curl -s "$FG_URL/readyz")"
}

# case1_stop_postmaster: the embedded PostgreSQL of a fedgate that did not stop it (kill -9).
case1_stop_postmaster() {
  local pidfile="$IA_DIR/fedgate/state/pg/postmaster.pid"
  [[ -f "$pidfile" ]] && kill -INT "$(head -1 "$pidfile")" 2>/dev/null
  return 0
}

case1_sql() { psql "$FG_CONNINFO" -v ON_ERROR_STOP=1 -qAt -c "$1"; }

# case1_policy SQL: a policy change; returns once fedgate's live policy has its version (30 s).
case1_policy() {
  case1_sql "$1"
  local version i
  version="$(case1_sql "SELECT version FROM policy_version")"
  for ((i = 0; i < 300; i++)); do
    curl -sf -H "Authorization: Bearer $C1_TOKEN" "$FG_URL/api/v1/policy" |
      grep -qE "\"version\": ?$version[,}]" && return 0
    sleep 0.1
  done
  ia_fail "policy version $version never reached fedgate"
}

# case1_metric NAME_AND_LABELS: the sum of matching lines of fedgate's /metrics (0 if none).
case1_metric() {
  curl -s -H "Authorization: Bearer $C1_TOKEN" "$FG_URL/metrics" | grep -F -- "$1" |
    awk '{s += $2} END {print s + 0}'
}

# --- the partner peer: peer JSON (no verdict awaited); peer_do ID JSON [SECONDS]: with
# "id": ID, wait for its verdict (cmd_ok / expect_ok pass; expect_failed / error fail);
# peer_expect ID SECONDS FIELDS-JSON: wait for an event (each matched once).
peer() { printf '%s\n' "$1" >&4; }
peer_do() {
  local id="$1" json="$2" secs="${3:-30}"
  peer "${json%\}}, \"id\": \"$id\"}"
  ia_wait_grep "$IA_DIR/peer.jsonl" "\"id\": \"$id\"" "$secs" ||
    ia_fail "peer: no verdict for $id within ${secs}s"
  grep -E "\"id\": \"$id\"" "$IA_DIR/peer.jsonl" | grep -qE '"ev": "(cmd_ok|expect_ok)"' ||
    ia_fail "peer: step $id failed: $(grep -E "\"id\": \"$id\"" "$IA_DIR/peer.jsonl" | tail -1)"
}
peer_expect() {
  local id="$1" secs="$2" fields="$3"
  peer_do "$id" "{\"cmd\": \"expect\", \"timeout\": $secs, ${fields#\{}" $((secs + 10))
}

# --- alice on Prosody (lib/common.sh's interactive clients).
xc_start() { ia_xc_start "$1" "$2" "$3" "$HOME_ADDR"; }
xc() { ia_xc "$1" "$2"; }
