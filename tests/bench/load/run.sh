#!/bin/bash
# Load run (issue 6 benchmark): fedgate (Release, embedded PostgreSQL) between the load
# generator's XMPP home (home.test) and its Microsoft-dialect SIP partner (partner.test), then
# the same XMPP work through Prosody <-> ejabberd s2s (XEP-0114 components comp.home.test and
# comp.partner.test) as the baseline. Everything on a private loopback /24 under a temp dir,
# stopped by pid on exit; every wait bounded.
# Usage: run.sh --fedgate PATH --load PATH [--smoke] [--no-baseline] [--perf SECONDS]
#               [--sweep R1,R2,...] [--fedgate-log LEVEL] [-- fedgate_load options...]
#   --smoke: tiny counts, correctness only (every update and IM arrives, mapped, none lost).
#   --sweep RATES: latency at given loads: every phase open loop at each rate in turn (5 s of
#             sends per rate unless -- --sweep-seconds S), p50/p99 and the schedule lag per
#             rate, and per phase the highest rate with p99 < 5 ms; implies --no-baseline.
#   --perf S: once setup is done, `perf record` fedgate, its PostgreSQL and the generator for
#             S seconds and print samples per process and the top symbols (servers.sh lg_perf:
#             LG_PERF_ALL, LG_PERF_CALLGRAPH, LG_PERF_KEEP). Without it the report still gives
#             each phase's CPU split per process (the generator reads /proc).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
LIB="$HERE/../../interop/lib"
source "$LIB/common.sh"; source "$LIB/pki.sh"; source "$LIB/dns.sh"

FEDGATE="" LOAD="" SMOKE=0 BASELINE=1 PERF_S=0 FG_LOG_LEVEL=warn EXTRA=() SWEEP=""
while (($#)); do
  case "$1" in
    --fedgate) FEDGATE="$2"; shift ;;
    --load) LOAD="$2"; shift ;;
    --smoke) SMOKE=1 ;;
    --no-baseline) BASELINE=0 ;;
    --perf) PERF_S="$2"; shift ;;
    --sweep) SWEEP="$2"; BASELINE=0; shift ;;
    --fedgate-log) FG_LOG_LEVEL="$2"; shift ;;
    --) shift; EXTRA=("$@"); break ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[[ -x "$FEDGATE" && -x "$LOAD" ]] || { echo "usage: run.sh --fedgate PATH --load PATH" >&2; exit 2; }
source "$HERE/servers.sh"

ia_init "load$( ((SMOKE)) && echo -smoke)"
GEN_HOME="$IA_NET.10" PROSODY_ADDR="$IA_NET.20" EJABBERD_ADDR="$IA_NET.30"
GEN_PARTNER="$IA_NET.40" FG="$IA_NET.50"
P="$IA_DIR/pki" CA="$IA_DIR/pki/ca/ca.crt" SECRET="load-$RANDOM$RANDOM"
pki_ca "$P/ca"
pki_leaf "$P/ca" "$P/home" home.test --dns home.test
pki_leaf "$P/ca" "$P/partner" sip.partner.test --dns sip.partner.test --dns partner.test
pki_leaf "$P/ca" "$P/fedgate" fedgate.test --dns fedgate.test --dns sip.fedgate.test \
  --dns partner.test --dns home.test

ia_log "fedgate on $FG (home.test's home: the generator at $GEN_HOME; partner.test: $GEN_PARTNER)"
lg_fedgate_start "$IA_DIR/fedgate" "$FG" "$GEN_HOME" "$GEN_PARTNER" || ia_fail "fedgate did not start"

if ((BASELINE)); then
  pki_leaf "$P/ca" "$P/prosody" home.test --dns home.test --dns comp.home.test
  pki_leaf "$P/ca" "$P/ejabberd" partner.test --dns partner.test --dns comp.partner.test
  dns_xmpp_domain comp.home.test "$PROSODY_ADDR"
  dns_xmpp_domain comp.partner.test "$EJABBERD_ADDR"
  dns_start "$IA_DIR/dns" "$IA_NET.53" || ia_fail "test DNS did not start"
  lg_prosody_start "$IA_DIR/prosody" "$PROSODY_ADDR" "$P/prosody" "$CA" "$SECRET" ||
    ia_fail "prosody did not start"
  lg_ejabberd_start "$IA_DIR/ejabberd" "$EJABBERD_ADDR" "$P/ejabberd" "$CA" "$SECRET" ||
    ia_fail "ejabberd did not start"
fi

PG_MAIN="$(head -1 "$IA_DIR/fedgate/state/pg/postmaster.pid")"
# --cpu/--cpu-tree: the report's per-phase CPU split (fedgate, its PostgreSQL, the generator,
# everything else on the machine, idle), from /proc, with or without --perf.
ARGS=(--home-listen "$GEN_HOME:5269" --home-cert "$P/home" --partner-listen "$GEN_PARTNER:5061"
  --partner-cert "$P/partner" --ca "$CA" --fedgate-xmpp "$FG:5269" --fedgate-sip "$FG:5061"
  --fedgate-name fedgate.test sip.fedgate.test --json "$IA_DIR/results.jsonl"
  --cpu "fedgate=$FEDGATE_PID" --cpu-tree "postgres=$PG_MAIN")
if ((BASELINE)); then
  ARGS+=(--baseline-home "$PROSODY_ADDR:5347:comp.home.test:$SECRET"
    --baseline-partner "$EJABBERD_ADDR:5347:comp.partner.test:$SECRET"
    --baseline-cpu-tree "prosody=$PROSODY_PID" --baseline-cpu-tree "ejabberd=$EJABBERD_TREE_PID")
fi
if ((SMOKE)); then
  ARGS+=(--users 20 --count 200 --window 40 --drain 15 --setup-timeout 60 --log-level info)
fi
[[ -z "$SWEEP" ]] || ARGS+=(--rates "$SWEEP")
LIMIT=$( ((SMOKE)) && echo 200 || echo 1500)
ia_log "fedgate_load ${ARGS[*]} ${EXTRA[*]}"
timeout "$LIMIT" "$LOAD" "${ARGS[@]}" "${EXTRA[@]}" >"$IA_DIR/report.txt" 2>"$IA_DIR/load.log" &
LOAD_PID=$!
ia_track_pid "$LOAD_PID"
if ((PERF_S > 0)); then  # lg_perf adds the descendants (the generator under timeout, backends)
  lg_perf "$IA_DIR" "$PERF_S" "$IA_DIR/load.log" "$FEDGATE_PID" "$LOAD_PID" "$PG_MAIN"
fi
COMMITS_BEFORE="$(lg_pg_commits)"
rc=0
wait "$LOAD_PID" || rc=$?
ia_log "PostgreSQL commits in fedgate's database during the run: $(($(lg_pg_commits) - COMMITS_BEFORE))"
curl -sf "http://$FG:8280/metrics" | grep -E '^fedgate_store_db_latency_seconds_(count|sum)' >&2 || true
cat "$IA_DIR/load.log" >&2
cat "$IA_DIR/report.txt"
((PERF_S > 0)) && lg_perf_report "$IA_DIR"
if ((BASELINE)); then  # the baseline's stanzas crossed Prosody <-> ejabberd s2s, both ways
  S2S="$(ss -Htn state established "( dport = :5269 )" | awk '{print $4}')"
  ia_log "baseline s2s connections (to the servers' 5269): $(echo "$S2S" | tr '\n' ' ')"
  grep -qx "$PROSODY_ADDR:5269" <<<"$S2S" && grep -qx "$EJABBERD_ADDR:5269" <<<"$S2S" ||
    ia_fail "the baseline did not use s2s between Prosody and ejabberd"
fi
ia_log "fedgate metrics (non-zero refusals and drops):"
curl -sf "http://$FG:8280/metrics" |
  grep -E '_(refused|refusals|failures|dropped|bounced|bugs)[a-z_]*\{?.*\}? [1-9]' >&2 || true
if ((rc != 0)); then
  ia_fail "fedgate_load reported a failure (rc=$rc): setup incomplete, or updates/IMs lost or mis-mapped"
fi
ia_log "PASS load$( ((SMOKE)) && echo " smoke"): nothing lost, everything mapped"
