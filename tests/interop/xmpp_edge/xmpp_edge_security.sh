#!/bin/bash
# shellcheck disable=SC2034  # ALICE_STEPS / BOB_STEPS are read by setup.sh's run_pair
# fedgate's s2s security against a real partner (ejabberd partner.test) while Prosody home.test
# stays on TLS + SASL EXTERNAL with fedgate, real users logged in on both servers (RFC 6120
# §5, §13.7.2; XEP-0178; XEP-0220). Scenarios:
#   dialback   partner.test's certificate comes from a CA fedgate does not trust, ejabberd does
#              not trust fedgate's either, and the administrator turned
#              require_valid_peer_certificates off: both directions authenticate by Server
#              Dialback over TLS (no SASL EXTERNAL); subscription and chat both ways work
#   notls      ejabberd offers and uses no TLS on s2s, fedgate requires it (the default): the
#              stream is refused both when ejabberd connects in and when fedgate dials out, each
#              with one log line naming partner.test and the reason; both users' messages come
#              back as errors and nothing reaches the other side
#   untrusted  ejabberd presents a certificate from a CA fedgate does not trust; fedgate's
#              defaults (valid certificates required) with dialback allowed, even by an explicit
#              partner profile: refused both ways with cert_untrusted_issuer and the issuer in the
#              log; no dialback attempted, nothing leaks
#   mismatch   ejabberd presents a valid certificate for other.test: refused both ways with
#              cert_name_mismatch, the expected and the presented names in the log
#   live       the settings change while fedgate runs (no restart): ejabberd offers no TLS;
#              xmpp_security_mode tls_optional works both ways by dialback, then tls_required:
#              the established streams carry on, a new stream from ejabberd is refused with
#              reason=tls_required after the xmpp.security_settings_changed line
# Usage: xmpp_edge_security.sh SCENARIO path/to/fedgate
set -euo pipefail
SCENARIO="${1:?usage: xmpp_edge_security.sh SCENARIO FEDGATE}"
FEDGATE="${2:?usage: xmpp_edge_security.sh SCENARIO FEDGATE}"
HERE="$(cd "$(dirname "$0")" && pwd)"
LIB="$HERE/../lib"
source "$LIB/common.sh"; source "$LIB/pki.sh"; source "$LIB/dns.sh"
source "$LIB/prosody.sh"; source "$LIB/ejabberd.sh"; source "$LIB/fedgate.sh"
source "$HERE/setup.sh"


# no_leak: nothing bob sent reached Prosody, nothing alice sent reached ejabberd's bob, and
# fedgate authenticated partner.test in neither direction.
no_leak() {
  must_not "$PROSODY_LOG" "bob@partner.test/"
  must_not_re "$IA_DIR/bob.jsonl" '"event": "message", "from": "alice@home.test[^"]*", "type": "(chat|normal)"'
  must_not_re "$FG_LOG" 'xmpp\.s2s\.authenticated .*remote=partner\.test'
}

scenario_dialback() {
  edge_setup "$FEDGATE" dialback --partner-cert untrusted --partner-trusts rogue \
    --settings "UPDATE settings SET value = 'false' WHERE key = 'require_valid_peer_certificates'"
  ALICE_STEPS=(--auto-accept "presence status=alice+here" "subscribe bob@partner.test"
    "wait-presence bob@partner.test status=bob+here" "send bob@partner.test hello bob"
    "wait-message bob@partner.test hello alice")
  BOB_STEPS=("presence show=away status=bob+here" "wait-subscribe alice@home.test"
    "approve alice@home.test" "subscribe alice@home.test"
    "wait-presence alice@home.test status=alice+here" "wait-message alice@home.test hello bob"
    "send alice@home.test hello alice" "sleep 1")
  run_pair
  # fedgate → ejabberd and ejabberd → fedgate: dialback, over TLS, never SASL EXTERNAL.
  must_re "$FG_LOG" 'xmpp\.s2s\.authenticated .*conn=out-[0-9]+ peer=partner\.test local=home\.test remote=partner\.test method=dialback'
  must_re "$FG_LOG" 'xmpp\.s2s\.authenticated .*conn=in-[0-9]+ .*local=home\.test remote=partner\.test method=dialback'
  must_not_re "$FG_LOG" 'remote=partner\.test method=(sasl_external|certificate)'
  # ejabberd's socket of that stream was TLS ("(tls|...)").
  must_re "$EJABBERD_LOG" '\(tls\|.*Accepted inbound s2s dialback authentication home\.test -> partner\.test'
  must_not "$EJABBERD_LOG" "Accepted inbound s2s EXTERNAL authentication"
  # ... and ejabberd's stream into fedgate went through STARTTLS before its dialback.
  local conn
  conn="$(grep -E 'xmpp\.s2s\.authenticated .*remote=partner\.test method=dialback' "$FG_LOG" |
    grep -oE 'conn=in-[0-9]+' | head -1)"
  [[ -n "$conn" ]] || ia_fail "no inbound dialback stream from partner.test"
  must_re "$FG_LOG" "xmpp\.wire .*$conn peer=[^ ]+ dir=out bytes=\"<proceed "
  # The home leg keeps certificate authentication.
  must "$PROSODY_LOG" "Accepting SASL EXTERNAL identity from partner.test"
}

scenario_notls() {
  edge_setup "$FEDGATE" notls --partner-tls off
  ALICE_STEPS=("presence status=alice+here" "sleep 2" "send bob@partner.test plain text please"
    "wait-error bob@partner.test condition=remote-server-not-found")
  BOB_STEPS=("presence" "send alice@home.test no tls here" "wait-error alice@home.test"
    "no-message alice@home.test 3")
  run_pair
  # One line per direction, naming the partner and the reason.
  must_re "$FG_LOG" 'xmpp\.s2s\.refused .*conn=out-[0-9]+ peer=partner\.test local=home\.test reason=tls_not_offered'
  must_re "$FG_LOG" 'xmpp\.s2s\.refused .*conn=in-[0-9]+ .*remote=partner\.test reason=tls_required'
  must "$FG_LOG" "im.bounced"
  no_leak
}

scenario_untrusted() {
  edge_setup "$FEDGATE" untrusted --partner-cert untrusted
  # Dialback allowed explicitly for this partner: still no way around the certificate check.
  fg_policy "INSERT INTO xmpp_partner_profiles (domain, tls_required, certificate_only,
               dialback_allowed) VALUES ('partner.test', true, false, true)"
  ALICE_STEPS=("presence status=alice+here" "sleep 2" "send bob@partner.test are you real"
    "wait-error bob@partner.test condition=remote-server-not-found")
  BOB_STEPS=("presence" "send alice@home.test trust me" "wait-error alice@home.test"
    "no-message alice@home.test 3")
  run_pair
  local detail='detail="expected partner\.test; presented partner\.test; chain untrusted_issuer; issuer CN=untrusted rogue CA"'
  must_re "$FG_LOG" "xmpp\.s2s\.refused .*conn=out-[0-9]+ peer=partner\.test local=home\.test reason=cert_untrusted_issuer $detail"
  must_re "$FG_LOG" "xmpp\.s2s\.refused .*conn=in-[0-9]+ .*remote=partner\.test reason=cert_untrusted_issuer $detail"
  # Dialback was allowed, yet nobody got as far as offering a key for partner.test.
  must_not_re "$FG_LOG" 'xmpp\.wire .*<db:(result|verify)[^>]*partner\.test'
  no_leak
}

scenario_mismatch() {
  edge_setup "$FEDGATE" mismatch --partner-cert wrong-name
  ALICE_STEPS=("presence status=alice+here" "sleep 2" "send bob@partner.test who are you"
    "wait-error bob@partner.test condition=remote-server-not-found")
  BOB_STEPS=("presence" "send alice@home.test it is me" "wait-error alice@home.test"
    "no-message alice@home.test 3")
  run_pair
  local detail='detail="expected partner\.test; presented other\.test; chain valid; issuer CN=fedgate interop test CA"'
  must_re "$FG_LOG" "xmpp\.s2s\.refused .*conn=out-[0-9]+ peer=partner\.test local=home\.test reason=cert_name_mismatch $detail"
  must_re "$FG_LOG" "xmpp\.s2s\.refused .*conn=in-[0-9]+ .*remote=partner\.test reason=cert_name_mismatch $detail"
  no_leak
}

# security_set MODE: xmpp_security_mode changed live; fedgate's log says so (no restart).
security_set() {
  fg_policy "UPDATE settings SET value = '$1' WHERE key = 'xmpp_security_mode'"
  ia_wait_grep "$FG_LOG" "xmpp_security=$1" 10 || ia_fail "no xmpp.security_settings_changed to $1"
}

scenario_live() {
  edge_setup "$FEDGATE" live --partner-tls off
  security_set tls_optional
  must_re "$FG_LOG" 'xmpp\.security_settings_changed .*xmpp_security=tls_optional .*tightened=false applies_to="new streams"'
  ALICE_STEPS=("presence status=alice+here" "sleep 2" "send bob@partner.test hello bob"
    "wait-message bob@partner.test hello alice")
  BOB_STEPS=("presence" "wait-message alice@home.test hello bob" "send alice@home.test hello alice"
    "sleep 1")
  run_pair
  must_re "$FG_LOG" 'xmpp\.s2s\.authenticated .*conn=out-[0-9]+ peer=partner\.test local=home\.test remote=partner\.test method=dialback'
  must_re "$FG_LOG" 'xmpp\.s2s\.authenticated .*conn=in-[0-9]+ .*local=home\.test remote=partner\.test method=dialback'
  security_set tls_required
  must_re "$FG_LOG" 'xmpp\.security_settings_changed .*xmpp_security=tls_required .*tightened=true applies_to="new streams" established_streams="keep what they negotiated'
  local changed_at
  changed_at="$(grep -n 'xmpp_security=tls_required' "$FG_LOG" | head -1 | cut -d: -f1)"
  # The established pair carries on; a new stream from ejabberd (partner.test -> nowhere.test)
  # is refused at once.
  ALICE_STEPS=("presence status=alice+here" "sleep 2" "send bob@partner.test still here"
    "wait-message bob@partner.test still there")
  BOB_STEPS=("presence" "wait-message alice@home.test still here" "send alice@home.test still there"
    "send ghost@nowhere.test a new stream" "wait-error ghost@nowhere.test")
  run_pair
  tail -n "+$changed_at" "$FG_LOG" >"$IA_DIR/after-change.log"
  must_re "$IA_DIR/after-change.log" 'xmpp\.s2s\.refused .*conn=in-[0-9]+ .*remote=partner\.test reason=tls_required'
  must_not_re "$IA_DIR/after-change.log" 'xmpp\.s2s\.authenticated .*remote=partner\.test'
  ((FG_STARTS == 1)) || ia_fail "fedgate was restarted ($FG_STARTS starts)"
  ia_alive "$FG_PID" fedgate
}

"scenario_$SCENARIO"
ia_log "PASS xmpp edge security $SCENARIO"
