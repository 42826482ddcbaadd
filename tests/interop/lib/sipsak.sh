# shellcheck shell=bash disable=SC2034  # library: variables are read by the sourcing test
# Interop harness: sipsak from request files over TLS (owned by the interop harness).
# Facts about Debian's sipsak 0.9.8.1 (GnuTLS build), checked here:
#  - it cannot present a client certificate (--tls-client-cert is accepted and ignored), so
#    it can only talk to a server-authenticated TLS port (Kamailio's ADDR:5062 here);
#  - it verifies the server certificate ONLY at verbosity -vvv; then it compares the name
#    with the URI's "host:port", so give the port with -r and keep it out of the URI;
#  - it cannot read replies over TLS 1.3 (Kamailio's TLS ports here are TLS 1.2);
#  - it adds its own Via on top of the file's; --no-crlf sends the file bytes unchanged.

# sipsak_send OUT HOST PORT CAFILE REQUEST_FILE: send the (CRLF, complete) request in
# REQUEST_FILE to sip:HOST, port PORT, resolving HOST through the test DNS, verifying the
# server certificate against CAFILE and HOST. Output (with the reply) goes to OUT.
# Returns sipsak's status: 0 for a 2xx final reply (bounded: 30 s).
sipsak_send() {
  local out="$1" host="$2" port="$3" cafile="$4" file="$5"
  dns_exec timeout 30 sipsak -vvv --no-crlf -f "$file" -s "sip:$host" -r "$port" \
    --transport tls --tls-ca-cert "$cafile" >"$out" 2>&1
}

# sipsak_final OUT: print the status code of the final reply recorded in OUT.
sipsak_final() {
  grep -aoE '^SIP/2\.0 [2-6][0-9][0-9]' "$1" | tail -n 1 | awk '{print $2}'
}

# sipsak_req NAME TEMPLATE VAR=VALUE...: render the request template $REQ/TEMPLATE (sip_tls.py
# render, with SELF=$IA_SIP_SELF and the VAR=VALUE pairs) into $IA_DIR/NAME.sip and send it
# with sipsak_send to sip.simple.test, Kamailio's server-authenticated port 5062, verified
# with ${CA_FOR_SIPSAK:-$CA}; sipsak's output goes to $IA_DIR/NAME.out.
sipsak_req() {
  local name="$1" tmpl="$2"; shift 2
  local sets=() kv
  for kv in "$@"; do sets+=(--set "$kv"); done
  "$IA_PYTHON" "$IA_LIB_DIR/sip_tls.py" render --file "$REQ/$tmpl" --set SELF="$IA_SIP_SELF" \
    "${sets[@]}" >"$IA_DIR/$name.sip"
  sipsak_send "$IA_DIR/$name.out" sip.simple.test 5062 "${CA_FOR_SIPSAK:-$CA}" "$IA_DIR/$name.sip"
}
