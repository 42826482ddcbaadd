# shellcheck shell=bash disable=SC2034  # library: variables are read by the sourcing test
# Interop harness: shared helpers for the real-server tests (owned by the interop harness).
# Source it from a bash test script; it provides a scratch directory, a pid registry that is
# cleaned up on EXIT (TERM, bounded wait, then KILL), bounded wait loops and a private /24 on
# the loopback network claimed with an atomic lock so that parallel tests never collide.

IA_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
IA_PIDS=()          # pids to stop on exit, in start order
IA_DIR=""           # scratch directory of this test
IA_NET=""           # "127.A.B" prefix claimed by this test
IA_NET_LOCK=""
IA_KEEP="${IA_KEEP:-0}"  # 1: keep the scratch directory for inspection

ia_log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

ia_fail() {
  ia_log "FAIL: $*"
  exit 1
}

# ia_init NAME: scratch dir + loopback net + EXIT trap. Must be called once, first.
ia_init() {
  local name="$1"
  IA_DIR="$(mktemp -d "${TMPDIR:-/tmp}/fedgate-interop-${name}.XXXXXX")"
  chmod 755 "$IA_DIR"
  trap ia_cleanup EXIT
  trap 'exit 130' INT TERM
  ia_claim_net
  ia_log "scratch $IA_DIR, loopback net $IA_NET.0/24"
}

# ia_claim_net: pick a random 127.A.B.0/24 with nothing listening on it, claim it by mkdir
# (atomic) under the temp dir; the lock holds the owner pid so a killed test's lock is reused.
ia_claim_net() {
  local i a b lock owner
  for ((i = 0; i < 200; i++)); do
    a=$((100 + RANDOM % 100)); b=$((RANDOM % 250 + 1))
    lock="${TMPDIR:-/tmp}/fedgate-interop-net-$a.$b.lock"
    owner="$(cat "$lock/pid" 2>/dev/null || true)"
    if [[ -n "$owner" ]] && ! kill -0 "$owner" 2>/dev/null; then
      rm -rf "$lock"  # stale: its test was killed without cleanup
    fi
    if mkdir "$lock" 2>/dev/null; then
      echo $$ >"$lock/pid"
      if ss -Hltnu | awk '{print $5}' | grep -q "^127\.$a\.$b\."; then
        rm -rf "$lock"
        continue
      fi
      IA_NET="127.$a.$b"
      IA_NET_LOCK="$lock"
      return 0
    fi
  done
  ia_fail "no free loopback /24 found"
}

# ia_track_pid PID: stop this process on exit.
ia_track_pid() { IA_PIDS+=("$1"); }

# ia_descendants PID: print the pids of all descendants of PID (by id, via ps --ppid).
ia_descendants() {
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    echo "$child"
    ia_descendants "$child"
  done
}

# ia_stop_pid PID [SECONDS]: TERM PID and every descendant (a wrapper such as ejabberdctl's
# su may not forward it), wait up to SECONDS (default 10) for all of them, then KILL.
ia_stop_pid() {
  local pid="$1" secs="${2:-10}" i p alive
  [[ -n "$pid" ]] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  local tree
  mapfile -t tree < <(ia_descendants "$pid")
  tree=("$pid" "${tree[@]}")
  kill -TERM "${tree[@]}" 2>/dev/null || true
  for ((i = 0; i < secs * 10; i++)); do
    alive=()
    for p in "${tree[@]}"; do kill -0 "$p" 2>/dev/null && alive+=("$p"); done
    ((${#alive[@]})) || return 0
    sleep 0.1
  done
  ia_log "pids ${alive[*]} ignored TERM for ${secs}s, sending KILL"
  kill -KILL "${alive[@]}" 2>/dev/null || true
  return 0
}

# ia_cleanup: run by the EXIT trap; also runs any ia_on_exit hooks (newest first).
IA_EXIT_HOOKS=()
ia_on_exit() { IA_EXIT_HOOKS+=("$1"); }
ia_cleanup() {
  local rc=$? i
  trap '' INT TERM  # a second signal must not abort the cleanup
  set +e            # nor a process that exits between listing and kill
  for ((i = ${#IA_EXIT_HOOKS[@]} - 1; i >= 0; i--)); do eval "${IA_EXIT_HOOKS[i]}" || true; done
  for ((i = ${#IA_PIDS[@]} - 1; i >= 0; i--)); do ia_stop_pid "${IA_PIDS[i]}"; done
  wait 2>/dev/null
  [[ -n "$IA_NET_LOCK" ]] && rm -rf "$IA_NET_LOCK"
  if [[ $rc -ne 0 && -n "$IA_DIR" ]]; then
    ia_log "test failed (rc=$rc); logs follow"
    ia_dump_logs
  fi
  if [[ -n "$IA_DIR" && "$IA_KEEP" != 1 ]]; then
    rm -rf "$IA_DIR"
  elif [[ -n "$IA_DIR" ]]; then
    ia_log "kept scratch directory $IA_DIR"
  fi
  exit $rc
}

# ia_dump_logs: tail of every *.log under the scratch dir (for ctest --output-on-failure).
ia_dump_logs() {
  local f
  while IFS= read -r f; do
    echo "----- ${f#"$IA_DIR"/} (last 60 lines) -----" >&2
    tail -n 60 "$f" >&2
  done < <(find "$IA_DIR" -name '*.log' -type f 2>/dev/null | sort)
}

# ia_wait_tcp ADDR PORT SECONDS: wait until something listens on ADDR:PORT (TCP).
ia_wait_tcp() {
  local addr="$1" port="$2" secs="$3" i
  for ((i = 0; i < secs * 10; i++)); do
    ss -Hltn "sport = :$port" | awk '{print $4}' | grep -qx "$addr:$port" && return 0
    sleep 0.1
  done
  return 1
}

# ia_wait_udp ADDR PORT SECONDS: same for a UDP socket.
ia_wait_udp() {
  local addr="$1" port="$2" secs="$3" i
  for ((i = 0; i < secs * 10; i++)); do
    ss -Hlun "sport = :$port" | awk '{print $4}' | grep -qx "$addr:$port" && return 0
    sleep 0.1
  done
  return 1
}

# ia_wait_grep FILE REGEX SECONDS: wait until FILE contains a line matching REGEX (grep -E).
ia_wait_grep() {
  local file="$1" re="$2" secs="$3" i
  for ((i = 0; i < secs * 10; i++)); do
    grep -qE -- "$re" "$file" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# ia_alive PID NAME: fail the test if the process died.
ia_alive() { kill -0 "$1" 2>/dev/null || ia_fail "$2 (pid $1) is not running"; }

# ia_python: the Debian interpreter that has python3-slixmpp (not a pyenv one on PATH).
IA_PYTHON="${IA_PYTHON:-/usr/bin/python3}"

# --- Interactive XMPP clients (xmpp_client.py --interactive), driven step by step from bash.
# ia_xc_start NAME JID PASSWORD HOST [CAFILE]: log in; its events go to $IA_DIR/NAME.jsonl.
# ia_xc NAME STEP: run one step, fail the test unless it passes; ia_xc_try NAME STEP: 0 or 1.
# IA_XC_TIMEOUT (default 20): seconds per wait step.
declare -A IA_XC_FD IA_XC_N
ia_xc_start() {
  local name="$1" jid="$2" pw="$3" host="$4" cafile="${5:-${CA:-}}" fd
  mkfifo "$IA_DIR/$name.cmd"
  exec {fd}<>"$IA_DIR/$name.cmd"
  IA_XC_FD[$name]=$fd
  IA_XC_N[$name]=0
  "$IA_PYTHON" "$IA_LIB_DIR/xmpp_client.py" --jid "$jid" --password "$pw" --host "$host" \
    --cafile "$cafile" --timeout "${IA_XC_TIMEOUT:-20}" --deadline 600 --interactive \
    <&"$fd" >"$IA_DIR/$name.jsonl" 2>"$IA_DIR/$name.log" &
  ia_track_pid $!
  ia_wait_grep "$IA_DIR/$name.jsonl" '"event": "logged-in"' 30 || ia_fail "$name did not log in"
}
ia_xc_try() {
  local name="$1" step="$2" n
  n=$((IA_XC_N[$name] + 1))
  IA_XC_N[$name]=$n
  printf '%s\n' "$step" >&"${IA_XC_FD[$name]}"
  ia_wait_grep "$IA_DIR/$name.jsonl" "\"n\": $n}" $((${IA_XC_TIMEOUT:-20} + 15)) ||
    ia_fail "$name: no verdict for '$step'"
  grep -qE "\"ok\": true, \"n\": $n}" "$IA_DIR/$name.jsonl"
}
ia_xc() { ia_xc_try "$1" "$2" || ia_fail "$1: step failed: $2"; }

# --- One SIP request over mutual TLS (sip_tls.py send).
# ia_sip_send NAME ADDR SERVER_NAME CERT EXPECT TEMPLATE [VAR=VALUE...]: the request template
# $REQ/TEMPLATE filled with SELF=$IA_SIP_SELF and the VAR=VALUE pairs, sent to ADDR:5061 with
# the client certificate CERT (none when empty), the server verified as SERVER_NAME with $CA;
# returns 0 when the final response is EXPECT (IA_SIP_TIMEOUT seconds, default 10). Its JSON
# lines go to $IA_DIR/NAME.jsonl.
ia_sip_send() {
  local name="$1" addr="$2" server="$3" cert="$4" expect="$5" tmpl="$6"; shift 6
  local sets=() kv
  for kv in "$@"; do sets+=(--set "$kv"); done
  "$IA_PYTHON" "$IA_LIB_DIR/sip_tls.py" send --addr "$addr" --port 5061 --cafile "$CA" \
    ${cert:+--cert "$cert"} --server-name "$server" --file "$REQ/$tmpl" --expect "$expect" \
    --timeout "${IA_SIP_TIMEOUT:-10}" --set SELF="$IA_SIP_SELF" "${sets[@]}" \
    >"$IA_DIR/$name.jsonl" 2>&1
}
