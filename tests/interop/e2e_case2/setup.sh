# shellcheck shell=bash disable=SC2034  # library: variables are read by the sourcing test
# Shared set-up of the end-to-end Case 2 tests (sourced): a SIP deployment gains XMPP
# federation. ms_peer.py (.30) plays the Lync / Skype for Business pool of the local domain
# home.test (users alice and dave); fedgate (.50) reaches it by the local domain's TLS home
# route, and the pool sends everything for other domains to fedgate (--gateway: the static
# route). ejabberd (.20) serves the XMPP partner partner.test (bob and carol, logged in with
# slixmpp). Split-horizon DNS: the partners' DNS (.53) publishes _xmpp-server._tcp.home.test
# → fedgate; fedgate's DNS (.54) knows partner.test, down.test (an address nobody listens on)
# and nothing of ghost.test. Policy: XMPP federation default deny, exceptions (the federated
# list) partner.test, down.test and ghost.test. With C2_PROSODY=1, Prosody (.25) serves a
# second XMPP partner, other.test (user erin), also on the list.
# case2_setup FEDGATE NAME: everything up; sets POOL, EJ, FG, P, CA, FG_LOG, FG_CONNINFO, FG_URL.

C2_TOKEN=case2-token

case2_setup() {
  local fedgate="$1" name="$2"
  ia_init "e2e-case2-$name"
  POOL="$IA_NET.30" EJ="$IA_NET.20" DOWN="$IA_NET.21" FG="$IA_NET.50"
  P="$IA_DIR/pki" CA="$IA_DIR/pki/ca/ca.crt"
  pki_standard "$P" partner.test other.test
  pki_leaf "$P/ca" "$P/pool" sip.home.test --dns sip.home.test --dns pool.home.test
  pki_leaf "$P/ca" "$P/fedgate" fedgate.test --dns fedgate.test --dns sip.fedgate.test \
    --dns home.test

  dns_xmpp_domain home.test "$FG"
  dns_start "$IA_DIR/dns-partners" "$IA_NET.53"
  dns_reset
  dns_xmpp_domain partner.test "$EJ"
  dns_xmpp_domain down.test "$DOWN"
  dns_xmpp_domain other.test "$IA_NET.25"
  dns_start_view "$IA_DIR/dns-fedgate" "$IA_NET.54"

  ejabberd_start "$IA_DIR/ejabberd" "$EJ" partner.test "$P/partner.test" "$CA" \
    --s2s-auth any --s2s-tls required --user bob:bob-pw --user carol:carol-pw ||
    ia_fail "ejabberd did not start"
  if [[ "${C2_PROSODY:-0}" == 1 ]]; then
    prosody_start "$IA_DIR/prosody" "$IA_NET.25" other.test "$P/other.test" "$CA" \
      --s2s-auth any --s2s-tls required --user erin:erin-pw || ia_fail "prosody did not start"
  fi
  case2_start_pool
  case2_start_fedgate "$fedgate"
  case2_policy "UPDATE local_domains SET home_protocol = 'sip', home_host = '$POOL',
                  home_port = 5061, transport = 'tls' WHERE domain = 'home.test';
                UPDATE xmpp_federation_policy SET default_action = 'deny';
                INSERT INTO xmpp_policy_exceptions (pattern) VALUES
                  ('partner.test'), ('down.test'), ('ghost.test'), ('other.test')"
}

# case2_start_pool: the home pool (ms_peer.py), driven through a FIFO (fd 4).
case2_start_pool() {
  mkfifo "$IA_DIR/pool.cmd"
  exec 4<>"$IA_DIR/pool.cmd"
  "$IA_PYTHON" "$LIB/ms_peer.py" --addr "$POOL" --port 5061 --cert "$P/pool" --cafile "$CA" \
    --gateway "$FG:5061" --gateway-name fedgate.test --fqdn sip.home.test \
    --user alice@home.test --user dave@home.test --lifetime 300 ${C2_POOL_ARGS:-} \
    <"$IA_DIR/pool.cmd" >"$IA_DIR/pool.jsonl" 2>"$IA_DIR/pool.log" &
  ia_track_pid $!
  ia_wait_tcp "$POOL" 5061 10 || ia_fail "the home pool did not listen"
}

# case2_start_fedgate BINARY: embedded PostgreSQL in the scratch dir; waits for /readyz.
case2_start_fedgate() {
  local fedgate="$1" dir="$IA_DIR/fedgate" i
  mkdir -p "$dir"
  FG_LOG="$dir/fedgate.log"
  [[ -f "$FG_LOG" ]] && mv "$FG_LOG" "$dir/fedgate-$(date +%s%N).log"
  [[ -n "${FG_STARTED:-}" ]] || ia_on_exit case2_stop_postmaster
  "$fedgate" run --state-dir "$dir/state" --node-id case2 --node-fqdn fedgate.test \
    --admin-listen "$FG:8280" --admin-token "$C2_TOKEN" --sip-tls-listen "$FG:5061" \
    --xmpp-listen "$FG:5269" --tls-cert "$P/fedgate.crt" --tls-key "$P/fedgate.key" \
    --tls-ca "$CA" --dns-server "$IA_NET.54:53" --demo-domain home.test --log-level "${C2_LOG_LEVEL:-debug}" \
    ${C2_FG_ARGS:-} >"$dir/stdout.log" 2>"$FG_LOG" &
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

# case2_stop_postmaster: the embedded PostgreSQL of a fedgate that did not stop it (kill -9).
case2_stop_postmaster() {
  local pidfile="$IA_DIR/fedgate/state/pg/postmaster.pid"
  [[ -f "$pidfile" ]] && kill -INT "$(head -1 "$pidfile")" 2>/dev/null
  return 0
}

case2_sql() { psql "$FG_CONNINFO" -v ON_ERROR_STOP=1 -qAt -c "$1"; }

# case2_policy SQL: a policy change; returns once fedgate's live policy has its version (30 s).
case2_policy() {
  case2_sql "$1"
  local version i
  version="$(case2_sql "SELECT version FROM policy_version")"
  for ((i = 0; i < 300; i++)); do
    curl -sf -H "Authorization: Bearer $C2_TOKEN" "$FG_URL/api/v1/policy" |
      grep -qE "\"version\": ?$version[,}]" && return 0
    sleep 0.1
  done
  ia_fail "policy version $version never reached fedgate"
}

# case2_metric NAME_AND_LABELS: the sum of matching lines of fedgate's /metrics (0 if none).
case2_metric() {
  curl -s -H "Authorization: Bearer $C2_TOKEN" "$FG_URL/metrics" | grep -F -- "$1" |
    awk '{s += $2} END {print s + 0}'
}

# --- the home pool: pool JSON (no verdict awaited); pool_do ID JSON [SECONDS]: the command
# carries "id": ID, wait for its verdict (cmd_ok / expect_ok pass; expect_failed / error fail).
pool() { printf '%s\n' "$1" >&4; }
pool_do() {
  local id="$1" json="$2" secs="${3:-30}"
  pool "${json%\}}, \"id\": \"$id\"}"
  ia_wait_grep "$IA_DIR/pool.jsonl" "\"id\": \"$id\"" "$secs" ||
    ia_fail "pool: no verdict for $id within ${secs}s"
  grep -E "\"id\": \"$id\"" "$IA_DIR/pool.jsonl" | grep -qE '"ev": "(cmd_ok|expect_ok)"' ||
    ia_fail "pool: step $id failed: $(grep -E "\"id\": \"$id\"" "$IA_DIR/pool.jsonl" | tail -1)"
}
# pool_expect ID SECONDS EVENT-FIELDS-JSON: wait for an event (consumed once) on the pool.
pool_expect() {
  local id="$1" secs="$2" fields="$3"
  pool_do "$id" "{\"cmd\": \"expect\", \"timeout\": $secs, ${fields#\{}" $((secs + 10))
}

# --- XMPP partner users on ejabberd (lib/common.sh's interactive clients).
xc_start() { ia_xc_start "$1" "$2" "$3" "$EJ"; }
xc() { ia_xc "$1" "$2"; }
