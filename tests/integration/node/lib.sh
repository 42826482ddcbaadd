# Shared helpers for the node integration tests (sourced). Every wait is bounded.
set -euo pipefail
FEDGATE=${1:?usage: $0 path/to/fedgate}
SCRATCH=$(mktemp -d -t fg-node-XXXXXX)
chmod 0711 "$SCRATCH"
PIDS=()

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  stop_postmasters
  rm -rf "$SCRATCH"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "PASS: $*"; }

# Stops every embedded PostgreSQL left under the scratch directory (a killed node leaves one).
stop_postmasters() {
  local pidfile
  for pidfile in $(find "$SCRATCH" -name postmaster.pid 2>/dev/null); do
    kill -INT "$(head -1 "$pidfile")" 2>/dev/null || true
  done
  sleep 0.5
}

# start_node NAME [fedgate run options...]: starts a node with its own state dir on
# 127.0.0.1:0 for the admin listener; sets NODE_URL_<NAME> and NODE_PID_<NAME>.
start_node() {
  local name=$1; shift
  local dir=$SCRATCH/$name
  mkdir -p "$dir"
  "$FEDGATE" run --state-dir "$dir/state" --admin-listen 127.0.0.1:0 --node-id "$name" \
    --sip-tls-listen "" --xmpp-listen "" --admin-token "token-$name" "$@" \
    >"$dir/stdout" 2>"$dir/stderr" &
  local pid=$!
  PIDS+=("$pid")
  printf -v "NODE_PID_$name" '%s' "$pid"
  local url=""
  for _ in $(seq 1 300); do
    url=$(grep -o 'admin http://[0-9.:]*/' "$dir/stdout" 2>/dev/null | head -1 | cut -d' ' -f2 || true)
    [[ -n "$url" ]] && break
    kill -0 "$pid" 2>/dev/null || { cat "$dir/stderr" >&2; fail "node $name exited at start"; }
    sleep 0.1
  done
  [[ -n "$url" ]] || { cat "$dir/stderr" >&2; fail "node $name printed no admin address in 30 s"; }
  printf -v "NODE_URL_$name" '%s' "${url%/}"
}

# wait_ready URL [seconds]: until /readyz answers 200.
wait_ready() {
  local url=$1 limit=${2:-60}
  for _ in $(seq 1 $((limit * 10))); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "$url/readyz") == 200 ]] && return 0
    sleep 0.1
  done
  curl -s "$url/readyz" >&2 || true
  return 1
}

# api NAME PATH: GET with the node's bearer token.
api() {
  local name=$1 path=$2 url_var="NODE_URL_$1"
  curl -sf -H "Authorization: Bearer token-$name" "${!url_var}$path"
}

# The conninfo an embedded node logged at start (db.embedded_started conninfo="...").
node_conninfo() {
  grep -o 'db.embedded_started.*conninfo="[^"]*"' "$SCRATCH/$1/stderr" | head -1 \
    | sed 's/.*conninfo="\([^"]*\)"/\1/'
}

# psql_as CONNINFO SQL...: runs SQL with psql (as the postgres user when root: peer-free
# trust auth on the node's unix socket lets root connect as user postgres).
sql() {
  local conninfo=$1; shift
  psql "$conninfo" -v ON_ERROR_STOP=1 -qAt -c "$*"
}

# until_true SECONDS CMD...: polls CMD every 0.1 s.
until_true() {
  local limit=$1; shift
  for _ in $(seq 1 $((limit * 10))); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  return 1
}
