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
# sip_edge_setup FEDGATE_BINARY NAME: sets KAM, SINK, PEER, FG, P, CA, ETAG and lib/fedgate.sh's
# FG_* (fg_sql, fg_metric talk to this fedgate: SIP wire trace on).

sip_edge_setup() {
  local fedgate="$1" name="$2"
  ia_init "$name"
  KAM="$IA_NET.30" SINK="$IA_NET.31" PEER="$IA_NET.40" FG="$IA_NET.50"
  P="$IA_DIR/pki" CA="$IA_DIR/pki/ca/ca.crt"
  IA_SIP_SELF="$SINK:5061"  # the Via / Contact of home_send's requests
  fg_configure "$fedgate" "$FG" sipedge edge-token --trace-sip true
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

  msp_start peer "the partner peer" "$PEER" "$P/partner" sip.partner.test \
    --user bob@partner.test --user dan@partner.test --user eve@stranger.test --lifetime 220

  fg_start
  fg_sql "UPDATE local_domains SET home_protocol = 'sip', home_host = '$KAM',
            home_port = 5061, transport = 'tls' WHERE domain = 'home.test';
          INSERT INTO sip_federated_domains (domain, integration) VALUES ('partner.test', 's4b');
          INSERT INTO tls_peer_subjects (subject) VALUES ('sip.partner.test'), ('sip.home.test');
          INSERT INTO incoming_acl (peer) VALUES ('sip.home.test'), ('sip.partner.test');
          INSERT INTO user_policies (local_user, target, action, scope)
            VALUES ('carol@home.test', 'dan@partner.test', 'block', 'presence');
          UPDATE xmpp_federation_policy SET default_action = 'deny'"
  fg_restart "policy in; fedgate restarted to pick up its keep-alive peers"
}

# home_send NAME TEMPLATE EXPECT VAR=VALUE...: a request from alice's client (mutual TLS,
# the sink's certificate) to Kamailio, which serves it or relays it.
home_send() {
  IA_SIP_TIMEOUT=15 ia_sip_send "$1" "$KAM" sip.home.test "$P/sink" "$3" "$2" "${@:4}"
}

# peer JSON: one command to the partner peer. peer_wait REGEX SECONDS WHY: its event log.
peer() { msp "$1"; }
peer_wait() { msp_wait peer "$@"; }
