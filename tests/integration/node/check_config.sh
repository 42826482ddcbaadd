#!/usr/bin/env bash
# Issue 2: `fedgate check-config` catches each misconfiguration and says exactly what is
# wrong. Certificates are built with the openssl CLI (tests/interop/lib/pki.sh).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/../../interop/lib/pki.sh"

pki=$SCRATCH/pki
pki_ca "$pki/ca" >/dev/null
pki_ca "$pki/other" "some other CA" >/dev/null
pki_leaf "$pki/ca" "$pki/good" corp.example --dns corp.example --dns fedgate.corp.example >/dev/null
pki_leaf "$pki/ca" "$pki/expired" corp.example --expired >/dev/null
pki_leaf "$pki/ca" "$pki/serveronly" corp.example --server-only >/dev/null
pki_leaf "$pki/ca" "$pki/wrongname" other.example >/dev/null
pki_leaf "$pki/other" "$pki/untrusted" corp.example >/dev/null

# A real database with the schema and one local domain, from an embedded node.
start_node a
wait_ready "$NODE_URL_a" 120 || fail "node a not ready"
db=$(node_conninfo a)
sql "$db" "CREATE DATABASE unmigrated" >/dev/null
empty_db=$(sed -E "s/dbname=('?)fedgate'?/dbname=\1unmigrated\1/" <<<"$db")
[[ $empty_db == *unmigrated* ]] || fail "cannot derive a conninfo for the unmigrated database"

# check EXPECTED_STATUS PATTERN [check-config options...]
check() {
  local want=$1 pattern=$2; shift 2
  local out status=0
  [[ -n ${DEBUG_CHECK:-} ]] && echo "+ check-config $*" >&2
  out=$("$FEDGATE" check-config --state-dir "$SCRATCH/cc" "$@" 2>&1) || status=$?
  [[ $status == "$want" ]] || { echo "$out" >&2; fail "exit $status, wanted $want for: $pattern"; }
  grep -qE -- "$pattern" <<<"$out" || { echo "$out" >&2; fail "no line matching: $pattern"; }
  pass "$pattern"
}
tls=(--tls-cert "$pki/good.crt" --tls-key "$pki/good.key" --tls-ca "$pki/ca/ca.crt")

check 0 "^0 errors" --database "$db" "${tls[@]}"
check 1 "^error: tls-key .*does not (match|belong)" --database "$db" --tls-cert "$pki/good.crt" \
  --tls-key "$pki/wrongname.key" --tls-ca "$pki/ca/ca.crt"
check 1 "^error: tls-key .*(cannot|unreadable)" --database "$db" --tls-cert "$pki/good.crt" \
  --tls-key "$SCRATCH/missing.key" --tls-ca "$pki/ca/ca.crt"
check 1 "^error: tls-cert .*(cannot|unreadable)" --database "$db" --tls-cert "$SCRATCH/missing.pem" \
  --tls-key "$pki/good.key" --tls-ca "$pki/ca/ca.crt"
check 1 "^error: tls-cert expired on 2020-12-31" --database "$db" --tls-cert "$pki/expired.crt" \
  --tls-key "$pki/expired.key" --tls-ca "$pki/ca/ca.crt"
check 1 "^error: local domain corp.example is not covered by the subjectAltNames" \
  --database "$db" --tls-cert "$pki/wrongname.crt" --tls-key "$pki/wrongname.key" \
  --tls-ca "$pki/ca/ca.crt"
check 0 "^warning: tls-cert lacks the clientAuth extended key usage" --database "$db" \
  --tls-cert "$pki/serveronly.crt" --tls-key "$pki/serveronly.key" --tls-ca "$pki/ca/ca.crt"
check 0 "^warning: tls-cert checked against tls-ca .*untrusted|issuer" --database "$db" \
  --tls-cert "$pki/untrusted.crt" --tls-key "$pki/untrusted.key" --tls-ca "$pki/ca/ca.crt"
check 1 "^error: database unreachable" --database "host=127.0.0.1 port=1 dbname=x" "${tls[@]}"
check 1 "^error: [0-9]+ database migrations pending: run 'fedgate migrate'" \
  --database "$empty_db" "${tls[@]}"
check 1 "^error: admin-listen 'localhost:80' is not address:port" --database "$db" "${tls[@]}" \
  --admin-listen localhost:80
check 1 "unrecognised option|unknown option" --database "$db" --no-such-option 1
check 1 "^error: tls-cert and tls-key must be configured together" --database "$db" \
  --tls-cert "$pki/good.crt"
check 1 "^error: node-fqdn 'bad_host.example' is not a DNS name" --database "$db" "${tls[@]}" \
  --node-fqdn bad_host.example
check 1 "^error: node-id 'a b' must be 1-64 characters" --database "$db" "${tls[@]}" --node-id "a b"
