#!/usr/bin/python3
"""Scriptable Microsoft-dialect SIP federation peer for the interop tests (owned by the harness).

It behaves like a Lync 2013 / Skype for Business Edge serving one or more partner users: it
listens with mutual TLS on --addr:--port (fedgate connects there), dials --gateway HOST:PORT
for its own requests, and accepts requests and responses on any connection. TLS 1.2 with a
client certificate both ways, Content-Length framing, CRLF keep-alives answered (RFC 5626 3.5.1).
The messages it sends are the templates in ms_transcripts/ (see the README there for the spec
section each one follows). Standard library only; run it with /usr/bin/python3.

  ms_peer.py --addr 127.0.0.40 --port 5061 --cert PKI/b.test --cafile PKI/ca/ca.crt \\
      --gateway 127.0.0.50:5061 [--gateway-name sip.a.test] --fqdn sip.b.test \\
      --user bob@b.test --user carol@b.test [--script FILE [--var NAME=VALUE]...] \\
      [--lifetime 300] [--linger 0] [--tls13] [--no-record-route] [--txn-timeout 32] \\
      [--expires 3600] [--refresh-ratio 0.8] [--gruu] [--reuse-inbound] [--trace] \\
      [--auto-resubscribe] [--im-idle 600]

--gruu: Lync-style GRUU Contacts; --reuse-inbound: in-dialog requests go out on the dialog's
inbound connection instead of the dialed one; --trace: every message sent/received as events;
--auto-resubscribe: subscribe again after terminated;reason=deactivated|timeout|probation
(RFC 6665 4.1.3), as Lync does; --im-idle S: BYE an IM dialog idle for S seconds.

Control: one JSON command per line on stdin, one JSON event per line on stdout (flushed). With
--script FILE (a JSON array, or one JSON object per line; lines starting with # are comments;
${NAME} is replaced by --var values) it runs the commands in order and exits 0 when every step
passed, 1 at the first failed step or error, 2 on a setup error. Without --script it serves
until {"cmd":"quit"}, SIGTERM or --lifetime (stdin EOF does not stop it). Every step is bounded.

Every command may carry an "id"; its verdict event (cmd_ok, expect_ok, expect_failed, error)
echoes it, so a bash driver can wait for `"id": "s7"` in the event log.

Commands (users are "user@domain"; "from" must be one of --user):
  subscribe        {"from","to","expires":3600}     single presence subscription (Event: presence,
                   Microsoft Accept list, Supported: ms-benotify, ms-piggyback-first-notify)
  batch_subscribe  {"from","to":[..],"categories":[..],"request_uri":opt,"expires"}
                   Require: adhoclist, categoryList; application/msrtc-adrl-categorylist+xml
  refresh / unsubscribe {"from","to"}               (to = the batch's request URI user for batches)
  set_state        {"user","availability":3500,"activity":opt,"note":opt,"benotify":false}
                   NOTIFYs (BENOTIFY when asked and offered) every watcher of the user
  unpublish        {"user"}            terminated NOTIFY (reason=noresource) to its watchers
  terminate        {"user","watcher","reason":"deactivated","retry_after":opt}  end one
                   watcher's subscriptions with a terminated NOTIFY
  batch_answer     {"user","state":"resubscribe|active|pending|terminated"|null}
                   instance state given to this user in RLMI documents of batched
                   subscriptions (existing ones are NOTIFYed at once)
  policy           {"user","watcher","state":"pending|active"}; approve {"user","watcher"}
  im               {"from","to","text","content_type":"text/plain; charset=UTF-8",
                    "in_invite":true,"recover":false}  first message in the INVITE's
                   ms-text-format; later ones as MESSAGE in the dialog; recover: resend through a
                   new INVITE when the MESSAGE gets 408/480/481
  page             {"from","to","text"}                page-mode MESSAGE (RFC 3428)
  typing           {"from","to","kind":"info|iscomposing","state":"active|idle"}
  bye              {"from","to"}
  break_session    {"from","to"}  the session's dialog gets a To tag the far side never issued
                   (as if it had restarted): the next MESSAGE there meets 481 (see im recover)
  options          {"from","to"}; keepalive {}          OPTIONS / CRLFCRLF ping
  fail_next_message {"status":481,"warning":opt,"ms_diagnostics":opt}  the next in-dialog
                   MESSAGE is refused with that status and its dialog forgotten (a dead dialog)
  set_option       {"accept_text_format":bool,"invite_status":N|null,"subscribe_status":N|null}
  expect           {"ev":"presence", "<field>":value..., "match":{...}, "timeout":5}
                   waits for an event not consumed by an earlier expect; a key ending in "~"
                   matches a substring. no_event {"ev",...,"seconds":2}; sleep {"seconds"}
  quit             terminated NOTIFYs to watchers, then exit

Events (always "ev" and "t" plus fields): listening, connection {dir,peer,peer_cn,tls},
tls_refused, closed, keepalive {kind:ping|pong}, request {method,call_id,ruri,from,to},
response {method,status,reason,warning,ms_diagnostics,call_id,to[,local]} for every answer
to our requests (local: Timer F fired, no answer), stray_response, subscribed {watcher,
presentity,batch,state}, unsubscribed, subscription_failed {status}, presence {watcher,
presentity,availability,activity,note,state:active|pending|terminated,via:piggyback|notify|
benotify[,reason]}, stale_presence (older publishTime ignored), cseq_out_of_order,
resubscribe {watcher,presentity}, message {from,to,text,content_type,mode:invite|session|
page}, delivered {from,to,text,via:invite|message}, resent, dialog_dead {from,to,status},
im_failed {status,text}, failed_message (fail_next_message used), typing {from,to,state,
kind:info|iscomposing}, bye {from,to}, idle_bye, resubscribing {reason,delay}, ack,
cmd_ok, expect_ok, expect_failed, script_ok, script_failed, error {detail}, exit {rc};
with --trace also sent {data}, received.
"""
import argparse
import base64
import hashlib
import json
import os
import re
import signal
import socket
import ssl
import sys
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from xml.sax.saxutils import escape

MAX_MESSAGE = 512 * 1024
USER_AGENT = "fedgate-ms-peer/1.0 (Lync 2013 dialect)"
COMPACT = {"v": "via", "f": "from", "t": "to", "i": "call-id", "l": "content-length",
           "c": "content-type", "o": "event", "m": "contact", "k": "supported", "e":
           "content-encoding", "s": "subject", "u": "allow-events"}
NS_CAT = "http://schemas.microsoft.com/2006/09/sip/categories"
NS_STATE = "http://schemas.microsoft.com/2006/09/sip/state"
NS_NOTE = "http://schemas.microsoft.com/2006/09/sip/note"
NS_BATCH = "http://schemas.microsoft.com/2006/01/sip/batch-subscribe"
NS_RLMI = "urn:ietf:params:xml:ns:rlmi"
NS_PIDF = "urn:ietf:params:xml:ns:pidf"
NS_RPID = "urn:ietf:params:xml:ns:pidf:rpid"
NS_DM = "urn:ietf:params:xml:ns:pidf:data-model"
NS_MSPIDF = "http://schemas.microsoft.com/2002/09/sip/presence"
NS_ISCOMP = "urn:ietf:params:xml:ns:im-iscomposing"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
DEAD_DIALOG = (408, 480, 481)


class StepFailed(Exception):
    """A command could not be carried out, or an expect step timed out."""


# ----------------------------------------------------------------------------- events

class Events:
    """JSON-lines output plus the log that expect steps search (each event matched once)."""

    def __init__(self):
        self.cond = threading.Condition()
        self.log = []
        self.consumed = set()

    def emit(self, ev, **fields):
        record = {"ev": ev, "t": round(time.time(), 3), **fields}
        with self.cond:
            self.log.append(record)
            print(json.dumps(record), flush=True)
            self.cond.notify_all()

    @staticmethod
    def matches(record, ev, match):
        if record.get("ev") != ev:
            return False
        for key, want in match.items():
            if key.endswith("~"):
                if str(want) not in str(record.get(key[:-1], "")):
                    return False
            elif record.get(key) != want:
                return False
        return True

    def wait(self, ev, match, timeout, consume=True, stop=None):
        """Return the first unconsumed matching event, waiting up to timeout seconds (less
        when `stop` is set meanwhile)."""
        end = time.monotonic() + timeout
        with self.cond:
            while stop is None or not stop.is_set():
                for i, record in enumerate(self.log):
                    if i not in self.consumed and self.matches(record, ev, match):
                        if consume:
                            self.consumed.add(i)
                        return record
                left = end - time.monotonic()
                if left <= 0:
                    return None
                self.cond.wait(min(left, 0.25))
        return None


# ----------------------------------------------------------------------------- messages

class SipMessage:
    """One SIP message: start line, ordered (name, value) headers (names lower-case), body."""

    def __init__(self, start, headers, body=b""):
        self.start, self.headers, self.body = start, headers, body

    @property
    def is_response(self):
        return self.start.startswith("SIP/2.0 ")

    @property
    def status(self):
        return int(self.start.split()[1]) if self.is_response else 0

    @property
    def reason(self):
        return self.start.split(" ", 2)[2] if self.is_response else ""

    @property
    def method(self):
        return self.cseq()[1] if self.is_response else self.start.split()[0]

    @property
    def ruri(self):
        return self.start.split()[1]

    def get(self, name, default=None):
        name = name.lower()
        return next((v for n, v in self.headers if n == name), default)

    def all(self, name):
        name = name.lower()
        return [v for n, v in self.headers if n == name]

    def list_values(self, name):
        """Comma-separated values of every header of that name (Supported, Require...)."""
        return [v.strip() for h in self.all(name) for v in h.split(",") if v.strip()]

    def cseq(self):
        num, method = self.get("cseq", "0 NONE").split()
        return int(num), method.upper()

    def text(self):
        return self.body.decode("utf-8", "replace")

    def branch(self):
        return header_param(self.get("via", ""), "branch")


def parse_head(head):
    lines = head.decode("utf-8", "replace").split("\r\n")
    headers = []
    for line in lines[1:]:
        if line[:1] in (" ", "\t") and headers:  # folded continuation (RFC 3261 7.3.1)
            name, value = headers[-1]
            headers[-1] = (name, value + " " + line.strip())
        elif ":" in line:
            name, value = line.split(":", 1)
            name = name.strip().lower()
            headers.append((COMPACT.get(name, name), value.strip()))
    return lines[0].strip(), headers


def header_param(value, name):
    match = re.search(r";\s*" + re.escape(name) + r"=(\"[^\"]*\"|[^;,\s>]+)", value or "", re.I)
    return match.group(1).strip('"') if match else None


def addr_uri(value):
    """The URI of a name-addr / addr-spec header value."""
    match = re.search(r"<([^>]*)>", value or "")
    return match.group(1) if match else (value or "").split(";")[0].strip()


def uri_aor(uri):
    """"sip:bob@b.test;transport=tls" -> "bob@b.test" (user@host without scheme or params)."""
    uri = re.sub(r"^sips?:", "", (uri or "").strip(), flags=re.I)
    return uri.split(";")[0].split("?")[0].split(">")[0]


def uri_host(uri):
    hostport = uri_aor(uri).split("@")[-1]
    return hostport.split(":")[0] if not hostport.startswith("[") else hostport


def new_tag():
    return uuid.uuid4().hex[:10]


def new_branch():
    return "z9hG4bK" + uuid.uuid4().hex[:16]


def epid_for(user):
    """Stable 10-hex endpoint id per user (MS-SIPRE epid parameter)."""
    return hashlib.sha256(user.encode()).hexdigest()[:10]


def iso_time(ts):
    return datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def parse_time(value):
    """xs:dateTime (as Lync sends them, UTC, optional fraction) -> epoch seconds; None if bad."""
    match = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?Z?$", value or "")
    if not match:
        return None
    base = datetime.strptime(match.group(1), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
    return base.timestamp() + float(match.group(2) or 0)


def xml_root(body):
    try:
        return ET.fromstring(body)
    except ET.ParseError:
        return None


# ----------------------------------------------------------------------------- templates

class Transcripts:
    """Message and body templates of ms_transcripts/ with ${NAME} placeholders.

    A line that is only "${NAME}" expands to zero or more lines; a header whose value is empty
    after substitution is dropped; leading "#" lines (.sip/.txt) or a leading XML comment (.xml)
    document the template and are not sent. Content-Length is computed.
    """

    def __init__(self, directory):
        self.dir = directory
        self.cache = {}

    def raw(self, name):
        if name not in self.cache:
            with open(os.path.join(self.dir, name), encoding="utf-8") as f:
                text = f.read()
            if name.endswith(".xml"):
                text = re.sub(r"\A\s*<!--.*?-->\s*", "", text, flags=re.S)
            else:
                text = re.sub(r"\A(#[^\n]*\n)+", "", text)
            self.cache[name] = text
        return self.cache[name]

    def fill(self, name, values):
        text = self.raw(name)
        return re.sub(r"\$\{(\w+)\}", lambda m: str(values.get(m.group(1), "")), text).strip("\n")

    def message(self, name, values, body=b""):
        text = self.raw(name)
        head, _, _ = text.partition("\n\n")
        lines = []
        for line in head.strip("\n").split("\n"):
            whole = re.fullmatch(r"\$\{(\w+)\}", line.strip())
            if whole:
                value = values.get(whole.group(1)) or ""
                lines += [l for l in str(value).split("\r\n") if l]
                continue
            line = re.sub(r"\$\{(\w+)\}", lambda m: str(values.get(m.group(1), "")), line)
            if ":" in line and not line.split(":", 1)[1].strip():
                continue
            lines.append(line)
        if isinstance(body, str):
            body = body.encode()
        if not body:
            lines = [l for l in lines if not l.lower().startswith("content-type:")]
        lines.append(f"Content-Length: {len(body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


# ----------------------------------------------------------------------------- transport

class Connection:
    """One mutual-TLS connection; a reader thread frames messages (RFC 3261 18.3)."""

    def __init__(self, peer, sock, direction, label):
        self.peer, self.sock, self.direction, self.label = peer, sock, direction, label
        self.send_lock = threading.Lock()
        self.alive = True
        self.awaiting_pong = False
        cert = sock.getpeercert() or {}
        subject = dict(x[0] for x in cert.get("subject", ()))
        self.peer_cn = subject.get("commonName")
        peer.events.emit("connection", dir=direction, peer=label, peer_cn=self.peer_cn,
                         tls=sock.version())
        threading.Thread(target=self.read_loop, daemon=True).start()

    def send(self, data):
        with self.send_lock:
            self.sock.sendall(data)

    def close(self):
        self.alive = False
        try:
            self.sock.close()
        except OSError:
            pass

    def read_loop(self):
        buf = b""
        try:
            while self.alive:
                buf = self.handle_keepalives(buf)
                msg, buf = self.frame(buf)
                if msg is None:
                    chunk = self.sock.recv(65536)
                    if not chunk:
                        break
                    buf += chunk
                    if len(buf) > MAX_MESSAGE:
                        raise ValueError("message too large")
                    continue
                self.peer.dispatch(msg, self)
        except (OSError, ValueError, ssl.SSLError) as exc:
            self.peer.events.emit("error", detail=f"connection {self.label}: {exc}")
        self.alive = False
        self.peer.events.emit("closed", dir=self.direction, peer=self.label)
        self.peer.forget_connection(self)

    def handle_keepalives(self, buf):
        while buf.startswith(b"\r\n"):
            if buf.startswith(b"\r\n\r\n"):
                self.send(b"\r\n")  # pong (RFC 5626 section 3.5.1)
                self.peer.events.emit("keepalive", kind="ping", peer=self.label)
                buf = buf[4:]
            elif (len(buf) >= 3 and not buf.startswith(b"\r\n\r")) or \
                    (buf == b"\r\n" and self.awaiting_pong):
                self.awaiting_pong = False
                self.peer.events.emit("keepalive", kind="pong", peer=self.label)
                buf = buf[2:]  # a pong to our ping
            else:
                break
        return buf

    @staticmethod
    def frame(buf):
        if b"\r\n\r\n" not in buf:
            return None, buf
        head, rest = buf.split(b"\r\n\r\n", 1)
        start, headers = parse_head(head)
        length = int(next((v for n, v in headers if n == "content-length"), "0") or 0)
        if len(rest) < length:
            return None, buf
        return SipMessage(start, headers, rest[:length]), rest[length:]


# ----------------------------------------------------------------------------- state

class Dialog:
    """RFC 3261 section 12 dialog state, as far as a UA on one reliable connection needs."""

    def __init__(self, call_id, local_uri, remote_uri, local_tag):
        self.call_id, self.local_uri, self.remote_uri = call_id, local_uri, remote_uri
        self.local_tag, self.remote_tag = local_tag, None
        self.remote_target = remote_uri
        self.route_set = []
        self.local_cseq = 0
        self.remote_cseq = None
        self.remote_epid = None
        self.conn = None

    def next_cseq(self):
        self.local_cseq += 1
        return self.local_cseq


class OutSubscription:
    """Watcher side: a single or batched presence subscription this peer sent."""

    def __init__(self, watcher, target, dialog, expires, resources, batch):
        self.watcher, self.target, self.dialog = watcher, target, dialog
        self.expires, self.resources, self.batch = expires, resources, batch
        self.refresh_at = None
        self.terminated = False
        self.unsubscribing = False
        self.categories = []
        self.batch_spec = None
        self.request_uri = None


class InSubscription:
    """Notifier side: a watcher's subscription to one or more of our users."""

    def __init__(self, watcher, dialog, resources, batch, accept, supported):
        self.watcher, self.dialog, self.resources, self.batch = watcher, dialog, resources, batch
        self.accept, self.supported = accept, supported
        self.expires_at = 0.0
        self.rlmi_version = 0
        self.instance = {}  # resource -> active | pending | terminated | resubscribe

    def body_type(self):
        """msrtc categories when accepted (Lync), else PIDF (RFC 3856 default)."""
        if "application/msrtc-event-categories+xml" in self.accept:
            return "application/msrtc-event-categories+xml"
        return "application/pidf+xml"


class ImSession:
    """A session-mode IM dialog between one of our users and a remote user."""

    def __init__(self, local, remote, dialog, role):
        self.local, self.remote, self.dialog, self.role = local, remote, dialog, role
        self.established = False
        self.queue = []  # (text, content_type, recover) waiting for the INVITE's 200
        self.first = None  # the message carried in our INVITE
        self.last_activity = time.monotonic()
        self.conversation_id = base64.b64encode(os.urandom(15)).decode()


class UserState:
    def __init__(self):
        self.availability = 3500
        self.activity = ""
        self.note = ""
        self.published = True
        self.last_publish = 0.0

    def publish_time(self):
        """Strictly increasing publishTime (MS-PRES: newer documents replace older ones)."""
        self.last_publish = max(time.time(), self.last_publish + 0.001)
        return iso_time(self.last_publish)


REASONS = {100: "Trying", 180: "Ringing", 200: "OK", 202: "Accepted", 400: "Bad Request",
           403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 408: "Request Timeout",
           415: "Unsupported Media Type", 420: "Bad Extension", 480: "Temporarily Unavailable",
           481: "Call Leg/Transaction Does Not Exist", 486: "Busy Here", 487: "Request Terminated",
           489: "Bad Event", 500: "Server Internal Error", 501: "Not Implemented",
           503: "Service Unavailable", 603: "Decline"}


def split_addr_list(value):
    """Record-Route / Route values: "<a>;lr, <b>" -> ["<a>;lr", "<b>"]."""
    return [m.strip() for m in re.findall(r"<[^>]*>[^,]*", value or "")]


def parse_multipart(msg):
    """multipart/related body -> list of (content_type, content_id, body bytes)."""
    boundary = header_param(msg.get("content-type"), "boundary")
    if not boundary:
        return []
    parts = []
    for chunk in msg.body.split(b"--" + boundary.encode())[1:]:
        if chunk.startswith(b"--"):
            break
        chunk = chunk.lstrip(b"\r\n")
        sep = b"\r\n\r\n" if b"\r\n\r\n" in chunk else b"\n\n"
        head, _, body = chunk.partition(sep)
        headers = dict((n.strip().lower(), v.strip()) for n, _, v in
                       (l.partition(":") for l in head.decode("utf-8", "replace").splitlines()))
        ctype = headers.get("content-type", "").split(";")[0].strip().lower()
        parts.append((ctype, headers.get("content-id", "").strip("<>"), body.rstrip(b"\r\n")))
    return parts


def parse_categories(body):
    """msrtc-event-categories -> {presentity, categories: {name: (publish_time, fields)}}."""
    root = xml_root(body)
    if root is None or root.tag != f"{{{NS_CAT}}}categories":
        return None
    doc = {"presentity": uri_aor(root.get("uri", "")), "categories": {}}
    for cat in root.findall(f"{{{NS_CAT}}}category"):
        when = parse_time(cat.get("publishTime"))
        if cat.get("name") == "state":
            state = cat.find(f"{{{NS_STATE}}}state")
            if state is None:
                continue
            avail = state.findtext(f"{{{NS_STATE}}}availability")
            activity = state.find(f"{{{NS_STATE}}}activity")
            fields = {"availability": int(avail) if avail and avail.strip().isdigit() else None,
                      "activity": activity.get("token") if activity is not None else None}
            # a federated watcher sees the aggregate state; prefer it over other state types
            if "state" in doc["categories"] and state.get(XSI_TYPE) != "aggregateState":
                continue
            doc["categories"]["state"] = (when, fields)
        elif cat.get("name") == "note":
            note_body = cat.find(f"{{{NS_NOTE}}}note/{{{NS_NOTE}}}body")
            text = (note_body.text or "").strip() if note_body is not None else ""
            doc["categories"]["note"] = (when, {"note": text})
    return doc


PIDF_AVAILABILITY = (("busy", 6500), ("on-the-phone", 6500), ("meeting", 6500), ("away", 15500),
                     ("vacation", 15500), ("sleeping", 15500))


def parse_pidf(body):
    """PIDF/RPID -> the same shape as parse_categories (basic open/closed, RPID activities)."""
    root = xml_root(body)
    if root is None or root.tag != f"{{{NS_PIDF}}}presence":
        return None
    basic = root.findtext(f".//{{{NS_PIDF}}}basic", "closed").strip()
    availability = 3500 if basic == "open" else 18000
    activity = None
    acts = root.find(f".//{{{NS_RPID}}}activities")
    if acts is not None and len(acts) and basic == "open":
        activity = acts[0].tag.split("}")[-1]
        availability = dict(PIDF_AVAILABILITY).get(activity, availability)
    note = root.findtext(f".//{{{NS_DM}}}note") or root.findtext(f".//{{{NS_PIDF}}}note") or ""
    fields = {"availability": availability, "activity": activity, "basic": basic}
    return {"presentity": uri_aor(root.get("entity", "")),
            "categories": {"state": (None, fields), "note": (None, {"note": note.strip()})}}


def parse_ms_pidf(body):
    """Legacy text/xml+msrtc.pidf (MS-SIP 4.4): aggregate availability/activity numbers."""
    root = xml_root(body)
    if root is None or root.tag != f"{{{NS_MSPIDF}}}presentity":
        return None
    avail = root.find(f"{{{NS_MSPIDF}}}availability")
    activity = root.find(f"{{{NS_MSPIDF}}}activity")
    fields = {"legacy_availability": int(avail.get("aggregate", "0")) if avail is not None else 0,
              "activity": activity.get("aggregate") if activity is not None else None}
    return {"presentity": uri_aor(root.get("uri", "")), "categories": {"state": (None, fields)}}


def parse_presence_doc(ctype, body):
    parser = {"application/msrtc-event-categories+xml": parse_categories,
              "application/pidf+xml": parse_pidf,
              "text/xml+msrtc.pidf": parse_ms_pidf}.get(ctype)
    return parser(body) if parser else None


def decode_text_format(value):
    """ms-text-format header -> (content_type, text) of the first message of an INVITE."""
    ctype = value.split(";")[0].strip()
    data = header_param(value, "ms-body") or ""
    raw = base64.b64decode(data + "=" * (-len(data) % 4))
    return ctype, raw.decode("utf-8", "replace")


# ----------------------------------------------------------------------------- the peer

class Peer:
    """All SIP state; every entry point takes self.lock (reader threads, timer, commands)."""

    def __init__(self, args, events, transcripts):
        self.args, self.events, self.t = args, events, transcripts
        self.lock = threading.RLock()
        self.users = set(args.user)
        self.states = {u: UserState() for u in self.users}
        self.host = args.fqdn or args.addr
        self.port = args.port
        self.conns = []
        self.gateway_conn = None
        self.txns = {}            # branch -> [method, deadline, callback, to]
        self.dialogs = {}         # (call_id, local_tag) -> Out/InSubscription | ImSession
        self.out_subs = {}        # (watcher, target) -> OutSubscription
        self.in_subs = []
        self.sessions = {}        # (local, remote) -> ImSession
        self.presence_cache = {}  # (watcher, presentity) -> {fields..., "times": {category: t}}
        self.retries = []         # (due, watcher, target, expires, batch_spec, request_uri)
        self.batch_answers = {}
        self.policies = {}
        self.pending_fail = None
        self.options = {"accept_text_format": True, "invite_status": None,
                        "subscribe_status": None}
        self.client_ctx = None
        self.stop = threading.Event()

    # -- transport -------------------------------------------------------------------------

    def via_host(self):
        return f"{self.host}:{self.port}"

    def contact(self, user):
        """The user's endpoint: host form by default, or a Lync GRUU (MS-SIPRE: AOR plus
        opaque=user:epid:...;gruu) with --gruu."""
        if user not in self.users:  # e.g. a batched list URI: the edge itself
            return f"<sip:{self.host}:{self.port};transport=tls>"
        if self.args.gruu:
            return f"<sip:{user};opaque=user:epid:{epid_for(user)};gruu>"
        return f"<sip:{user.split('@')[0]}@{self.host}:{self.port};transport=tls>"

    def record_route(self):
        if not self.args.record_route:
            return ""
        return f"Record-Route: <sip:{self.host}:{self.port};transport=tls;lr>"

    def forget_connection(self, conn):
        with self.lock:
            if conn in self.conns:
                self.conns.remove(conn)
            if self.gateway_conn is conn:
                self.gateway_conn = None

    def add_connection(self, conn):
        with self.lock:
            self.conns.append(conn)

    def out_conn(self, fallback=None):
        """The connection for our own requests: the one we dialed to --gateway (dialed on
        demand; with --reuse-inbound the dialog's own connection first); without --gateway,
        the dialog's connection or the latest inbound one."""
        if self.args.reuse_inbound and fallback is not None and fallback.alive:
            return fallback
        if self.gateway_conn and self.gateway_conn.alive:
            return self.gateway_conn
        if self.args.gateway:
            host, port = self.args.gateway.rsplit(":", 1)
            try:
                raw = socket.create_connection((host.strip("[]"), int(port)), timeout=5)
                sock = self.client_ctx.wrap_socket(raw, server_hostname=self.args.gateway_name)
                sock.settimeout(None)
            except (OSError, ssl.SSLError) as exc:
                self.events.emit("error", detail=f"connect {self.args.gateway}: {exc}")
                raise StepFailed(f"cannot connect to {self.args.gateway}: {exc}") from exc
            self.gateway_conn = Connection(self, sock, "out", self.args.gateway)
            self.conns.append(self.gateway_conn)
            return self.gateway_conn
        if fallback is not None and fallback.alive:
            return fallback
        live = [c for c in self.conns if c.alive]
        if not live:
            raise StepFailed("no connection to send on (no --gateway and nothing connected)")
        return live[-1]

    def send_request(self, data, method, branch, callback=None, to="", fallback=None):
        conn = self.out_conn(fallback)
        if method not in ("ACK", "BENOTIFY"):
            deadline = time.monotonic() + self.args.txn_timeout
            self.txns[branch] = [method, deadline, callback, to]
        if self.args.trace:
            self.events.emit("sent", data=data.decode("utf-8", "replace"))
        try:
            conn.send(data)
        except OSError as exc:
            self.txns.pop(branch, None)
            raise StepFailed(f"send {method} failed: {exc}") from exc

    def not_found(self, req, conn):
        """404 for a user this edge does not serve, with Lync's diagnostic header (MS-OCER)."""
        self.respond(req, conn, 404, {"EXTRA": 'ms-diagnostics: 4005;reason="Destination URI '
                                               'either not enabled for SIP or does not exist";'
                                               f'source="{self.host}"'})

    def respond(self, req, conn, status, values=None, template="response.sip", body=b"",
                to_tag=None):
        to = req.get("to", "")
        if to_tag and header_param(to, "tag") is None and status > 100:
            to += f";tag={to_tag}"
            user = uri_aor(addr_uri(to))
            if user in self.users:
                to += f";epid={epid_for(user)}"
        vals = {"STATUS": status, "REASON": REASONS.get(status, "Unknown"),
                "VIA": "\r\n".join("Via: " + v for v in req.all("via")),
                "FROM": req.get("from", ""), "TO": to, "CALL_ID": req.get("call-id", ""),
                "CSEQ": req.get("cseq", ""), "USER_AGENT": USER_AGENT}
        vals.update(values or {})
        data = self.t.message(template, vals, body)
        if self.args.trace:
            self.events.emit("sent", data=data.decode("utf-8", "replace"))
        try:
            conn.send(data)
        except OSError as exc:
            self.events.emit("error", detail=f"cannot answer {req.method}: {exc}")

    def dispatch(self, msg, conn):
        with self.lock:
            if self.args.trace:
                self.events.emit("received", start=msg.start, headers=msg.headers,
                                 body=msg.text())
            try:
                if msg.is_response:
                    self.on_response(msg)
                else:
                    self.on_request(msg, conn)
            except Exception as exc:  # noqa: BLE001 - a test tool reports, never dies
                self.events.emit("error", detail=f"handling {msg.start}: {exc!r}")
                if not msg.is_response and msg.method not in ("ACK", "BENOTIFY"):
                    self.respond(msg, conn, 500)

    def on_response(self, msg):
        txn = self.txns.get(msg.branch())
        if txn is None or txn[0] != msg.method:
            self.events.emit("stray_response", status=msg.status, method=msg.method,
                             call_id=msg.get("call-id"))
            return
        if msg.status >= 200:
            del self.txns[msg.branch()]
        self.events.emit("response", method=msg.method, status=msg.status, reason=msg.reason,
                         warning=msg.get("warning"), ms_diagnostics=msg.get("ms-diagnostics"),
                         call_id=msg.get("call-id"), to=txn[3])
        if txn[2] is not None:
            txn[2](msg)

    def on_request(self, req, conn):
        method = req.method
        self.events.emit("request", method=method, call_id=req.get("call-id"),
                         ruri=req.ruri, **{"from": uri_aor(addr_uri(req.get("from"))),
                                           "to": uri_aor(addr_uri(req.get("to")))})
        handler = {"SUBSCRIBE": self.on_subscribe, "NOTIFY": self.on_notify,
                   "BENOTIFY": self.on_notify, "INVITE": self.on_invite, "ACK": self.on_ack,
                   "MESSAGE": self.on_message, "INFO": self.on_info, "BYE": self.on_bye,
                   "OPTIONS": self.on_options, "CANCEL": self.on_cancel}.get(method)
        if handler is None:
            self.respond(req, conn, 501)
            return
        handler(req, conn)

    def tick(self):
        """Timer work (every 0.25 s): transaction timeouts, refreshes, notifier expiry."""
        with self.lock:
            now = time.monotonic()
            for branch, txn in list(self.txns.items()):
                if now >= txn[1]:
                    del self.txns[branch]
                    self.events.emit("response", method=txn[0], status=408,
                                     reason="Request Timeout (no response)", warning=None,
                                     ms_diagnostics=None, call_id=None, to=txn[3], local=True)
                    if txn[2] is not None:
                        txn[2](None)
            for sub in list(self.out_subs.values()):
                if sub.refresh_at is not None and now >= sub.refresh_at:
                    sub.refresh_at = None
                    self.send_subscribe(sub, sub.expires)
            for sub in list(self.in_subs):
                if now >= sub.expires_at:
                    self.end_in_subscription(sub, "timeout")
            due = [r for r in self.retries if now >= r[0]]
            self.retries = [r for r in self.retries if now < r[0]]
            for _, watcher, target, expires, batch, ruri in due:
                try:
                    self.subscribe(watcher, target, expires, batch, ruri)
                except StepFailed as exc:
                    self.events.emit("error", detail=f"re-subscribe {target}: {exc}")
            if self.args.im_idle > 0:
                for s in list(self.sessions.values()):
                    if s.established and now - s.last_activity > self.args.im_idle:
                        self.end_session(s)  # Lync closes an idle IM dialog with BYE
                        self.events.emit("idle_bye", **{"from": s.local, "to": s.remote})
                        self.send_in_dialog(s.dialog, "bye.sip", "BYE")

    # -- dialogs -----------------------------------------------------------------------------

    def index(self, dialog, usage):
        self.dialogs[(dialog.call_id, dialog.local_tag)] = usage

    def unindex(self, dialog):
        self.dialogs.pop((dialog.call_id, dialog.local_tag), None)

    def find_usage(self, req, kind):
        usage = self.dialogs.get((req.get("call-id"), header_param(req.get("to"), "tag")))
        return usage if isinstance(usage, kind) else None

    def route_set(self, rr_values, reverse):
        routes = [r for v in rr_values for r in split_addr_list(v)]
        routes = [r for r in routes if uri_host(addr_uri(r)) != self.host]
        return list(reversed(routes)) if reverse else routes

    def dialog_from_request(self, req, local, conn):
        """UAS side of a dialog-creating request (RFC 3261 12.1.1)."""
        d = Dialog(req.get("call-id"), local, uri_aor(addr_uri(req.get("from"))), new_tag())
        d.remote_tag = header_param(req.get("from"), "tag")
        d.remote_epid = header_param(req.get("from"), "epid")
        d.remote_target = addr_uri(req.get("contact")) or "sip:" + d.remote_uri
        d.route_set = self.route_set(req.all("record-route"), reverse=False)
        d.remote_cseq = req.cseq()[0]
        d.conn = conn
        return d

    def establish_uac(self, d, resp):
        """UAC side: the 2xx (or a NOTIFY overtaking it) fixes the remote tag and target."""
        d.remote_tag = header_param(resp.get("to" if resp.is_response else "from"), "tag")
        d.remote_epid = header_param(resp.get("to" if resp.is_response else "from"), "epid")
        d.remote_target = addr_uri(resp.get("contact")) or d.remote_target
        d.route_set = self.route_set(resp.all("record-route"), reverse=resp.is_response)

    def dialog_values(self, d, method, cseq=None):
        to = f"<sip:{d.remote_uri}>"
        if d.remote_tag:
            to += f";tag={d.remote_tag}"
        if d.remote_epid:
            to += f";epid={d.remote_epid}"
        return {"METHOD": method, "RURI": d.remote_target, "VIA_HOST": self.via_host(),
                "BRANCH": new_branch(),
                "FROM": f"<sip:{d.local_uri}>;tag={d.local_tag}" +
                        (f";epid={epid_for(d.local_uri)}" if d.local_uri in self.users else ""),
                "TO": to, "CALL_ID": d.call_id,
                "CSEQ": cseq if cseq is not None else d.next_cseq(),
                "ROUTE": "\r\n".join("Route: " + r for r in d.route_set),
                "CONTACT": self.contact(d.local_uri), "USER_AGENT": USER_AGENT}

    def send_in_dialog(self, d, template, method, values=None, body=b"", callback=None,
                       cseq=None):
        vals = self.dialog_values(d, method, cseq)
        vals.update(values or {})
        data = self.t.message(template, vals, body)
        self.send_request(data, method, vals["BRANCH"], callback, d.remote_uri, d.conn)

    def local_user(self, user):
        if user not in self.users:
            raise StepFailed(f"{user} is not one of this peer's users {sorted(self.users)}")
        return user

    # -- notifier (presentity side) ------------------------------------------------------------

    def on_subscribe(self, req, conn):
        if header_param(req.get("to"), "tag"):
            return self.on_subscribe_in_dialog(req, conn)
        if req.get("event", "").split(";")[0].strip().lower() != "presence":
            return self.respond(req, conn, 489)
        if self.options["subscribe_status"]:
            return self.respond(req, conn, self.options["subscribe_status"])
        require = [r.lower() for r in req.list_values("require")]
        unknown = [r for r in require if r not in ("adhoclist", "categorylist", "eventlist")]
        if unknown:
            return self.respond(req, conn, 420, {"EXTRA": "Unsupported: " + ", ".join(unknown)})
        watcher = uri_aor(addr_uri(req.get("from")))
        if "adhoclist" in require:
            resources = self.batch_resources(req)
            if resources is None:
                return self.respond(req, conn, 400)
            local = uri_aor(addr_uri(req.get("to")))
        else:
            local = uri_aor(req.ruri) if uri_aor(req.ruri) in self.users else \
                uri_aor(addr_uri(req.get("to")))
            if local not in self.users:
                return self.not_found(req, conn)
            resources = [local]
        d = self.dialog_from_request(req, local, conn)
        accept = [a.split(";")[0].strip().lower() for a in req.list_values("accept")]
        sub = InSubscription(watcher, d, resources, "adhoclist" in require, accept,
                             [s.lower() for s in req.list_values("supported")])
        sub.instance = {r: self.instance_state(r, watcher, sub.batch) for r in resources}
        expires = int(req.get("expires", "3600") or 3600)
        sub.expires_at = time.monotonic() + expires
        self.in_subs.append(sub)
        self.index(d, sub)
        if not sub.batch and sub.instance[local] == "terminated":  # unpublished user
            self.respond(req, conn, 200, {"CONTACT": self.contact(local), "EXPIRES": expires},
                         "subscribe_200.sip", b"", d.local_tag)
            return self.end_in_subscription(sub, "noresource")
        self.answer_subscribe(req, conn, sub, expires)
        for r in resources:
            if r in self.users:
                self.events.emit("subscribed", watcher=watcher, presentity=r, batch=sub.batch,
                                 state=sub.instance[r])
        if expires == 0:
            self.end_in_subscription(sub, "timeout")

    def batch_resources(self, req):
        ctype = (req.get("content-type") or "").split(";")[0].strip().lower()
        root = xml_root(req.body) if ctype == "application/msrtc-adrl-categorylist+xml" else None
        if root is None or root.tag != f"{{{NS_BATCH}}}batchSub":
            return None
        return [uri_aor(r.get("uri")) for r in root.iter(f"{{{NS_BATCH}}}resource")]

    def instance_state(self, resource, watcher, batch):
        if resource not in self.users:
            return "terminated"
        if batch and self.batch_answers.get(resource):
            return self.batch_answers[resource]
        if not self.states[resource].published:
            return "terminated"
        return self.policies.get((resource, watcher), "active")

    def subscription_state(self, sub, state=None):
        left = max(0, int(sub.expires_at - time.monotonic()))
        if state is None:
            states = set(sub.instance.values())
            state = "pending" if not sub.batch and states == {"pending"} else "active"
        return f"{state};expires={left}" if state != "terminated" else state

    def answer_subscribe(self, req, conn, sub, expires):
        """200 OK; the first notification piggy-backed in it when offered, else a NOTIFY."""
        d = sub.dialog
        rr = "\r\n".join([x for x in [self.record_route()] if x] +
                         ["Record-Route: " + v for v in req.all("record-route")])
        values = {"RECORD_ROUTE": rr, "CONTACT": self.contact(d.local_uri), "EXPIRES": expires}
        if "ms-piggyback-first-notify" in sub.supported and expires > 0:
            ctype, body = self.notification_body(sub, sub.resources, full=True)
            cseq = d.next_cseq()
            values["PIGGYBACK"] = "\r\n".join([
                "Event: presence", f"Subscription-State: {self.subscription_state(sub)}",
                f"ms-piggyback-cseq: {cseq}",
                "Supported: ms-piggyback-first-notify, ms-benotify"] +
                (["Require: eventlist"] if sub.batch else []))
            values["CONTENT_TYPE"] = ctype
            self.respond(req, conn, 200, values, "subscribe_200.sip", body, d.local_tag)
            return
        self.respond(req, conn, 200, values, "subscribe_200.sip", b"", d.local_tag)
        if expires > 0:
            self.notify(sub, sub.resources, full=True)

    def on_subscribe_in_dialog(self, req, conn):
        sub = self.find_usage(req, InSubscription)
        if sub is None:
            return self.respond(req, conn, 481)
        sub.dialog.remote_cseq = req.cseq()[0]
        expires = int(req.get("expires", "3600") or 3600)
        sub.expires_at = time.monotonic() + expires
        values = {"CONTACT": self.contact(sub.dialog.local_uri), "EXPIRES": expires}
        self.respond(req, conn, 200, values, "subscribe_200.sip")
        if expires == 0:
            for r in sub.resources:
                if r in self.users:
                    self.events.emit("unsubscribed", watcher=sub.watcher, presentity=r)
            self.end_in_subscription(sub, "timeout")
        else:
            self.notify(sub, sub.resources, full=True)

    def end_in_subscription(self, sub, reason):
        """Final NOTIFY (Subscription-State: terminated) and forget the subscription."""
        if sub in self.in_subs:
            self.in_subs.remove(sub)
        self.unindex(sub.dialog)
        try:
            self.notify(sub, [], state=f"terminated;reason={reason}")
        except StepFailed as exc:
            self.events.emit("error", detail=f"final NOTIFY: {exc}")

    def notify(self, sub, resources, full=False, state=None, method="NOTIFY"):
        if resources or sub.batch:
            ctype, body = self.notification_body(sub, resources, full)
        else:
            ctype, body = "", b""
        values = {"SUBSCRIPTION_STATE": state or self.subscription_state(sub),
                  "CONTENT_TYPE": ctype, "EXTRA": "Require: eventlist" if sub.batch else ""}
        if state and state.startswith("terminated") and sub.batch:
            values["CONTENT_TYPE"], body = "", b""
        self.send_in_dialog(sub.dialog, "notify.sip", method, values, body)

    def notification_body(self, sub, resources, full):
        if not sub.batch:
            user = resources[0]
            if sub.instance.get(user) != "active":
                return "", b""
            return self.presence_document(user, sub.body_type(), full)
        return self.rlmi_body(sub, resources, full)

    def presence_document(self, user, ctype, full):
        st = self.states[user]
        when = st.publish_time()
        if ctype == "application/pidf+xml":
            basic = "closed" if st.availability >= 18000 else "open"
            act = "busy" if 6000 <= st.availability < 12000 else (
                "away" if 12000 <= st.availability < 18000 else "")
            body = self.t.fill("pidf.xml", {
                "PRESENTITY": f"sip:{user}", "BASIC": basic,
                "ACTIVITIES": f"<rpid:activities><rpid:{act}/></rpid:activities>" if act else "",
                "NOTE": f"<dm:note>{escape(st.note)}</dm:note>" if st.note else ""})
            return ctype, body.encode()
        cats = [self.t.fill("category_state.xml", {
            "INSTANCE": "0", "PUBLISH_TIME": when, "MANUAL": "true" if st.activity else "false",
            "AVAILABILITY": st.availability,
            "ACTIVITY": f'<activity token="{escape(st.activity)}"/>' if st.activity else ""})]
        note_body = f'<body type="personal" uri="">{escape(st.note)}</body>' if st.note else \
            '<body type="personal" uri=""/>'
        cats.append(self.t.fill("category_note.xml", {"PUBLISH_TIME": when,
                                                      "NOTE_BODY": note_body}))
        if full:
            cats.append(self.t.fill("category_contact_card.xml", {
                "PUBLISH_TIME": when, "DISPLAY_NAME": escape(user.split("@")[0].title()),
                "EMAIL": escape(user)}))
        body = self.t.fill("categories.xml", {"PRESENTITY": f"sip:{user}",
                                              "CATEGORY_LIST": "\n".join(cats)})
        return ctype, body.encode()

    def rlmi_body(self, sub, resources, full):
        """multipart/related: the RLMI list first, then one categories part per active
        resource (RFC 4662 section 5; MS-SIP example 4.3)."""
        boundary = uuid.uuid4().hex
        sub.rlmi_version += 1
        items, parts = [], []
        for r in resources:
            state = sub.instance.get(r, "terminated")
            if state == "active":
                cid = f"{r}"
                items.append(f'<resource uri="sip:{r}"><instance id="0" state="active" '
                             f'cid="{escape(cid)}"/></resource>')
                _, doc = self.presence_document(r, "application/msrtc-event-categories+xml", full)
                parts.append((cid, doc))
            elif state == "terminated":
                items.append(f'<resource uri="sip:{r}"><instance id="0" state="terminated" '
                             f'reason="noresource"/></resource>')
            else:
                items.append(f'<resource uri="sip:{r}"><instance id="0" state="{state}"/>'
                             f'</resource>')
        rlmi = self.t.fill("rlmi.xml", {"LIST_URI": f"sip:{sub.dialog.local_uri}",
                                        "VERSION": sub.rlmi_version - 1,
                                        "FULL_STATE": "true" if full else "false",
                                        "RESOURCES": "\n".join(items)})
        out = [f"--{boundary}\r\nContent-Transfer-Encoding: binary\r\nContent-ID: resourceList\r\n"
               f"Content-Type: application/rlmi+xml\r\n\r\n{rlmi}\r\n".encode()]
        for cid, doc in parts:
            out.append(f"--{boundary}\r\nContent-Transfer-Encoding: binary\r\nContent-ID: {cid}\r\n"
                       f"Content-Type: application/msrtc-event-categories+xml\r\n\r\n".encode()
                       + doc + b"\r\n")
        out.append(f"--{boundary}--\r\n".encode())
        ctype = (f'multipart/related; type="application/rlmi+xml"; start=resourceList; '
                 f'boundary={boundary}')
        return ctype, b"".join(out)

    # -- watcher -------------------------------------------------------------------------------

    def subscribe(self, watcher, target, expires, batch=None, request_uri=None):
        key = (watcher, target)
        old = self.out_subs.get(key)
        if old is not None and not old.terminated:
            raise StepFailed(f"{watcher} already subscribed to {target}")
        d = Dialog(f"{uuid.uuid4().hex}@{self.host}", watcher, target, new_tag())
        d.remote_target = request_uri or f"sip:{target}"
        sub = OutSubscription(watcher, target, d, expires, batch["to"] if batch else [target],
                              batch is not None)
        if batch:
            sub.categories = batch["categories"]
        sub.batch_spec, sub.request_uri = batch, request_uri
        self.out_subs[key] = sub
        self.index(d, sub)
        self.send_subscribe(sub, expires)
        return sub

    def send_subscribe(self, sub, expires):
        d = sub.dialog
        values = {"EXPIRES": expires, "RECORD_ROUTE": "" if d.remote_tag else self.record_route()}
        body = b""
        template = "subscribe.sip"
        if sub.batch:
            template = "subscribe_batch.sip"
            body = self.t.fill("batch_subscribe.xml", {
                "SUBSCRIBER": f"sip:{sub.watcher}", "ACTION_ID": str(abs(hash(d.call_id)) % 10**8),
                "ACTION": "unsubscribe" if expires == 0 else "subscribe",
                "RESOURCES": "\n".join(f'<resource uri="sip:{escape(r)}"/>' for r in sub.resources),
                "CATEGORIES": "\n".join(f'<category name="{escape(c)}"/>'
                                        for c in sub.categories)}).encode()
        self.send_in_dialog(d, template, "SUBSCRIBE", values, body,
                            lambda msg: self.on_subscribe_response(sub, msg, expires))

    def on_subscribe_response(self, sub, msg, expires):
        d = sub.dialog
        if msg is None or msg.status >= 300:
            status = msg.status if msg is not None else 408
            if expires == 0 or d.remote_tag is None:
                self.drop_out_subscription(sub)
                self.events.emit("subscription_failed", watcher=sub.watcher,
                                 presentity=sub.target, status=status)
            elif msg is not None and msg.status == 481:
                self.drop_out_subscription(sub)  # the notifier forgot it (RFC 6665 4.1.2.2)
                self.events.emit("subscription_failed", watcher=sub.watcher,
                                 presentity=sub.target, status=481)
            else:
                sub.refresh_at = time.monotonic() + 5  # retry the refresh later
            return
        if msg.status < 200:
            return
        if d.remote_tag is None:
            self.establish_uac(d, msg)
        if expires == 0:
            self.out_subs.pop((sub.watcher, sub.target), None)
            self.events.emit("unsubscribed", watcher=sub.watcher, presentity=sub.target)
            return
        granted = int(msg.get("expires", str(expires)) or expires)
        sub.expires = granted if granted > 0 else expires
        sub.refresh_at = time.monotonic() + max(1.0, sub.expires * self.args.refresh_ratio)
        piggy = msg.get("ms-piggyback-cseq")
        if piggy is not None:
            if d.remote_cseq is None or int(piggy) > d.remote_cseq:
                d.remote_cseq = int(piggy)  # a NOTIFY may have overtaken this 200
            self.process_notification(sub, msg, "piggyback")

    def drop_out_subscription(self, sub):
        sub.terminated = True
        sub.refresh_at = None
        if self.out_subs.get((sub.watcher, sub.target)) is sub:
            del self.out_subs[(sub.watcher, sub.target)]
        self.unindex(sub.dialog)

    def on_notify(self, req, conn):
        sub = self.find_usage(req, OutSubscription)
        if sub is None:
            if req.method == "NOTIFY":
                self.respond(req, conn, 481)
            return
        d = sub.dialog
        if d.remote_tag is None:  # the NOTIFY overtook the 200 (RFC 6665 4.1.2.4)
            self.establish_uac(d, req)
            d.route_set = self.route_set(req.all("record-route"), reverse=False)
        cseq = req.cseq()[0]
        if d.remote_cseq is not None and cseq <= d.remote_cseq:
            self.events.emit("cseq_out_of_order", method=req.method, cseq=cseq,
                             last=d.remote_cseq)
            if req.method == "NOTIFY":
                self.respond(req, conn, 500)
            return
        d.remote_cseq = cseq
        if req.method == "NOTIFY":
            self.respond(req, conn, 200)
        self.process_notification(sub, req, req.method.lower())

    def process_notification(self, sub, msg, via):
        sstate = msg.get("subscription-state", "active")
        state = sstate.split(";")[0].strip().lower()
        reason = header_param(sstate, "reason")
        ctype = (msg.get("content-type") or "").split(";")[0].strip().lower()
        if ctype == "multipart/related":
            self.process_rlmi(sub, msg, state, via)
        elif msg.body:
            doc = parse_presence_doc(ctype, msg.body)
            if doc is None:
                self.events.emit("error", detail=f"unreadable {ctype or 'untyped'} body in {via}")
            else:
                self.merge_presence(sub.watcher, doc, state, via)
        elif state != "terminated" or not sub.batch:
            for r in sub.resources:
                self.emit_presence(sub.watcher, r, state, via, reason)
        if state == "terminated":
            if sub.batch:
                for r in sub.resources:
                    self.emit_presence(sub.watcher, r, "terminated", via, reason)
            self.drop_out_subscription(sub)
            self.schedule_retry(sub, reason, header_param(sstate, "retry-after"))

    def schedule_retry(self, sub, reason, retry_after):
        """--auto-resubscribe: a new subscription after deactivated/timeout at once and after
        probation when Retry-After says (RFC 6665 4.1.3); never after our own un-SUBSCRIBE."""
        if not self.args.auto_resubscribe or sub.unsubscribing:
            return
        if reason in ("deactivated", "timeout"):
            delay = 0.2
        elif reason == "probation":
            delay = float(retry_after or 5)
        else:
            return
        self.events.emit("resubscribing", watcher=sub.watcher, presentity=sub.target,
                         reason=reason, delay=delay)
        self.retries.append((time.monotonic() + delay, sub.watcher, sub.target, sub.expires,
                             sub.batch_spec, sub.request_uri))

    def process_rlmi(self, sub, msg, state, via):
        parts = parse_multipart(msg)
        by_cid = {cid: (ctype, body) for ctype, cid, body in parts}
        rlmi = next((body for ctype, _, body in parts if ctype == "application/rlmi+xml"), None)
        root = xml_root(rlmi) if rlmi is not None else None
        if root is None:
            self.events.emit("error", detail=f"multipart {via} without a readable RLMI part")
            return
        for res in root.findall(f"{{{NS_RLMI}}}resource"):
            uri = uri_aor(res.get("uri"))
            inst = res.find(f"{{{NS_RLMI}}}instance")
            istate = inst.get("state", state) if inst is not None else state
            cid = inst.get("cid") if inst is not None else None
            if istate == "resubscribe":
                self.events.emit("resubscribe", watcher=sub.watcher, presentity=uri)
                self.resubscribe(sub.watcher, uri)
            elif cid and cid in by_cid:
                doc = parse_presence_doc(*by_cid[cid])
                if doc is not None:
                    doc["presentity"] = doc["presentity"] or uri
                    self.merge_presence(sub.watcher, doc, istate, via)
            else:
                self.emit_presence(sub.watcher, uri, istate, via,
                                   inst.get("reason") if inst is not None else None)

    def resubscribe(self, watcher, presentity):
        """Answer to the resubscribe instance state: a single SUBSCRIBE for that contact."""
        old = self.out_subs.get((watcher, presentity))
        if old is not None and not old.terminated:
            return
        self.subscribe(watcher, presentity, self.args.expires)

    def merge_presence(self, watcher, doc, state, via):
        """Apply categories newer than what we hold (MS-PRES publishTime order) and emit."""
        cache = self.presence_cache.setdefault((watcher, doc["presentity"]), {"times": {}})
        applied = stale = 0
        for name, (when, fields) in doc["categories"].items():
            last = cache["times"].get(name)
            if when is not None and last is not None and when < last:
                stale += 1
                continue
            if when is not None:
                cache["times"][name] = when
            cache.update(fields)
            applied += 1
        if stale and not applied:
            self.events.emit("stale_presence", watcher=watcher, presentity=doc["presentity"],
                             via=via)
            return
        self.emit_presence(watcher, doc["presentity"], state, via)

    def emit_presence(self, watcher, presentity, state, via, reason=None):
        cache = self.presence_cache.get((watcher, presentity), {})
        extra = {k: cache[k] for k in ("basic", "legacy_availability") if k in cache}
        if reason:
            extra["reason"] = reason
        self.events.emit("presence", watcher=watcher, presentity=presentity,
                         availability=cache.get("availability"), activity=cache.get("activity"),
                         note=cache.get("note"), state=state, via=via, **extra)

    # -- IM (session mode) ---------------------------------------------------------------------

    def im(self, local, remote, text, ctype, in_invite=True, recover=False):
        s = self.sessions.get((local, remote))
        if s is not None and s.established:
            self.send_message(s, text, ctype, recover)
        elif s is not None:
            s.queue.append((text, ctype, recover))
        else:
            self.open_session(local, remote, text, ctype, in_invite, recover)

    def open_session(self, local, remote, text, ctype, in_invite, recover):
        d = Dialog(f"{uuid.uuid4().hex}@{self.host}", local, remote, new_tag())
        d.remote_target = f"sip:{remote}"
        s = ImSession(local, remote, d, "uac")
        self.sessions[(local, remote)] = s
        self.index(d, s)
        text_format = ""
        if text is not None and in_invite:
            s.first = (text, ctype, recover)
            b64 = base64.b64encode(text.encode()).decode()
            text_format = (f"ms-text-format: {ctype.split(';')[0].strip()}; charset=UTF-8;"
                           f"ms-body={b64}")
        elif text is not None:
            s.queue.append((text, ctype, recover))
        sdp = self.t.fill("im_sdp.txt", {"HOST": self.args.addr, "PORT": self.port})
        values = {"RECORD_ROUTE": self.record_route(), "CONVERSATION_ID": s.conversation_id,
                  "TEXT_FORMAT": text_format}
        self.send_in_dialog(d, "invite_im.sip", "INVITE", values,
                            sdp.replace("\n", "\r\n") + "\r\n",
                            lambda msg: self.on_invite_response(s, msg))

    def end_session(self, s):
        if self.sessions.get((s.local, s.remote)) is s:
            del self.sessions[(s.local, s.remote)]
        self.unindex(s.dialog)

    def on_invite_response(self, s, msg):
        if msg is not None and msg.status < 200:
            return
        if msg is None or msg.status >= 300:
            self.end_session(s)
            status = msg.status if msg is not None else 408
            for text, _, _ in ([s.first] if s.first else []) + s.queue:
                self.events.emit("im_failed", **{"from": s.local, "to": s.remote,
                                                 "status": status, "text": text})
            return
        d = s.dialog
        self.establish_uac(d, msg)
        self.send_in_dialog(d, "ack.sip", "ACK", cseq=msg.cseq()[0])
        s.established = True
        s.last_activity = time.monotonic()
        if s.first is not None:
            text, ctype, recover = s.first
            supported = [x.lower() for x in msg.list_values("supported")]
            if "ms-text-format" in supported:
                self.events.emit("delivered", via="invite", text=text,
                                 **{"from": s.local, "to": s.remote})
            else:  # the callee did not take the first message: resend it in the dialog
                self.events.emit("resent", text=text, **{"from": s.local, "to": s.remote})
                self.send_message(s, text, ctype, recover)
        queued, s.queue = s.queue, []
        for text, ctype, recover in queued:
            self.send_message(s, text, ctype, recover)

    def send_message(self, s, text, ctype, recover):
        s.last_activity = time.monotonic()
        values = {"CONTENT_TYPE": ctype}
        self.send_in_dialog(s.dialog, "message.sip", "MESSAGE", values, text.encode(),
                            lambda msg: self.on_message_response(s, text, ctype, recover, msg))

    def on_message_response(self, s, text, ctype, recover, msg):
        status = msg.status if msg is not None else 408
        if 200 <= status < 300:
            self.events.emit("delivered", via="message", text=text,
                             **{"from": s.local, "to": s.remote})
            return
        if status < 200:
            return
        if status in DEAD_DIALOG:  # pidgin-sipe: assume the remote BYE never reached us
            self.events.emit("dialog_dead", status=status, **{"from": s.local, "to": s.remote})
            if self.sessions.get((s.local, s.remote)) is s:
                self.end_session(s)
                self.send_in_dialog(s.dialog, "bye.sip", "BYE")
            if recover:
                self.im(s.local, s.remote, text, ctype, True, False)
                return
        self.events.emit("im_failed", status=status, text=text,
                         **{"from": s.local, "to": s.remote})

    def typing(self, s, kind, state):
        s.last_activity = time.monotonic()
        if kind == "info":
            body = self.t.fill("keyboard_activity.xml",
                               {"STATUS": "type" if state == "active" else "idle"})
            self.send_in_dialog(s.dialog, "info_typing.sip", "INFO", {}, body.encode())
        else:
            body = self.t.fill("iscomposing.xml", {"STATE": state})
            self.send_in_dialog(s.dialog, "message.sip", "MESSAGE",
                                {"CONTENT_TYPE": "application/im-iscomposing+xml"}, body.encode())

    def on_invite(self, req, conn):
        if header_param(req.get("to"), "tag"):  # re-INVITE: keep the session, answer 200
            s = self.find_usage(req, ImSession)
            if s is None:
                return self.respond(req, conn, 481)
            return self.answer_invite(req, conn, s, accept_first=False)
        local = uri_aor(addr_uri(req.get("to")))
        if local not in self.users:
            return self.not_found(req, conn)
        if self.options["invite_status"]:
            return self.respond(req, conn, self.options["invite_status"])
        d = self.dialog_from_request(req, local, conn)
        s = ImSession(local, d.remote_uri, d, "uas")
        old = self.sessions.get((local, d.remote_uri))
        if old is not None:
            self.end_session(old)
        self.sessions[(local, d.remote_uri)] = s
        self.index(d, s)
        s.established = True
        tf = req.get("ms-text-format")
        self.answer_invite(req, conn, s, accept_first=bool(tf) and
                           self.options["accept_text_format"])
        if tf and self.options["accept_text_format"]:
            ctype, text = decode_text_format(tf)
            self.events.emit("message", mode="invite", text=text, content_type=ctype,
                             conversation_id=req.get("ms-conversation-id"),
                             **{"from": d.remote_uri, "to": local})

    def answer_invite(self, req, conn, s, accept_first):
        rr = "\r\n".join([x for x in [self.record_route()] if x] +
                         ["Record-Route: " + v for v in req.all("record-route")])
        sdp = self.t.fill("im_sdp.txt", {"HOST": self.args.addr, "PORT": self.port})
        values = {"RECORD_ROUTE": rr, "CONTACT": self.contact(s.local),
                  "SUPPORTED": "Supported: ms-text-format" if accept_first else ""}
        self.respond(req, conn, 200, values, "invite_200.sip",
                     sdp.replace("\n", "\r\n") + "\r\n", s.dialog.local_tag)

    def on_ack(self, req, conn):
        self.events.emit("ack", call_id=req.get("call-id"))

    def on_message(self, req, conn):
        ctype = (req.get("content-type") or "text/plain").strip()
        frm = uri_aor(addr_uri(req.get("from")))
        if not header_param(req.get("to"), "tag"):  # page mode (RFC 3428)
            local = uri_aor(addr_uri(req.get("to")))
            if local not in self.users:
                return self.not_found(req, conn)
            self.respond(req, conn, 200, to_tag=new_tag())
            return self.deliver_incoming(frm, local, ctype, req.body, "page")
        s = self.find_usage(req, ImSession)
        if s is None:
            return self.respond(req, conn, 481)
        if self.pending_fail is not None:
            status, extra = self.pending_fail
            self.pending_fail = None
            self.end_session(s)
            self.events.emit("failed_message", status=status, text=req.text(),
                             **{"from": frm, "to": s.local})
            return self.respond(req, conn, status, {"EXTRA": extra})
        s.dialog.remote_cseq = req.cseq()[0]
        s.last_activity = time.monotonic()
        self.respond(req, conn, 200)
        self.deliver_incoming(frm, s.local, ctype, req.body, "session")

    def deliver_incoming(self, frm, local, ctype, body, mode):
        if ctype.split(";")[0].strip().lower() == "application/im-iscomposing+xml":
            root = xml_root(body)
            state = root.findtext(f"{{{NS_ISCOMP}}}state", "") if root is not None else ""
            self.events.emit("typing", kind="iscomposing", state=state.strip(), mode=mode,
                             **{"from": frm, "to": local})
            return
        self.events.emit("message", mode=mode, text=body.decode("utf-8", "replace"),
                         content_type=ctype, **{"from": frm, "to": local})

    def on_info(self, req, conn):
        s = self.find_usage(req, ImSession)
        if s is None:
            return self.respond(req, conn, 481)
        s.last_activity = time.monotonic()
        self.respond(req, conn, 200)
        root = xml_root(req.body)
        status = root.find("status") if root is not None else None
        if root is not None and root.tag == "KeyboardActivity" and status is not None:
            self.events.emit("typing", kind="info", mode="session",
                             state="active" if status.get("status") == "type" else "idle",
                             **{"from": s.remote, "to": s.local})

    def on_bye(self, req, conn):
        s = self.find_usage(req, ImSession)
        if s is None:
            return self.respond(req, conn, 481)
        self.end_session(s)
        self.respond(req, conn, 200)
        self.events.emit("bye", **{"from": s.remote, "to": s.local})

    def on_options(self, req, conn):
        extra = "\r\n".join(["Allow: INVITE, ACK, BYE, CANCEL, MESSAGE, INFO, SUBSCRIBE, NOTIFY, "
                             "BENOTIFY, OPTIONS",
                             "Supported: ms-benotify, ms-piggyback-first-notify, ms-text-format, "
                             "adhoclist, categoryList, eventlist",
                             "Accept: application/sdp, application/msrtc-event-categories+xml, "
                             "application/pidf+xml, multipart/related",
                             f"Contact: {self.contact(next(iter(sorted(self.users)), 'edge'))}"])
        self.respond(req, conn, 200, {"EXTRA": extra}, to_tag=new_tag())

    def on_cancel(self, req, conn):
        self.respond(req, conn, 481)  # INVITEs are answered at once: nothing left to cancel

    # -- commands --------------------------------------------------------------------------------

    def session_for(self, c):
        s = self.sessions.get((self.local_user(c["from"]), c["to"]))
        if s is None or not s.established:
            raise StepFailed(f"no established IM session {c['from']} -> {c['to']}")
        return s

    def cmd_subscribe(self, c):
        expires = int(c.get("expires", self.args.expires))
        self.subscribe(self.local_user(c["from"]), c["to"], expires)

    def cmd_batch_subscribe(self, c):
        watcher = self.local_user(c["from"])
        ruri = c.get("request_uri") or f"sip:{watcher}"
        batch = {"to": list(c["to"]),
                 "categories": c.get("categories", ["calendarData", "contactCard", "note",
                                                    "state"])}
        self.subscribe(watcher, uri_aor(ruri), int(c.get("expires", self.args.expires)), batch,
                       ruri)

    def out_subscription(self, c):
        sub = self.out_subs.get((self.local_user(c["from"]), c["to"]))
        if sub is None or sub.terminated:
            raise StepFailed(f"no subscription {c['from']} -> {c['to']}")
        return sub

    def cmd_refresh(self, c):
        sub = self.out_subscription(c)
        self.send_subscribe(sub, int(c.get("expires", sub.expires)))

    def cmd_unsubscribe(self, c):
        sub = self.out_subscription(c)
        sub.refresh_at = None
        sub.unsubscribing = True
        self.send_subscribe(sub, 0)

    def cmd_set_state(self, c):
        user = self.local_user(c["user"])
        st = self.states[user]
        st.availability = int(c.get("availability", st.availability))
        st.activity = c.get("activity", st.activity) or ""
        st.note = c.get("note", st.note) or ""
        st.published = True
        for sub in list(self.in_subs):
            if user in sub.resources and sub.instance.get(user) in ("active", "terminated"):
                sub.instance[user] = self.instance_state(user, sub.watcher, sub.batch)
                if sub.instance[user] != "active":
                    continue
                best_effort = c.get("benotify") and "ms-benotify" in sub.supported
                self.notify(sub, [user], method="BENOTIFY" if best_effort else "NOTIFY")

    def cmd_unpublish(self, c):
        user = self.local_user(c["user"])
        self.states[user].published = False
        for sub in list(self.in_subs):
            if user not in sub.resources:
                continue
            if sub.batch:
                sub.instance[user] = "terminated"
                self.notify(sub, [user])
            else:
                self.end_in_subscription(sub, "noresource")

    def cmd_terminate(self, c):
        """End the watcher's subscriptions to the user with a terminated NOTIFY (reason
        deactivated unless given; retry_after for probation)."""
        user = self.local_user(c["user"])
        reason = c.get("reason", "deactivated")
        if c.get("retry_after") is not None:
            reason += f";retry-after={int(c['retry_after'])}"
        ended = [sub for sub in self.in_subs if sub.watcher == c["watcher"] and
                 user in sub.resources]
        if not ended:
            raise StepFailed(f"{c['watcher']} has no subscription to {user}")
        for sub in ended:
            self.end_in_subscription(sub, reason)

    def cmd_batch_answer(self, c):
        """Instance state for the user in batched subscriptions: new ones get it in their
        first RLMI document, existing ones at once in an RLMI NOTIFY."""
        user = self.local_user(c["user"])
        self.batch_answers[user] = c.get("state")
        for sub in list(self.in_subs):
            if sub.batch and user in sub.resources:
                sub.instance[user] = self.instance_state(user, sub.watcher, True)
                self.notify(sub, [user])

    def cmd_policy(self, c):
        self.policies[(self.local_user(c["user"]), c["watcher"])] = c.get("state", "active")

    def cmd_approve(self, c):
        user = self.local_user(c["user"])
        self.policies[(user, c["watcher"])] = "active"
        for sub in list(self.in_subs):
            if sub.watcher == c["watcher"] and sub.instance.get(user) == "pending":
                sub.instance[user] = "active"
                self.notify(sub, [user], full=True)

    def cmd_im(self, c):
        self.im(self.local_user(c["from"]), c["to"], c["text"],
                c.get("content_type", "text/plain; charset=UTF-8"), c.get("in_invite", True),
                c.get("recover", False))

    def cmd_page(self, c):
        local = self.local_user(c["from"])
        d = Dialog(f"{uuid.uuid4().hex}@{self.host}", local, c["to"], new_tag())
        d.remote_target = f"sip:{c['to']}"
        self.send_in_dialog(d, "message.sip", "MESSAGE",
                            {"CONTENT_TYPE": c.get("content_type", "text/plain; charset=UTF-8"),
                             "CONTACT_HEADER": f"Contact: {self.contact(local)}"},
                            c["text"].encode())

    def cmd_typing(self, c):
        self.typing(self.session_for(c), c.get("kind", "info"), c.get("state", "active"))

    def cmd_bye(self, c):
        s = self.session_for(c)
        self.end_session(s)
        self.send_in_dialog(s.dialog, "bye.sip", "BYE")

    def cmd_break_session(self, c):
        """The far side loses the session (a node restart): our dialog keeps going with a
        To tag it never issued, so its next request there gets 481."""
        self.session_for(c).dialog.remote_tag = new_tag()

    def cmd_options(self, c):
        local = self.local_user(c["from"])
        d = Dialog(f"{uuid.uuid4().hex}@{self.host}", local, c["to"], new_tag())
        d.remote_target = f"sip:{c['to']}"
        self.send_in_dialog(d, "options.sip", "OPTIONS")

    def cmd_keepalive(self, c):
        conn = self.out_conn()
        conn.awaiting_pong = True
        conn.send(b"\r\n\r\n")

    def cmd_fail_next_message(self, c):
        extra = []
        if c.get("warning"):
            extra.append(f"Warning: {c['warning']}")
        if c.get("ms_diagnostics"):
            extra.append(f"ms-diagnostics: {c['ms_diagnostics']}")
        self.pending_fail = (int(c.get("status", 481)), "\r\n".join(extra))

    def cmd_set_option(self, c):
        for key in self.options:
            if key in c:
                self.options[key] = c[key]

    def shutdown(self):
        """Terminated NOTIFYs to every watcher (reason=deactivated), then close."""
        with self.lock:
            for sub in list(self.in_subs):
                self.end_in_subscription(sub, "deactivated")
        time.sleep(0.3)
        with self.lock:
            for conn in list(self.conns):
                conn.close()


# ----------------------------------------------------------------------------- control

class Controller:
    """Runs commands (stdin lines or a script) against the peer; expect/sleep outside the lock."""

    def __init__(self, peer, events, deadline):
        self.peer, self.events, self.deadline = peer, events, deadline

    def bounded(self, seconds):
        return max(0.0, min(float(seconds), self.deadline - time.monotonic()))

    def run(self, c):
        """Run one command; raises StepFailed when it fails."""
        if not isinstance(c, dict) or "cmd" not in c:
            raise StepFailed(f"not a command: {c!r}")
        cmd = c["cmd"]
        if cmd == "expect":
            return self.expect(c)
        if cmd == "no_event":
            return self.no_event(c)
        if cmd == "sleep":
            self.peer.stop.wait(self.bounded(c.get("seconds", 1)))
            return None
        if cmd == "quit":
            self.peer.stop.set()
            return None
        handler = getattr(self.peer, "cmd_" + cmd, None)
        if handler is None:
            raise StepFailed(f"unknown command {cmd}")
        with self.peer.lock:
            try:
                handler(c)
            except KeyError as exc:
                raise StepFailed(f"{cmd}: missing field {exc}") from exc
        self.events.emit("cmd_ok", cmd=cmd, **self.tag(c))
        return None

    @staticmethod
    def tag(c):
        """The command's "id", echoed in its verdict event so a driver can wait for it."""
        return {"id": c["id"]} if isinstance(c, dict) and "id" in c else {}

    @staticmethod
    def criteria(c):
        match = dict(c.get("match", {}))
        match.update({k: v for k, v in c.items()
                      if k not in ("cmd", "ev", "match", "timeout", "seconds", "id")})
        return match

    def expect(self, c):
        match = self.criteria(c)
        timeout = self.bounded(c.get("timeout", 10))
        found = self.events.wait(c["ev"], match, timeout, stop=self.peer.stop)
        if found is None:
            self.events.emit("expect_failed", want=c["ev"], match=match, timeout=timeout,
                             **self.tag(c))
            raise StepFailed(f"expected {c['ev']} {match} within {timeout}s")
        self.events.emit("expect_ok", want=c["ev"], match=match, got=found, **self.tag(c))

    def no_event(self, c):
        match = self.criteria(c)
        seconds = self.bounded(c.get("seconds", 2))
        found = self.events.wait(c["ev"], match, seconds, consume=False, stop=self.peer.stop)
        if found is not None:
            self.events.emit("expect_failed", unwanted=c["ev"], match=match, got=found,
                             **self.tag(c))
            raise StepFailed(f"unexpected {c['ev']} {match}")
        self.events.emit("expect_ok", absent=c["ev"], match=match, **self.tag(c))


def load_script(path, variables):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"\$\{(\w+)\}", lambda m: variables.get(m.group(1), m.group(0)), text)
    stripped = text.lstrip()
    if stripped.startswith("["):
        return json.loads(text)
    return [json.loads(line) for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def tls_contexts(args):
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    client = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    client.check_hostname = bool(args.gateway_name)
    for ctx in (server, client):
        ctx.load_cert_chain(args.cert + ".crt", args.cert + ".key")
        ctx.load_verify_locations(args.cafile)
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        if not args.tls13:
            ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    return server, client


def accept_loop(peer, server_ctx, srv):
    while not peer.stop.is_set():
        try:
            raw, addr = srv.accept()
        except socket.timeout:
            continue
        except OSError:
            break
        threading.Thread(target=handshake, args=(peer, server_ctx, raw, addr), daemon=True).start()


def handshake(peer, server_ctx, raw, addr):
    label = f"{addr[0]}:{addr[1]}"
    try:
        raw.settimeout(10)
        sock = server_ctx.wrap_socket(raw, server_side=True)
        sock.settimeout(None)
    except (ssl.SSLError, OSError) as exc:
        peer.events.emit("tls_refused", peer=label, detail=str(exc))
        raw.close()
        return
    peer.add_connection(Connection(peer, sock, "in", label))


def timer_loop(peer):
    while not peer.stop.wait(0.25):
        peer.tick()


def stdin_loop(ctl, events):
    for line in sys.stdin:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            command = json.loads(line)
        except json.JSONDecodeError as exc:
            events.emit("error", detail=f"bad JSON: {exc}", line=line)
            continue
        try:
            ctl.run(command)
        except StepFailed as exc:
            events.emit("error", detail=str(exc), line=line, **Controller.tag(command))
        if ctl.peer.stop.is_set():
            return


def parse_args():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--addr", required=True, help="listen address (the peer's federation edge)")
    p.add_argument("--port", type=int, default=5061)
    p.add_argument("--cert", required=True, help="certificate prefix (PREFIX.crt, PREFIX.key)")
    p.add_argument("--cafile", required=True, help="CA bundle for peer verification")
    p.add_argument("--gateway", help="HOST:PORT dialed for this peer's own requests")
    p.add_argument("--gateway-name", help="verify the gateway certificate for this name")
    p.add_argument("--fqdn", help="edge FQDN for Via/Contact/Record-Route (default --addr)")
    p.add_argument("--user", action="append", required=True, help="served user (user@domain)")
    p.add_argument("--script", help="run these commands and exit 0/1")
    p.add_argument("--var", action="append", default=[], help="NAME=VALUE for ${NAME} in scripts")
    p.add_argument("--transcripts", default=os.path.join(os.path.dirname(
        os.path.abspath(__file__)), "ms_transcripts"), help="message template directory")
    p.add_argument("--lifetime", type=float, default=300, help="hard cap on the run (seconds)")
    p.add_argument("--linger", type=float, default=0, help="keep serving after a script (s)")
    p.add_argument("--expires", type=int, default=3600, help="default SUBSCRIBE Expires")
    p.add_argument("--refresh-ratio", type=float, default=0.8, help="refresh at ratio*expires")
    p.add_argument("--txn-timeout", type=float, default=32, help="Timer F (s)")
    p.add_argument("--tls13", action="store_true", help="allow TLS 1.3 (default 1.2 only)")
    p.add_argument("--no-record-route", dest="record_route", action="store_false")
    p.add_argument("--reuse-inbound", action="store_true",
                   help="send in-dialog requests on the dialog's inbound connection")
    p.add_argument("--auto-resubscribe", action="store_true",
                   help="subscribe again after terminated;reason=deactivated|timeout|probation")
    p.add_argument("--im-idle", type=float, default=0,
                   help="BYE an IM dialog idle this long (s; Lync uses 600; 0: never)")
    p.add_argument("--gruu", action="store_true", help="GRUU Contact (sip:AOR;opaque=...;gruu)")
    p.add_argument("--trace", action="store_true", help="emit every message sent and received")
    return p.parse_args()


def main():
    args = parse_args()
    events = Events()
    try:
        server_ctx, client_ctx = tls_contexts(args)
        script = load_script(args.script, dict(v.split("=", 1) for v in args.var)) \
            if args.script else None
        srv = socket.create_server((args.addr, args.port))
    except (OSError, ssl.SSLError, ValueError) as exc:
        events.emit("error", detail=f"setup: {exc}")
        return 2
    srv.settimeout(0.5)
    args.port = srv.getsockname()[1]
    peer = Peer(args, events, Transcripts(args.transcripts))
    peer.client_ctx = client_ctx
    deadline = time.monotonic() + args.lifetime
    ctl = Controller(peer, events, deadline)
    signal.signal(signal.SIGTERM, lambda *_: peer.stop.set())
    threading.Thread(target=accept_loop, args=(peer, server_ctx, srv), daemon=True).start()
    threading.Thread(target=timer_loop, args=(peer,), daemon=True).start()
    events.emit("listening", addr=args.addr, port=args.port, users=sorted(peer.users))
    rc = 0
    if script is not None:
        rc = run_script(ctl, script, deadline)
        peer.stop.wait(max(0.0, min(args.linger, deadline - time.monotonic())))
    else:
        threading.Thread(target=stdin_loop, args=(ctl, events), daemon=True).start()
        peer.stop.wait(args.lifetime)
    if time.monotonic() >= deadline and script is not None and rc == 0:
        rc = 1
    peer.stop.set()
    peer.shutdown()
    srv.close()
    events.emit("exit", rc=rc)
    return rc


def run_script(ctl, script, deadline):
    for n, step in enumerate(script, 1):
        if ctl.peer.stop.is_set() or time.monotonic() >= deadline:
            ctl.events.emit("error", detail=f"script stopped before step {n} (lifetime/SIGTERM)")
            return 1
        try:
            ctl.run(step)
        except StepFailed as exc:
            ctl.events.emit("script_failed", step=n, command=step, detail=str(exc))
            return 1
    ctl.events.emit("script_ok", steps=len(script))
    return 0


if __name__ == "__main__":
    sys.exit(main())
