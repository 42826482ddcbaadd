# shellcheck shell=bash disable=SC2034  # library: variables are read by the sourcing test
# Interop harness: a throw-away test PKI built with the openssl CLI (owned by the interop harness).
# Leaf certificates carry DNS subjectAltNames only (no XmppAddr: ejabberd 23.01 breaks on it)
# and EKU serverAuth+clientAuth unless asked otherwise (RFC 5280 4.2.1.12; Kamailio and Lync
# refuse client certificates without clientAuth). Variants: server-only, expired, wrong name,
# untrusted (sign with a second CA). Keys are P-256 ECDSA to keep generation fast.

# pki_ca DIR [CN]: create a CA in DIR (ca.key, ca.crt, openssl-ca database).
pki_ca() {
  local dir="$1" cn="${2:-fedgate interop test CA}"
  mkdir -p "$dir/newcerts"
  : >"$dir/index.txt"
  echo 1000 >"$dir/serial"
  cat >"$dir/ca.cnf" <<CNF
[ ca ]
default_ca = test_ca
[ test_ca ]
dir = $dir
database = \$dir/index.txt
new_certs_dir = \$dir/newcerts
serial = \$dir/serial
certificate = \$dir/ca.crt
private_key = \$dir/ca.key
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
email_in_dn = no
[ policy_any ]
commonName = supplied
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = $cn
[ v3_ca ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
CNF
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" -days 30 -config "$dir/ca.cnf" \
    -extensions v3_ca -sha256 2>"$dir/openssl.err" || { cat "$dir/openssl.err" >&2; return 1; }
}

# pki_leaf CADIR OUT CN [--server-only] [--expired] [--dns NAME]...
#   Writes OUT.key, OUT.crt and OUT.pem (key + cert + CA chain, for servers wanting one file).
#   Without --dns, the SAN is the CN. --expired makes a certificate valid only in 2020.
pki_leaf() {
  local cadir="$1" out="$2" cn="$3"; shift 3
  local eku="serverAuth, clientAuth" dates=(-days 30) sans=()
  while (($#)); do
    case "$1" in
      --server-only) eku="serverAuth" ;;
      --expired) dates=(-startdate 20200101000000Z -enddate 20201231000000Z) ;;
      --dns) sans+=("DNS:$2"); shift ;;
      *) echo "pki_leaf: unknown option $1" >&2; return 2 ;;
    esac
    shift
  done
  ((${#sans[@]})) || sans=("DNS:$cn")
  local san_list; san_list="$(IFS=,; echo "${sans[*]}")"
  cat >"$out.ext.cnf" <<CNF
[ leaf ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, keyAgreement
extendedKeyUsage = $eku
subjectAltName = $san_list
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$out.key" -out "$out.csr" -subj "/CN=$cn" 2>"$out.err" &&
    openssl ca -batch -config "$cadir/ca.cnf" -in "$out.csr" -out "$out.crt" -notext \
      "${dates[@]}" -extfile "$out.ext.cnf" -extensions leaf 2>>"$out.err" ||
    { cat "$out.err" >&2; return 1; }
  chmod 644 "$out.key"
  cat "$out.key" "$out.crt" "$cadir/ca.crt" >"$out.pem"
}

# pki_standard DIR DOMAIN...: the usual set for a test: DIR/ca (trusted CA), one good leaf
# per domain (DIR/<domain>.{key,crt,pem}), and DIR/rogue-ca (a second, untrusted CA).
pki_standard() {
  local dir="$1" d; shift
  pki_ca "$dir/ca" "fedgate interop test CA" || return 1
  for d in "$@"; do pki_leaf "$dir/ca" "$dir/$d" "$d" || return 1; done
  pki_ca "$dir/rogue-ca" "untrusted rogue CA"
}
