#!/usr/bin/python3
"""Minimal SIP-over-mutual-TLS endpoint for the interop harness (owned by the harness).

Two modes. `send` reads a request from a file (LF or CRLF lines; ${VAR} placeholders are
filled from --set VAR=VALUE and a fresh ${CALL_ID}/${TAG}/${BRANCH}; Content-Length is
computed), sends it over mutual TLS (client certificate, TLS 1.2 by default), waits for
the final response (RFC 3261 section 17.1.2, bounded by --timeout) and exits 0 when its
status code is --expect. It exists because Debian's sipsak (GnuTLS build) cannot present
a client certificate. `render` only prints the filled request. `serve` listens on ADDR:PORT with mutual TLS (client certificate required, TLS 1.2 by default,
as Lync/Skype for Business federation does), frames requests by Content-Length (RFC 3261
section 18.3), answers every request with a final response (200 unless --reply METHOD=CODE),
copying Via, From, To (adding a tag), Call-ID and CSeq (RFC 3261 section 8.2.6), and prints
one JSON line per request to stdout: method, request URI, selected headers, body, peer
certificate subject. Stops after --lifetime seconds at most. It stands in for a registered
SIP client or a federation peer that Kamailio (or later fedgate) delivers to.
"""
import argparse
import json
import socket
import ssl
import sys
import threading
import time
import uuid

MAX_MESSAGE = 256 * 1024
COPY_HEADERS = ("via", "from", "to", "call-id", "cseq")
HEADER_NAMES = {"via": "Via", "from": "From", "to": "To", "call-id": "Call-ID", "cseq": "CSeq"}
COMPACT = {"v": "via", "f": "from", "t": "to", "i": "call-id", "l": "content-length",
           "c": "content-type", "o": "event", "m": "contact"}
print_lock = threading.Lock()


def emit(**fields):
    with print_lock:
        print(json.dumps({"t": round(time.time(), 3), **fields}), flush=True)


def parse_head(head):
    lines = head.decode("utf-8", "replace").split("\r\n")
    headers = []
    for line in lines[1:]:
        if line[:1] in (" ", "\t") and headers:  # folded continuation
            name, value = headers[-1]
            headers[-1] = (name, value + " " + line.strip())
        elif ":" in line:
            name, value = line.split(":", 1)
            name = name.strip().lower()
            headers.append((COMPACT.get(name, name), value.strip()))
    return lines[0], headers


def read_message(conn, buf):
    """Return (start_line, headers, body, rest) or None at EOF. Bounded by MAX_MESSAGE."""
    while b"\r\n\r\n" not in buf:
        buf = buf.lstrip(b"\r\n")  # keep-alive CRLFs (RFC 5626 section 3.5.1)
        chunk = conn.recv(65536)
        if not chunk or len(buf) > MAX_MESSAGE:
            return None
        buf += chunk
    head, rest = buf.split(b"\r\n\r\n", 1)
    start, headers = parse_head(head)
    length = int(next((v for n, v in headers if n == "content-length"), "0"))
    while len(rest) < length:
        chunk = conn.recv(65536)
        if not chunk or len(rest) > MAX_MESSAGE:
            return None
        rest += chunk
    return start, headers, rest[:length], rest[length:]


def response(code, headers, reason="OK"):
    out = [f"SIP/2.0 {code} {reason}"]
    for name, value in headers:
        if name in COPY_HEADERS:
            if name == "to" and ";tag=" not in value:
                value += ";tag=" + uuid.uuid4().hex[:10]
            out.append(f"{HEADER_NAMES[name]}: {value}")
    out += ["Server: fedgate-interop-sink", "Content-Length: 0", "", ""]
    return "\r\n".join(out).encode()


def serve(conn, peer, replies):
    cert = conn.getpeercert() or {}
    subject = dict(x[0] for x in cert.get("subject", ()))
    buf = b""
    conn.settimeout(60)
    while True:
        try:
            msg = read_message(conn, buf)
        except (OSError, ValueError):
            break
        if msg is None:
            break
        start, headers, body, buf = msg
        if start.startswith("SIP/2.0"):
            emit(kind="response", start=start, peer=peer)
            continue
        method, ruri = start.split()[0], start.split()[1]
        hdr = {n: v for n, v in headers if n in ("from", "to", "event", "content-type",
                                                 "subscription-state", "contact", "call-id")}
        emit(kind="request", method=method, ruri=ruri, headers=hdr,
             body=body.decode("utf-8", "replace"), peer=peer, peer_cn=subject.get("commonName"))
        if method != "ACK":
            conn.sendall(response(replies.get(method, 200), headers))
    conn.close()


def client_context(args):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(args.cafile)
    ctx.check_hostname = bool(args.server_name)
    if args.cert:
        ctx.load_cert_chain(args.cert + ".crt", args.cert + ".key")
    if not args.tls13:
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    return ctx


def fill_request(text, values):
    """Substitute ${NAME} placeholders, normalise to CRLF, compute Content-Length."""
    for name, value in values.items():
        text = text.replace("${" + name + "}", value)
    head, _, body = text.replace("\r\n", "\n").partition("\n\n")
    lines = [l for l in head.split("\n") if not l.lower().startswith("content-length:")]
    body = body.replace("\n", "\r\n")
    lines.append(f"Content-Length: {len(body.encode())}")
    return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()


def render(args):
    values = {"CALL_ID": uuid.uuid4().hex + "@interop", "TAG": uuid.uuid4().hex[:10],
              "BRANCH": "z9hG4bK" + uuid.uuid4().hex[:16]}
    values.update(kv.split("=", 1) for kv in args.set)
    return fill_request(open(args.file, encoding="utf-8").read(), values)


def send(args):
    request = render(args)
    raw = socket.create_connection((args.addr, args.port), timeout=args.timeout)
    try:
        conn = client_context(args).wrap_socket(raw, server_hostname=args.server_name or None)
    except (ssl.SSLError, OSError) as exc:
        emit(kind="tls-failed", detail=str(exc))
        return 3
    emit(kind="tls", version=conn.version(), cipher=conn.cipher()[0])
    conn.sendall(request)
    emit(kind="sent", start=request.split(b"\r\n", 1)[0].decode())
    end, buf = time.monotonic() + args.timeout, b""
    while time.monotonic() < end:
        conn.settimeout(max(0.1, end - time.monotonic()))
        try:
            msg = read_message(conn, buf)
        except (OSError, ValueError) as exc:
            emit(kind="read-failed", detail=str(exc))
            return 3
        if msg is None:
            emit(kind="closed")
            return 3
        start, headers, body, buf = msg
        code = int(start.split()[1]) if start.startswith("SIP/2.0") else 0
        emit(kind="response" if code else "request", start=start,
             headers={n: v for n, v in headers if n not in ("via", "content-length")},
             body=body.decode("utf-8", "replace"))
        if code >= 200:
            ok = args.expect is None or code == args.expect
            emit(kind="final", code=code, ok=ok)
            return 0 if ok else 1
    emit(kind="timeout", seconds=args.timeout)
    return 1


def serve_main(args):
    replies = {k: int(v) for k, v in (r.split("=", 1) for r in args.reply)}
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert + ".crt", args.cert + ".key")
    ctx.load_verify_locations(args.cafile)
    ctx.verify_mode = ssl.CERT_REQUIRED
    if not args.tls13:
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    srv = socket.create_server((args.addr, args.port))
    srv.settimeout(0.5)
    emit(kind="listening", addr=args.addr, port=args.port)
    end = time.monotonic() + args.lifetime
    while time.monotonic() < end:
        try:
            raw, peer = srv.accept()
        except socket.timeout:
            continue
        try:
            raw.settimeout(10)
            conn = ctx.wrap_socket(raw, server_side=True)
        except (ssl.SSLError, OSError) as exc:
            emit(kind="tls-refused", peer=f"{peer[0]}:{peer[1]}", detail=str(exc))
            raw.close()
            continue
        threading.Thread(target=serve, args=(conn, f"{peer[0]}:{peer[1]}", replies),
                         daemon=True).start()
    emit(kind="lifetime-over")
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="mode", required=True)
    render_p = sub.add_parser("render", help="print the filled request (CRLF), e.g. for sipsak")
    render_p.add_argument("--file", required=True)
    render_p.add_argument("--set", action="append", default=[], help="NAME=VALUE")
    for name in ("serve", "send"):
        q = sub.add_parser(name)
        q.add_argument("--addr", required=True)
        q.add_argument("--port", type=int, default=5061)
        q.add_argument("--cafile", required=True)
        q.add_argument("--tls13", action="store_true", help="allow TLS 1.3 (default 1.2)")
    serve_p, send_p = sub.choices["serve"], sub.choices["send"]
    serve_p.add_argument("--cert", required=True, help="certificate prefix (.crt/.key)")
    serve_p.add_argument("--reply", action="append", default=[], help="METHOD=CODE")
    serve_p.add_argument("--lifetime", type=float, default=300)
    send_p.add_argument("--cert", help="client certificate prefix (.crt/.key)")
    send_p.add_argument("--server-name", help="check the server certificate for this name")
    send_p.add_argument("--file", required=True, help="request template")
    send_p.add_argument("--set", action="append", default=[], help="NAME=VALUE")
    send_p.add_argument("--expect", type=int, help="required final status code")
    send_p.add_argument("--timeout", type=float, default=10)
    args = p.parse_args()
    if args.mode == "render":
        sys.stdout.buffer.write(render(args))
        return 0
    return serve_main(args) if args.mode == "serve" else send(args)


if __name__ == "__main__":
    sys.exit(main())
