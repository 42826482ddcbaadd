# shellcheck shell=bash disable=SC2034  # library: variables are read by the sourcing test
# Shared set-up of the XMPP edge tests (sourced): Prosody serves home.test (the local domain),
# ejabberd serves partner.test (an XMPP partner), fedgate sits between them. Split-horizon DNS
# as in a real deployment: the peers' DNS (.53) sends partner.test, home.test and nowhere.test
# s2s to fedgate (.50); fedgate's own DNS (.54) knows the real partner.test server, and
# fedgate reaches home.test by the local_domains home route (home_host = Prosody's address).
# Certificates: one test CA; fedgate's certificate names home.test and partner.test (the
# domains it speaks for on either leg), so both servers use TLS + SASL EXTERNAL with it.
# edge_setup FEDGATE_BINARY NAME [options]: everything up (home.test's home route is Prosody);
# sets HOME_ADDR, PARTNER_ADDR, CA and lib/fedgate.sh's FG_* (fg_sql, fg_policy, fg_metric,
# fg_kill9, fg_start talk to this fedgate: no SIP listener, XMPP wire trace on). Options (the security interop cases):
#   --partner-cert good|untrusted|wrong-name   ejabberd's certificate: from the test CA for
#       partner.test (default), from the rogue CA fedgate does not trust, or from the test CA
#       for other.test only
#   --partner-trusts ca|rogue     the CA ejabberd verifies peers with (rogue: it does not trust
#       fedgate's certificate either, so neither side can use SASL EXTERNAL)
#   --partner-tls required|optional|off   ejabberd's s2s_use_starttls (default required)
#   --settings SQL   fedgate settings changed before the test (they apply live to new streams;
#       fedgate is restarted once anyway, so no stream from before the change is left)

edge_setup() {
  local fedgate="$1" name="$2"; shift 2
  local partner_cert=good partner_trusts=ca partner_tls=required settings=""
  while (($#)); do
    case "$1" in
      --partner-cert) partner_cert="$2"; shift ;;
      --partner-trusts) partner_trusts="$2"; shift ;;
      --partner-tls) partner_tls="$2"; shift ;;
      --settings) settings="$2"; shift ;;
      *) echo "edge_setup: unknown option $1" >&2; return 2 ;;
    esac
    shift
  done
  ia_init "edge-$name"
  HOME_ADDR="$IA_NET.10" PARTNER_ADDR="$IA_NET.20"
  fg_configure "$fedgate" "$IA_NET.50" edge edge-token --no-sip --trace-xmpp true
  pki_standard "$IA_DIR/pki" home.test partner.test
  pki_leaf "$IA_DIR/pki/ca" "$IA_DIR/pki/fedgate" fedgate.test \
    --dns home.test --dns partner.test --dns fedgate.test
  CA="$IA_DIR/pki/ca/ca.crt"
  local pcert="$IA_DIR/pki/partner.test" pca="$CA"
  PARTNER_CLIENT_CA="$CA"
  case "$partner_cert" in
    good) ;;
    untrusted) pki_leaf "$IA_DIR/pki/rogue-ca" "$IA_DIR/pki/partner.rogue" partner.test
      pcert="$IA_DIR/pki/partner.rogue" PARTNER_CLIENT_CA="$IA_DIR/pki/rogue-ca/ca.crt" ;;
    wrong-name) pki_leaf "$IA_DIR/pki/ca" "$IA_DIR/pki/partner.other" other.test
      pcert="$IA_DIR/pki/partner.other" PARTNER_CLIENT_CA="" ;;
    *) ia_fail "edge_setup: --partner-cert $partner_cert" ;;
  esac
  [[ "$partner_trusts" == rogue ]] && pca="$IA_DIR/pki/rogue-ca/ca.crt"

  dns_xmpp_domain home.test "$FG_ADDR"
  dns_xmpp_domain partner.test "$FG_ADDR"
  dns_xmpp_domain nowhere.test "$FG_ADDR"
  dns_start "$IA_DIR/dns-peers" "$IA_NET.53"
  dns_reset
  dns_xmpp_domain partner.test "$PARTNER_ADDR"
  dns_start_view "$IA_DIR/dns-fedgate" "$IA_NET.54"

  prosody_start "$IA_DIR/prosody" "$HOME_ADDR" home.test "$IA_DIR/pki/home.test" "$CA" \
    --s2s-auth any --s2s-tls required --user alice:alice-pw
  ejabberd_start "$IA_DIR/ejabberd" "$PARTNER_ADDR" partner.test "$pcert" "$pca" \
    --s2s-auth any --s2s-tls "$partner_tls" --user bob:bob-pw --user carol:carol-pw
  fg_start
  fg_policy "UPDATE local_domains SET home_host = '$HOME_ADDR', home_port = 5269
             WHERE domain = 'home.test'"
  if [[ -n "$settings" ]]; then
    fg_policy "$settings"
    fg_restart
  fi
}

# edge_client NAME JID PASSWORD HOST STEPS...: an xmpp_client.py run, JSON lines in NAME.jsonl.
# The partner's server certificate is verified with PARTNER_CLIENT_CA (not at all when empty:
# a certificate for another name).
edge_client() {
  local name="$1"; shift
  local verify=(--cafile "$CA")
  if [[ "$3" == "${PARTNER_ADDR:-}" ]]; then
    verify=(--no-verify)
    [[ -n "${PARTNER_CLIENT_CA:-}" ]] && verify=(--cafile "$PARTNER_CLIENT_CA")
  fi
  "$IA_PYTHON" "$IA_LIB_DIR/xmpp_client.py" --jid "$1" --password "$2" --host "$3" \
    "${verify[@]}" --timeout "${EDGE_CLIENT_TIMEOUT:-40}" --deadline "${EDGE_CLIENT_DEADLINE:-100}" \
    "${@:4}" >"$IA_DIR/$name.jsonl" 2>"$IA_DIR/$name.log"
}

# run_pair: alice's and bob's step lists (arrays ALICE_STEPS / BOB_STEPS) in parallel.
run_pair() {
  edge_client alice alice@home.test alice-pw "$HOME_ADDR" "${ALICE_STEPS[@]}" &
  local alice=$!; ia_track_pid "$alice"
  edge_client bob bob@partner.test bob-pw "$PARTNER_ADDR" "${BOB_STEPS[@]}" &
  local bob=$!; ia_track_pid "$bob"
  local ra=0 rb=0
  wait "$alice" || ra=$?
  wait "$bob" || rb=$?
  cat "$IA_DIR/alice.jsonl" "$IA_DIR/bob.jsonl" >&2
  [[ $ra -eq 0 && $rb -eq 0 ]] || ia_fail "clients failed (alice $ra, bob $rb)"
}

# must FILE TEXT / must_not FILE TEXT: fixed-string log assertions; must_re FILE ERE /
# must_not_re FILE ERE: the same with regular expressions.
must() { grep -qF -- "$2" "$1" || ia_fail "expected in ${1##*/}: $2"; }
must_not() { ! grep -qF -- "$2" "$1" || ia_fail "unexpected in ${1##*/}: $2"; }
must_re() { grep -qE -- "$2" "$1" || ia_fail "expected in ${1##*/}: /$2/"; }
must_not_re() { ! grep -qE -- "$2" "$1" || ia_fail "unexpected in ${1##*/}: /$2/"; }
