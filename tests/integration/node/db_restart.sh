#!/usr/bin/env bash
# Issue 2: a database restart is survived: the node reports not-ready while PostgreSQL is
# down, recovers by itself, and policy changes made after the restart are live again.
source "$(dirname "$0")/lib.sh"

start_node a
wait_ready "$NODE_URL_a" 120 || fail "node a not ready"
conninfo=$(node_conninfo a)
pgdata=$SCRATCH/a/state/pg
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

as_pg "$bindir/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null || fail "pg_ctl stop"
not_ready() { [[ $(curl -s -o /dev/null -w '%{http_code}' "$NODE_URL_a/readyz") == 503 ]]; }
until_true 30 not_ready || fail "node stayed ready with its database down"
pass "not ready while the database is down"

as_pg "$bindir/pg_ctl" -D "$pgdata" -w -l "$pgdata/restart.log" start >/dev/null \
  || fail "pg_ctl start"
wait_ready "$NODE_URL_a" 60 || fail "node did not become ready again after the restart"
sql "$conninfo" "UPDATE xmpp_federation_policy SET default_action = 'deny'"
denies() { api a /api/v1/policy | grep -q '"xmpp_default": "deny"'; }
until_true 15 denies || fail "policy change after the restart not picked up"
pass "ready again after the restart, and policy is live"
kill -0 "$NODE_PID_a" || fail "node died"
