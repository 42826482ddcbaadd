# shellcheck shell=bash disable=SC2034  # library: variables are read by the sourcing test
# Shared set-up of the SIP edge tests (sourced): Kamailio (.30) is the SIP home of home.test
# with a registered client for alice (the harness's mutual-TLS sink, .31); ms_peer.py (.40)
# serves partner.test (a Skype for Business partner) with users bob and dan (and eve of the
# unfederated stranger.test); fedgate (.50) sits between them. Split-horizon DNS: the peers'
# DNS (.53) sends partner.test, stranger.test and fedgate.test to fedgate; fedgate's DNS
# (.54) knows the real partner server. Policy: home.test's home is SIP at Kamailio,
# partner.test is SIP federated (s4b), tls_peer_subjects = both peers, incoming_acl = both
# peers, carol blocks dan (presence), XMPP default deny. fedgate is restarted once after the
# policy is in, so that its keep-alive peers come from it.
# sip_edge_setup FEDGATE_BINARY NAME: sets KAM, SINK, PEER, FG, P, CA, FG_LOG, ETAG.

sip_edge_setup() {
  local fedgate="$1" name="$2"
  ia_init "$name"
  KAM="$IA_NET.30" SINK="$IA_NET.31" PEER="$IA_NET.40" FG="$IA_NET.50"
  P="$IA_DIR/pki" CA="$IA_DIR/pki/ca/ca.crt"
  pki_ca "$P/ca"
  pki_leaf "$P/ca" "$P/kamailio" sip.home.test --dns sip.home.test --dns home.test
  pki_leaf "$P/ca" "$P/sink" client.home.test --dns client.home.test
  pki_leaf "$P/ca" "$P/partner" sip.partner.test --dns sip.partner.test --dns partner.test
  pki_leaf "$P/ca" "$P/fedgate" fedgate.test --dns fedgate.test --dns sip.fedgate.test \
    --dns sip.partner.test --dns sip.stranger.test
  pki_leaf "$P/ca" "$P/rogue" sip.rogue.test --dns sip.rogue.test  # trusted CA, not allowed

  dns_sip_domain partner.test "$FG"
  dns_sip_domain stranger.test "$FG"
  dns_sip_domain fedgate.test "$FG"
  dns_sip_domain home.test "$KAM"
  dns_start "$IA_DIR/dns-peers" "$IA_NET.53"
  dns_reset
  dns_sip_domain partner.test "$PEER"
  dns_sip_domain home.test "$KAM"
  dns_start_view "$IA_DIR/dns-fedgate" "$IA_NET.54"

  kamailio_start "$IA_DIR/kamailio" "$KAM" home.test "$P/kamailio" "$CA" ||
    ia_fail "kamailio did not start"
  "$IA_PYTHON" "$LIB/sip_tls.py" serve --addr "$SINK" --cafile "$CA" --cert "$P/sink" \
    --lifetime 220 >"$IA_DIR/sink.jsonl" 2>"$IA_DIR/sink.log" &
  ia_track_pid $!
  ia_wait_tcp "$SINK" 5061 10 || ia_fail "alice's client did not listen"
  home_send register register.sip 200 USER=alice DOMAIN=home.test CONTACT="$SINK:5061" ||
    ia_fail "REGISTER of alice's client failed"
  home_send publish publish.sip 200 ENTITY=carol@home.test NOTE="In a meeting" ||
    ia_fail "PUBLISH for carol failed"
  ETAG="$(grep -o '"sip-etag": "[^"]*"' "$IA_DIR/publish.jsonl" | head -n 1 | cut -d'"' -f4)"
  [[ -n "$ETAG" ]] || ia_fail "PUBLISH 200 carried no SIP-ETag"

  mkfifo "$IA_DIR/peer.cmd"
  exec 4<>"$IA_DIR/peer.cmd"
  "$IA_PYTHON" "$LIB/ms_peer.py" --addr "$PEER" --port 5061 --cert "$P/partner" --cafile "$CA" \
    --gateway "$FG:5061" --gateway-name fedgate.test --fqdn sip.partner.test \
    --user bob@partner.test --user dan@partner.test --user eve@stranger.test --lifetime 220 \
    <"$IA_DIR/peer.cmd" >"$IA_DIR/peer.jsonl" 2>"$IA_DIR/peer.log" &
  ia_track_pid $!
  ia_wait_tcp "$PEER" 5061 10 || ia_fail "the partner peer did not listen"

  sip_edge_start_fedgate "$fedgate"
  sip_edge_sql "UPDATE local_domains SET home_protocol = 'sip', home_host = '$KAM',
                  home_port = 5061, transport = 'tls' WHERE domain = 'home.test';
                INSERT INTO sip_federated_domains (domain, integration) VALUES ('partner.test', 's4b');
                INSERT INTO tls_peer_subjects (subject) VALUES ('sip.partner.test'), ('sip.home.test');
                INSERT INTO incoming_acl (peer) VALUES ('sip.home.test'), ('sip.partner.test');
                INSERT INTO user_policies (local_user, target, action, scope)
                  VALUES ('carol@home.test', 'dan@partner.test', 'block', 'presence');
                UPDATE xmpp_federation_policy SET default_action = 'deny'"
  kill -TERM "$FG_PID"
  wait "$FG_PID" 2>/dev/null || true
  ia_log "policy in; fedgate restarted to pick up its keep-alive peers"
  sip_edge_start_fedgate "$fedgate"
}

# sip_edge_start_fedgate BINARY: embedded PostgreSQL in the scratch dir; waits for /readyz.
sip_edge_start_fedgate() {
  local fedgate="$1" dir="$IA_DIR/fedgate" i
  mkdir -p "$dir"
  FG_LOG="$dir/fedgate.log"
  [[ -f "$FG_LOG" ]] && mv "$FG_LOG" "$dir/fedgate-$(date +%s%N).log"
  [[ -n "${FG_STARTED:-}" ]] || ia_on_exit sip_edge_stop_postmaster
  "$fedgate" run --state-dir "$dir/state" --node-id sipedge --node-fqdn fedgate.test \
    --admin-listen "$FG:8280" --admin-token edge-token --sip-tls-listen "$FG:5061" \
    --xmpp-listen "$FG:5269" --tls-cert "$P/fedgate.crt" --tls-key "$P/fedgate.key" \
    --tls-ca "$CA" --dns-server "$IA_NET.54:53" --demo-domain home.test --log-level debug \
    --trace-sip true >"$dir/stdout.log" 2>"$FG_LOG" &
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

# sip_edge_stop_postmaster: the embedded PostgreSQL of a fedgate that did not stop it.
sip_edge_stop_postmaster() {
  local pidfile="$IA_DIR/fedgate/state/pg/postmaster.pid"
  [[ -f "$pidfile" ]] && kill -INT "$(head -1 "$pidfile")" 2>/dev/null
  return 0
}

sip_edge_sql() { psql "$FG_CONNINFO" -v ON_ERROR_STOP=1 -qAt -c "$1"; }

# home_send NAME TEMPLATE EXPECT VAR=VALUE...: a request from alice's client (mutual TLS,
# the sink's certificate) to Kamailio, which serves it or relays it.
home_send() {
  local name="$1" tmpl="$2" expect="$3"; shift 3
  local sets=() kv
  for kv in "$@"; do sets+=(--set "$kv"); done
  "$IA_PYTHON" "$LIB/sip_tls.py" send --addr "$KAM" --port 5061 --cafile "$CA" \
    --cert "$P/sink" --server-name sip.home.test --file "$REQ/$tmpl" --expect "$expect" \
    --timeout 15 --set SELF="$SINK:5061" "${sets[@]}" >"$IA_DIR/$name.jsonl" 2>&1
}

# peer JSON: one command to the partner peer. peer_wait REGEX SECONDS WHY: its event log.
peer() { printf '%s\n' "$1" >&4; }
peer_wait() { ia_wait_grep "$IA_DIR/peer.jsonl" "$1" "$2" || ia_fail "$3"; }

# fg_metric NAME_AND_LABELS: the value of one line of fedgate's /metrics (0 when absent).
fg_metric() {
  curl -s -H "Authorization: Bearer edge-token" "$FG_URL/metrics" | grep -F -- "$1" |
    awk '{s += $2} END {print s + 0}'
}
