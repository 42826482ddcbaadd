# shellcheck shell=bash disable=SC2034  # library: variables are read by the sourcing test
# Interop harness: the fedgate node under test (owned by the interop harness). Source after
# common.sh. fg_configure says how to run it; fg_start runs `fedgate run` on an embedded
# PostgreSQL under $IA_DIR/fedgate and returns once it listens and /readyz answers 200 (503
# while it starts, e.g. `switchboard_restoring` until the switchboard restored its state).
# fg_sql / fg_policy / fg_metric talk to it; fg_kill9, fg_stop and fg_restart end or restart
# it on the same state directory; the embedded PostgreSQL a kill -9 leaves is stopped on exit.
#
# fg_configure BINARY ADDR NODE_ID TOKEN [--no-sip] [EXTRA `fedgate run` OPTIONS...]
#   admin API on ADDR:8280 (bearer TOKEN), XMPP s2s on ADDR:5269, SIP over TLS on ADDR:5061
#   (none with --no-sip), certificate $IA_DIR/pki/fedgate.{crt,key}, trust anchors $CA, DNS
#   server $IA_NET.54, local domain home.test, log level $FG_LOG_LEVEL (default debug).
# Sets FG_ADDR, FG_URL, FG_TOKEN, FG_LOG, FG_STATE; fg_start sets FG_PID and FG_CONNINFO.

FG_STARTS=0  # how many times fg_start ran in this test

fg_configure() {
  FG_BIN="$1" FG_ADDR="$2" FG_NODE_ID="$3" FG_TOKEN="$4"
  shift 4
  FG_SIP_LISTEN="$FG_ADDR:5061" FG_WAIT_PORT=5061
  if [[ "${1:-}" == --no-sip ]]; then
    FG_SIP_LISTEN="" FG_WAIT_PORT=5269
    shift
  fi
  FG_EXTRA_ARGS=("$@")
  FG_URL="http://$FG_ADDR:8280"
  FG_DIR="$IA_DIR/fedgate" FG_STATE="$IA_DIR/fedgate/state" FG_LOG="$IA_DIR/fedgate/fedgate.log"
}

# fg_start: start fedgate (an earlier run's log is renamed, not overwritten); fails the test
# unless it listens within 60 s, logs its database's conninfo and is ready within 30 s.
fg_start() {
  mkdir -p "$FG_DIR"
  [[ -f "$FG_LOG" ]] && mv "$FG_LOG" "$FG_DIR/fedgate-$(date +%s%N).log"
  ((FG_STARTS++ > 0)) || ia_on_exit fg_stop_postmaster
  "$FG_BIN" run --state-dir "$FG_STATE" --node-id "$FG_NODE_ID" --node-fqdn fedgate.test \
    --admin-listen "$FG_ADDR:8280" --admin-token "$FG_TOKEN" --sip-tls-listen "$FG_SIP_LISTEN" \
    --xmpp-listen "$FG_ADDR:5269" --tls-cert "$IA_DIR/pki/fedgate.crt" \
    --tls-key "$IA_DIR/pki/fedgate.key" --tls-ca "$CA" --dns-server "$IA_NET.54:53" \
    --demo-domain home.test --log-level "${FG_LOG_LEVEL:-debug}" "${FG_EXTRA_ARGS[@]}" \
    >"$FG_DIR/stdout.log" 2>"$FG_LOG" &
  FG_PID=$!
  ia_track_pid "$FG_PID"
  ia_wait_tcp "$FG_ADDR" "$FG_WAIT_PORT" 60 ||
    ia_fail "fedgate did not listen on $FG_ADDR:$FG_WAIT_PORT"
  FG_CONNINFO="$(grep -o 'db.embedded_started.*conninfo="[^"]*"' "$FG_LOG" | head -1 |
    sed 's/.*conninfo="\([^"]*\)"/\1/')"
  [[ -n "$FG_CONNINFO" ]] || ia_fail "no conninfo in the fedgate log"
  fg_wait_ready
}

# fg_wait_ready: /readyz answers 200 within 30 s, or the test fails with its last answer.
fg_wait_ready() {
  local i
  for ((i = 0; i < 300; i++)); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "$FG_URL/readyz")" == 200 ]] && return 0
    sleep 0.1
  done
  ia_fail "fedgate not ready: $(curl -s "$FG_URL/readyz")"
}

# fg_kill9: a crash (kill -9); its embedded PostgreSQL keeps running for the next fg_start.
fg_kill9() {
  kill -9 "$FG_PID"
  wait "$FG_PID" 2>/dev/null || true
}

# fg_stop [SECONDS]: a graceful stop (TERM, up to SECONDS (20), then KILL).
fg_stop() {
  ia_stop_pid "$FG_PID" "${1:-20}"
  wait "$FG_PID" 2>/dev/null || true
}

# fg_restart [WHY]: graceful stop, then start again on the same state directory and database.
fg_restart() {
  fg_stop 20
  ia_log "${1:-fedgate stopped; starting it again}"
  fg_start
}

# fg_stop_postmaster: the embedded PostgreSQL of a fedgate that did not stop it (kill -9),
# by the pid in its postmaster.pid (run on exit).
fg_stop_postmaster() {
  local pidfile="$FG_STATE/pg/postmaster.pid"
  [[ -f "$pidfile" ]] && kill -INT "$(head -1 "$pidfile")" 2>/dev/null
  return 0
}

# fg_sql SQL: run SQL on fedgate's database (unaligned, tuples only).
fg_sql() { psql "$FG_CONNINFO" -v ON_ERROR_STOP=1 -qAt -c "$1"; }

# fg_policy SQL: a policy change; returns once fedgate's live policy (admin API) has the
# version the change committed (30 s).
fg_policy() {
  fg_sql "$1"
  local version i
  version="$(fg_sql "SELECT version FROM policy_version")"
  for ((i = 0; i < 300; i++)); do
    curl -sf -H "Authorization: Bearer $FG_TOKEN" "$FG_URL/api/v1/policy" |
      grep -qE "\"version\": ?${version}[,}]" && return 0
    sleep 0.1
  done
  ia_fail "policy version $version never reached fedgate"
}

# fg_metric TEXT / fg_metric_re ERE: the sum of fedgate's /metrics samples whose line contains
# TEXT / matches ERE (0 when none does).
fg_metric() { fg_metrics | grep -F -- "$1" | awk '{s += $NF} END {print s + 0}'; }
fg_metric_re() { fg_metrics | grep -E -- "$1" | awk '{s += $NF} END {print s + 0}'; }
fg_metrics() { curl -s -H "Authorization: Bearer $FG_TOKEN" "$FG_URL/metrics"; }
