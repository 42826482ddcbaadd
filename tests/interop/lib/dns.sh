# shellcheck shell=bash disable=SC2034  # library: variables are read by the sourcing test
# Interop harness: a private authoritative-ish resolver for the test domains (owned by the
# interop harness). unbound runs in the foreground from a scratch directory on ADDR:53 and
# answers the `test.` zone from local-data (SRV per RFC 2782: _xmpp-server._tcp, _xmpps-server
# ._tcp per XEP-0368, _sipfederationtls._tcp per MS-SIPRE, _sip._tls per RFC 3263, plus A).
# dns_exec runs a server in a private mount namespace whose /etc/resolv.conf names this DNS.
# Port 53 is used on purpose: resolv.conf cannot carry a port, so neither ejabberd's system
# lookups nor Kamailio nor sipsak could reach another one.

DNS_RECORDS=()
DNS_PID=""
DNS_ADDR=""
DNS_RESOLV=""
DNS_VIEW_PID=""

# dns_rr "NAME TTL IN TYPE RDATA": add any record (names must be absolute, ending in '.').
dns_rr() { DNS_RECORDS+=("$1"); }
dns_a() { dns_rr "$1. 60 IN A $2"; }
# dns_srv SERVICE_NAME PRIORITY WEIGHT PORT TARGET
dns_srv() { dns_rr "$1. 60 IN SRV $2 $3 $4 $5."; }

# dns_xmpp_domain DOMAIN ADDR [PORT]: xmpp.DOMAIN A ADDR, DOMAIN A ADDR, and
# _xmpp-server._tcp.DOMAIN SRV to xmpp.DOMAIN:PORT (default 5269). XEP-0368's
# _xmpps-server._tcp is added only when DIRECT_TLS_PORT is given as a 4th argument.
dns_xmpp_domain() {
  local domain="$1" addr="$2" port="${3:-5269}" tls_port="${4:-}"
  dns_a "$domain" "$addr"
  dns_a "xmpp.$domain" "$addr"
  dns_srv "_xmpp-server._tcp.$domain" 10 10 "$port" "xmpp.$domain"
  [[ -n "$tls_port" ]] && dns_srv "_xmpps-server._tcp.$domain" 5 10 "$tls_port" "xmpp.$domain"
  return 0
}

# dns_sip_domain DOMAIN ADDR [PORT]: sip.DOMAIN A ADDR, DOMAIN A ADDR, and SRV records to
# sip.DOMAIN:PORT: the Microsoft federation one (_sipfederationtls._tcp), _sip._tls (what
# Lync and many clients ask), and RFC 3263's _sips._tcp (what Kamailio asks for TLS).
dns_sip_domain() {
  local domain="$1" addr="$2" port="${3:-5061}"
  dns_a "$domain" "$addr"
  dns_a "sip.$domain" "$addr"
  dns_srv "_sipfederationtls._tcp.$domain" 10 10 "$port" "sip.$domain"
  dns_srv "_sip._tls.$domain" 10 10 "$port" "sip.$domain"
  dns_srv "_sips._tcp.$domain" 10 10 "$port" "sip.$domain"
}

# dns_start DIR ADDR: write DIR/unbound.conf and DIR/resolv.conf, start unbound, wait until
# it answers. Sets DNS_PID, DNS_ADDR, DNS_RESOLV. The pid is tracked for cleanup.
dns_start() {
  local dir="$1" addr="$2"
  DNS_ADDR="$addr"
  _dns_unbound "$dir" "$addr" || return 1
  printf 'nameserver %s\noptions timeout:1 attempts:2\n' "$addr" >"$dir/resolv.conf"
  DNS_RESOLV="$dir/resolv.conf"
  DNS_PID="$DNS_VIEW_PID"
}

# dns_start_view DIR ADDR: a second unbound on ADDR:53 answering the records added since
# dns_reset (a split-horizon view, e.g. what fedgate sees while the peers see the first
# server); the namespace resolver (DNS_RESOLV) is left alone. Sets DNS_VIEW_PID (tracked).
dns_start_view() { _dns_unbound "$1" "$2"; }

# dns_reset: forget the records added so far (they stay in every server already started).
dns_reset() { DNS_RECORDS=(); }

# _dns_unbound DIR ADDR: write DIR/unbound.conf for DNS_RECORDS, start unbound, wait for it.
_dns_unbound() {
  local dir="$1" addr="$2" rr
  mkdir -p "$dir"
  {
    echo "server:"
    echo "  interface: $addr"
    echo "  port: 53"
    echo "  do-daemonize: no"
    echo "  chroot: \"\""
    echo "  username: \"\""
    echo "  directory: \"$dir\""
    echo "  pidfile: \"$dir/unbound.pid\""
    echo "  logfile: \"\""
    echo "  use-syslog: no"
    echo "  verbosity: 1"
    echo "  log-queries: yes"
    echo "  do-ip6: no"
    echo "  access-control: 127.0.0.0/8 allow"
    echo "  module-config: \"iterator\""
    echo "  local-zone: \"test.\" static"
    for rr in "${DNS_RECORDS[@]}"; do echo "  local-data: \"$rr\""; done
    echo "remote-control:"
    echo "  control-enable: no"
  } >"$dir/unbound.conf"
  unbound-checkconf "$dir/unbound.conf" >"$dir/checkconf.log" 2>&1 ||
    { cat "$dir/checkconf.log" >&2; return 1; }
  unbound -d -c "$dir/unbound.conf" >"$dir/unbound.log" 2>&1 &
  DNS_VIEW_PID=$!
  ia_track_pid "$DNS_VIEW_PID"
  ia_wait_udp "$addr" 53 10 || { cat "$dir/unbound.log" >&2; return 1; }
}

# dns_exec CMD...: run CMD (exec, same pid) in a private mount namespace whose
# /etc/resolv.conf is DNS_RESOLV. Propagation is private, the host never sees the mount.
dns_exec() {
  [[ -n "$DNS_RESOLV" ]] || { echo "dns_exec: dns_start first" >&2; return 1; }
  unshare -m --propagation private -- /bin/bash -c \
    'mount --bind "$0" /etc/resolv.conf && exec "$@"' "$DNS_RESOLV" "$@"
}

# dns_spawn LOGFILE CMD...: like dns_exec, in the background, with stdout+stderr to LOGFILE.
# Sets DNS_SPAWN_PID to the pid of CMD itself (unshare and bash exec, so the pid is kept)
# and tracks it for cleanup. Use this, not `dns_exec ... &`: the latter's $! is a subshell.
dns_spawn() {
  local log="$1"; shift
  [[ -n "$DNS_RESOLV" ]] || { echo "dns_spawn: dns_start first" >&2; return 1; }
  exec_in_ns() {
    exec unshare -m --propagation private -- /bin/bash -c \
      'mount --bind "$0" /etc/resolv.conf && exec "$@"' "$DNS_RESOLV" "$@"
  }
  exec_in_ns "$@" >"$log" 2>&1 &
  DNS_SPAWN_PID=$!
  ia_track_pid "$DNS_SPAWN_PID"
}

# dns_check NAME [A|SRV]: resolve through the test DNS from inside the namespace, as every
# server will: A via getent (the system resolver), SRV via a raw DNS query to the
# resolv.conf nameserver (no dig on these machines). Prints the address, or rcode/answers.
dns_check() {
  local name="$1" type="${2:-A}"
  if [[ "$type" == A ]]; then
    dns_exec getent ahostsv4 "$name" | awk 'NR==1{print $1}'
  else
    dns_exec "$IA_PYTHON" - "$name" "$type" <<'PY'
import socket, struct, sys, random
name, qtype = sys.argv[1], {"SRV": 33, "A": 1}[sys.argv[2]]
ns = [l.split()[1] for l in open("/etc/resolv.conf") if l.startswith("nameserver")][0]
qid = random.randrange(65536)
q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
q += b"".join(bytes([len(p)]) + p.encode() for p in name.rstrip(".").split(".")) + b"\0"
q += struct.pack(">HH", qtype, 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(3)
s.sendto(q, (ns, 53)); r = s.recv(4096)
print("rcode=%d answers=%d" % (r[3] & 15, struct.unpack(">H", r[6:8])[0]))
PY
  fi
}
