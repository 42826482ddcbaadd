#!/usr/bin/env bash
# Issue 2: a policy change committed in SQL is live on two running fedgate processes that
# share one database, without restart; so is its removal.
source "$(dirname "$0")/lib.sh"

start_node a
wait_ready "$NODE_URL_a" 120 || fail "node a not ready"
conninfo=$(node_conninfo a)
[[ -n "$conninfo" ]] || fail "node a logged no conninfo"
start_node b --database "$conninfo"
wait_ready "$NODE_URL_b" 60 || fail "node b not ready"
api a /api/v1/nodes | grep -q '"id":"b"' || until_true 15 bash -c \
  "curl -sf -H 'Authorization: Bearer token-a' $NODE_URL_a/api/v1/nodes | grep -q '\"id\":\"b\"'" \
  || fail "node a does not see node b in the cluster"
pass "two nodes on one database see each other"

has_partner() { api "$1" /api/v1/policy | grep -q '"domain": "partner.example"'; }
has_partner a && fail "partner present before the INSERT"
sql "$conninfo" "INSERT INTO sip_federated_domains (domain, integration, description)
                 VALUES ('partner.example', 's4b', 'Partner Inc.')"
until_true 10 has_partner a || fail "node a did not pick up the new partner within 10 s"
until_true 10 has_partner b || fail "node b did not pick up the new partner within 10 s"
pass "INSERT is live on both nodes"

sql "$conninfo" "DELETE FROM sip_federated_domains WHERE domain = 'partner.example'"
gone() { ! has_partner "$1"; }
until_true 10 gone a || fail "node a still has the deleted partner"
until_true 10 gone b || fail "node b still has the deleted partner"
pass "DELETE is live on both nodes"
