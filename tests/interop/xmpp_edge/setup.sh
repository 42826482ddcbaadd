# shellcheck shell=bash disable=SC2034  # library: variables are read by the sourcing test
# Shared set-up of the XMPP edge tests (sourced): Prosody serves home.test (the local domain),
# ejabberd serves partner.test (an XMPP partner), fedgate sits between them. Split-horizon DNS
# as in a real deployment: the peers' DNS (.53) sends partner.test, home.test and nowhere.test
# s2s to fedgate (.50); fedgate's own DNS (.54) knows the real partner.test server, and
# fedgate reaches home.test by the local_domains home route (home_host = Prosody's address).
# Certificates: one test CA; fedgate's certificate names home.test and partner.test (the
# domains it speaks for on either leg), so both servers use TLS + SASL EXTERNAL with it.
# edge_setup FEDGATE_BINARY NAME [options]: everything up; sets HOME_ADDR, PARTNER_ADDR,
# FG_ADDR, FG_LOG, FG_CONNINFO, FG_URL, CA. Options (the security interop cases):
#   --partner-cert good|untrusted|wrong-name   ejabberd's certificate: from the test CA for
#       partner.test (default), from the rogue CA fedgate does not trust, or from the test CA
#       for other.test only
#   --partner-trusts ca|rogue     the CA ejabberd verifies peers with (rogue: it does not trust
#       fedgate's certificate either, so neither side can use SASL EXTERNAL)
#   --partner-tls required|optional|off   ejabberd's s2s_use_starttls (default required)
#   --settings SQL   fedgate settings changed before the test (security settings take effect
#       at start: fedgate is restarted once)

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
  HOME_ADDR="$IA_NET.10" PARTNER_ADDR="$IA_NET.20" FG_ADDR="$IA_NET.50"
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
  edge_start_fedgate "$fedgate"
  if [[ -n "$settings" ]]; then
    edge_policy "$settings"
    edge_restart_fedgate "$fedgate"
  fi
}

# edge_restart_fedgate BINARY: stop fedgate gracefully (TERM, bounded wait) and start it again
# on the same state directory and database.
edge_restart_fedgate() {
  ia_stop_pid "$FG_PID" 20
  wait "$FG_PID" 2>/dev/null || true
  ia_log "fedgate stopped; starting it again"
  edge_start_fedgate "$1"
}

# edge_start_fedgate BINARY: embedded PostgreSQL in the scratch dir, home.test as the local
# domain routed to Prosody; waits for /readyz and for the home route in the live policy.
edge_start_fedgate() {
  local fedgate="$1" dir="$IA_DIR/fedgate" i
  mkdir -p "$dir"
  FG_LOG="$dir/fedgate.log"
  [[ -f "$FG_LOG" ]] && mv "$FG_LOG" "$dir/fedgate-$(date +%s%N).log"
  ia_on_exit edge_stop_postmaster
  "$fedgate" run --state-dir "$dir/state" --node-id edge --node-fqdn fedgate.test \
    --admin-listen "$FG_ADDR:8280" --admin-token edge-token --sip-tls-listen "" \
    --xmpp-listen "$FG_ADDR:5269" --tls-cert "$IA_DIR/pki/fedgate.crt" \
    --tls-key "$IA_DIR/pki/fedgate.key" --tls-ca "$CA" --dns-server "$IA_NET.54:53" \
    --demo-domain home.test --log-level debug --trace-xmpp true >"$dir/stdout.log" 2>"$FG_LOG" &
  FG_PID=$!
  ia_track_pid "$FG_PID"
  FG_URL="http://$FG_ADDR:8280"
  ia_wait_tcp "$FG_ADDR" 5269 60 || ia_fail "fedgate did not listen on $FG_ADDR:5269"
  FG_CONNINFO="$(grep -o 'db.embedded_started.*conninfo="[^"]*"' "$FG_LOG" | head -1 |
    sed 's/.*conninfo="\([^"]*\)"/\1/')"
  [[ -n "$FG_CONNINFO" ]] || ia_fail "no conninfo in the fedgate log"
  [[ -n "${FG_STARTED:-}" ]] ||
    edge_policy "UPDATE local_domains SET home_host = '$HOME_ADDR', home_port = 5269
                 WHERE domain = 'home.test'"
  FG_STARTED=1
  for ((i = 0; i < 300; i++)); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "$FG_URL/readyz")" == 200 ]] && return 0
    sleep 0.1
  done
  ia_fail "fedgate not ready: $(curl -s "$FG_URL/readyz")"
}

# edge_stop_postmaster: a fedgate killed with -9 leaves its embedded PostgreSQL running (the
# next start reuses it); stop it by the pid in its postmaster.pid.
edge_stop_postmaster() {
  local pidfile="$IA_DIR/fedgate/state/pg/postmaster.pid"
  [[ -f "$pidfile" ]] && kill -INT "$(head -1 "$pidfile")" 2>/dev/null
  return 0
}

# edge_sql SQL: run SQL on fedgate's database.
edge_sql() { psql "$FG_CONNINFO" -v ON_ERROR_STOP=1 -qAt -c "$1"; }

# edge_policy SQL: a policy change; returns once fedgate's live policy (admin API) has the
# version the change committed (30 s).
edge_policy() {
  edge_sql "$1"
  local version i
  version="$(edge_sql "SELECT version FROM policy_version")"
  for ((i = 0; i < 300; i++)); do
    curl -sf -H "Authorization: Bearer edge-token" "$FG_URL/api/v1/policy" |
      grep -qE "\"version\": ?$version[,}]" && return 0
    sleep 0.1
  done
  ia_fail "policy version $version never reached fedgate"
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

# edge_metric NAME_AND_LABELS: the value of one line of fedgate's /metrics (0 when absent).
edge_metric() {
  curl -s -H "Authorization: Bearer edge-token" "$FG_URL/metrics" | grep -F -- "$1" | awk '{s += $2} END {print s + 0}'
}

# must FILE TEXT / must_not FILE TEXT: fixed-string log assertions.
must() { grep -qF -- "$2" "$1" || ia_fail "expected in ${1##*/}: $2"; }
must_not() { ! grep -qF -- "$2" "$1" || ia_fail "unexpected in ${1##*/}: $2"; }
