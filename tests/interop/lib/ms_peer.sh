# shellcheck shell=bash
# Interop harness: the Microsoft-dialect SIP peer ms_peer.py driven from bash (owned by the
# interop harness). Source after common.sh. One peer per test: it reads JSON commands from a
# FIFO on fd 4 and writes its events, one JSON object a line, to $IA_DIR/NAME.jsonl.
#   msp_start NAME WHAT ADDR CERT FQDN [ms_peer.py options...]: start it on ADDR:5061 with
#     certificate CERT.{crt,key}, trust anchors $CA, fedgate ($FG_ADDR:5061, fedgate.test) as
#     its gateway; fails with "WHAT did not listen" unless it listens within 10 s.
#   msp JSON: one command, no verdict awaited.
#   msp_do NAME ID JSON [SECONDS]: the command with "id": ID; waits for its verdict (cmd_ok /
#     expect_ok pass; expect_failed / error fail the test).
#   msp_expect NAME ID SECONDS FIELDS-JSON: wait for an event (each event matches once).
#   msp_wait NAME REGEX SECONDS WHY / msp_wait_n NAME REGEX N SECONDS WHY: until one / N lines
#     of its events match REGEX, else the test fails with WHY.

msp_start() {
  local name="$1" what="$2" addr="$3" cert="$4" fqdn="$5"
  shift 5
  mkfifo "$IA_DIR/$name.cmd"
  exec 4<>"$IA_DIR/$name.cmd"
  "$IA_PYTHON" "$IA_LIB_DIR/ms_peer.py" --addr "$addr" --port 5061 --cert "$cert" \
    --cafile "$CA" --gateway "$FG_ADDR:5061" --gateway-name fedgate.test --fqdn "$fqdn" "$@" \
    <"$IA_DIR/$name.cmd" >"$IA_DIR/$name.jsonl" 2>"$IA_DIR/$name.log" &
  ia_track_pid $!
  ia_wait_tcp "$addr" 5061 10 || ia_fail "$what did not listen"
}

msp() { printf '%s\n' "$1" >&4; }

msp_do() {
  local name="$1" id="$2" json="$3" secs="${4:-30}" events="$IA_DIR/$1.jsonl"
  msp "${json%\}}, \"id\": \"$id\"}"
  ia_wait_grep "$events" "\"id\": \"$id\"" "$secs" ||
    ia_fail "$name: no verdict for $id within ${secs}s"
  grep -E "\"id\": \"$id\"" "$events" | grep -qE '"ev": "(cmd_ok|expect_ok)"' ||
    ia_fail "$name: step $id failed: $(grep -E "\"id\": \"$id\"" "$events" | tail -1)"
}

msp_expect() {
  local name="$1" id="$2" secs="$3" fields="$4"
  msp_do "$name" "$id" "{\"cmd\": \"expect\", \"timeout\": $secs, ${fields#\{}" $((secs + 10))
}

msp_wait() { ia_wait_grep "$IA_DIR/$1.jsonl" "$2" "$3" || ia_fail "$4"; }

msp_wait_n() {
  local re="$2" n="$3" secs="$4" i
  for ((i = 0; i < secs * 10; i++)); do
    (($(grep -cE -- "$re" "$IA_DIR/$1.jsonl" 2>/dev/null || true) >= n)) && return 0
    sleep 0.1
  done
  ia_fail "$5"
}
