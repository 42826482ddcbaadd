#!/usr/bin/env bash
# Issue 2: `fedgate run --state-dir DIR --admin-listen ADDR` with nothing else configured
# initialises its own PostgreSQL, migrates, makes a development PKI, and becomes ready.
source "$(dirname "$0")/lib.sh"

start_node a
wait_ready "$NODE_URL_a" 120 || fail "/readyz never answered 200"
pass "readyz 200 on an embedded node"

[[ $(curl -s -o /dev/null -w '%{http_code}' "$NODE_URL_a/healthz") == 200 ]] || fail "healthz"
[[ $(curl -s -o /dev/null -w '%{http_code}' "$NODE_URL_a/metrics") == 401 ]] \
  || fail "/metrics answered without the token"
api a /metrics | grep -q '^fedgate_store_policy_version ' || fail "metrics lack the policy version"
api a /api/v1/policy | grep -q '"domain": "corp.example"' || fail "demo domain not in the policy"
pass "token-protected metrics and policy, demo domain seeded"

state=$SCRATCH/a/state
[[ -f $state/pki/node.pem && -f $state/pki/ca.pem ]] || fail "no development PKI"
openssl x509 -in "$state/pki/node.pem" -noout -ext subjectAltName | grep -q 'DNS:corp.example' \
  || fail "development certificate does not cover the demo domain"
[[ $(stat -c %a "$state/pki/node.key") == 600 ]] || fail "private key is not mode 0600"
pass "development PKI covers the demo domain"

kill -TERM "$NODE_PID_a"
for _ in $(seq 1 150); do kill -0 "$NODE_PID_a" 2>/dev/null || break; sleep 0.1; done
kill -0 "$NODE_PID_a" 2>/dev/null && fail "node did not stop within 15 s of SIGTERM"
grep -q 'node.stopped' "$SCRATCH/a/stderr" || fail "no node.stopped log line"
pass "graceful stop on SIGTERM"

start_node a
wait_ready "$NODE_URL_a" 120 || fail "restart on the same state dir never became ready"
pass "restart on an existing state directory"
