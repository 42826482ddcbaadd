#!/usr/bin/python3
"""Scriptable XMPP client for the fedgate interop harness (owned by the interop harness).

Logs in as one user (RFC 6120 c2s, STARTTLS verified against a test CA), runs a list of
steps, prints one JSON line per thing it saw or did, and exits 0 when every step passed,
1 when a step failed or timed out, 2 when it could not log in. Presence and subscriptions
follow RFC 6121 sections 3 and 4. Run with /usr/bin/python3 (Debian's python3-slixmpp).

Steps (one positional argument each, words separated by spaces):
  presence [show=S] [status=T] [priority=N]   send own presence (show: chat|away|xa|dnd)
  unavailable [status=T]                      send unavailable presence
  subscribe JID                               ask JID for a presence subscription
  approve JID                                 send <presence type='subscribed'/> to JID
  deny JID                                    send <presence type='unsubscribed'/> to JID
  wait-subscribe JID                          wait for a subscription request from JID
  wait-subscribed JID                         wait until JID approved our request
  wait-presence JID [show=S] [status=T] [type=available|unavailable]
  send JID BODY...                            send a chat message
  wait-message JID BODY...                    wait for a chat message with exactly BODY
  wait-error JID [condition=C] [text=T]       wait for an error stanza from JID (T: substring
                                              of the error text)
  no-message JID SECONDS                      pass if no message from JID arrives meanwhile
  no-presence JID SECONDS                     pass if no available presence from JID arrives
  forget JID                                  drop every stanza from JID seen so far
  sleep SECONDS
In values, '+' stands for a space. Every wait is bounded by --timeout seconds; the whole run by --deadline seconds.

With --interactive, after the positional steps it reads more steps from stdin, one per line,
until the line "quit" or end of input; every "step" event then carries "n", the 1-based number
of the step in the whole run, so a driver can wait for its own step's verdict. A failed step
does not end an interactive run (the driver decides).
"""
import argparse
import asyncio
import json
import logging
import ssl
import sys
import threading
import time

import slixmpp


def emit(kind, **fields):
    fields = {"t": round(time.time(), 3), "event": kind, **fields}
    print(json.dumps(fields), flush=True)


def parse_kv(words):
    """Split 'key=value' words; a word without '=' is an error."""
    out = {}
    for w in words:
        if "=" not in w:
            raise ValueError(f"expected key=value, got {w!r}")
        k, v = w.split("=", 1)
        out[k] = v.replace("+", " ")
    return out


class Client(slixmpp.ClientXMPP):
    def __init__(self, args):
        super().__init__(args.jid, args.password)
        self.args = args
        self.seen = []            # (kind, dict) of every inbound stanza, in order
        self.changed = asyncio.Event()
        self.result = None
        self.step_count = 0
        # None: leave requests pending for approve/deny (False would auto-deny them).
        self.roster.auto_authorize = True if args.auto_accept else None
        self.roster.auto_subscribe = False
        if args.cafile:
            self.ca_certs = args.cafile
        if args.no_verify:
            self.ssl_context.check_hostname = False
            self.ssl_context.verify_mode = ssl.CERT_NONE
        self.add_event_handler("session_start", self.on_start)
        self.add_event_handler("failed_auth", self.on_failed)
        self.add_event_handler("connection_failed", self.on_failed)
        self.add_event_handler("message", self.on_message)
        self.add_event_handler("message_error", self.on_message)  # not sent as "message"
        self.add_event_handler("presence", self.on_presence)

    def record(self, kind, **fields):
        emit(kind, **fields)
        self.seen.append((kind, fields))
        self.changed.set()

    def on_message(self, msg):
        fields = {"from": str(msg["from"]), "type": msg["type"], "body": msg["body"]}
        if msg["type"] == "error":
            fields["condition"] = msg["error"]["condition"]
            fields["text"] = msg["error"]["text"]
        self.record("message", **fields)

    def on_presence(self, pres):
        ptype = pres["type"]
        if ptype in ("", "available", "chat", "away", "xa", "dnd"):
            ptype = "available"  # slixmpp reports the show value as the type
        fields = {"from": str(pres["from"]), "type": ptype,
                  "show": pres["show"], "status": pres["status"]}
        if pres["type"] == "error":
            fields["condition"] = pres["error"]["condition"]
        self.record("presence", **fields)

    def on_failed(self, event):
        emit("login-failed", detail=str(event))
        self.result = 2
        self.disconnect(wait=0.1)

    async def on_start(self, _event):
        emit("logged-in", jid=str(self.boundjid))
        try:
            await self.roster_received()
            ok = await asyncio.wait_for(self.run_steps(), self.args.deadline)
        except asyncio.TimeoutError:
            emit("deadline", seconds=self.args.deadline)
            ok = False
        except Exception as exc:  # report, never hang
            emit("exception", detail=repr(exc))
            ok = False
        self.result = 0 if ok else 1
        emit("done", ok=ok)
        self.disconnect(wait=2.0)

    async def roster_received(self):
        try:
            await self.get_roster(timeout=self.args.timeout)
        except Exception as exc:
            emit("roster-failed", detail=repr(exc))

    async def run_steps(self):
        for step in self.args.steps:
            words = step.split()
            ok = await self.run_step(words[0], words[1:])
            self.step_count += 1
            emit("step", step=step, ok=ok, **self.step_number())
            if not ok:
                return False
        if self.args.interactive:
            return await self.run_stdin_steps()
        return True

    def step_number(self):
        return {"n": self.step_count} if self.args.interactive else {}

    async def run_stdin_steps(self):
        """Steps from stdin, one per line, until 'quit' or EOF (a daemon thread reads)."""
        lines = asyncio.Queue()
        loop = asyncio.get_running_loop()

        def reader():
            for line in sys.stdin:
                loop.call_soon_threadsafe(lines.put_nowait, line.strip())
            loop.call_soon_threadsafe(lines.put_nowait, None)

        threading.Thread(target=reader, daemon=True).start()
        all_ok = True
        while True:
            step = await lines.get()
            if step is None or step == "quit":
                return all_ok
            if not step:
                continue
            words = step.split()
            try:
                ok = await self.run_step(words[0], words[1:])
            except (ValueError, IndexError) as exc:
                emit("bad-step", step=step, detail=repr(exc))
                ok = False
            self.step_count += 1
            emit("step", step=step, ok=ok, n=self.step_count)
            all_ok = all_ok and ok

    async def wait_for(self, match, seconds):
        """Wait until an inbound stanza satisfies match(kind, fields); consume it."""
        deadline = time.monotonic() + seconds
        while True:
            for i, (kind, fields) in enumerate(self.seen):
                if match(kind, fields):
                    del self.seen[i]
                    return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), left)
            except asyncio.TimeoutError:
                return False

    async def run_step(self, op, rest):
        t = self.args.timeout
        if op == "presence":
            kv = parse_kv(rest)
            self.send_presence(pshow=kv.get("show"), pstatus=kv.get("status"),
                               ppriority=kv.get("priority"))
            return True
        if op == "unavailable":
            kv = parse_kv(rest)
            self.send_presence(ptype="unavailable", pstatus=kv.get("status"))
            return True
        if op in ("subscribe", "approve", "deny"):
            ptype = {"subscribe": "subscribe", "approve": "subscribed", "deny": "unsubscribed"}[op]
            self.send_presence(pto=rest[0], ptype=ptype)
            return True
        if op == "wait-subscribe":
            return await self.wait_for(presence_match(rest[0], {"type": "subscribe"}), t)
        if op == "wait-subscribed":
            return await self.wait_for(presence_match(rest[0], {"type": "subscribed"}), t)
        if op == "wait-presence":
            kv = parse_kv(rest[1:])
            kv.setdefault("type", "available")
            return await self.wait_for(presence_match(rest[0], kv), t)
        if op == "send":
            self.send_message(mto=rest[0], mbody=" ".join(rest[1:]), mtype="chat")
            return True
        if op == "wait-message":
            return await self.wait_for(message_match(rest[0], " ".join(rest[1:])), t)
        if op == "wait-error":
            return await self.wait_for(error_match(rest[0], parse_kv(rest[1:])), t)
        if op == "no-message":
            got = await self.wait_for(message_match(rest[0], None), float(rest[1]))
            return not got
        if op == "no-presence":
            got = await self.wait_for(presence_match(rest[0], {"type": "available"}),
                                      float(rest[1]))
            return not got
        if op == "forget":
            self.seen = [(k, f) for (k, f) in self.seen if bare(f.get("from", "")) != bare(rest[0])]
            return True
        if op == "sleep":
            await asyncio.sleep(float(rest[0]))
            return True
        emit("unknown-step", op=op)
        return False


def bare(jid):
    return jid.split("/", 1)[0].lower()


def presence_match(jid, want):
    def match(kind, f):
        if kind != "presence" or bare(f["from"]) != bare(jid):
            return False
        return all(f.get(k) == v for k, v in want.items())
    return match


def message_match(jid, body):
    def match(kind, f):
        return (kind == "message" and f["type"] in ("chat", "normal")
                and bare(f["from"]) == bare(jid) and (body is None or f["body"] == body))
    return match


def error_match(jid, want):
    def match(kind, f):
        if f.get("type") != "error" or bare(f["from"]) != bare(jid):
            return False
        if "condition" in want and f.get("condition") != want["condition"]:
            return False
        return "text" not in want or want["text"] in (f.get("text") or "")
    return match


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--jid", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--host", required=True, help="server address to connect to (no DNS)")
    p.add_argument("--port", type=int, default=5222)
    p.add_argument("--cafile", help="CA certificate that signed the server certificate")
    p.add_argument("--no-verify", action="store_true", help="accept any server certificate")
    p.add_argument("--plain", action="store_true", help="no STARTTLS (server offers none)")
    p.add_argument("--auto-accept", action="store_true", help="approve subscription requests")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds per wait step")
    p.add_argument("--deadline", type=float, default=120.0, help="seconds for all steps")
    p.add_argument("--interactive", action="store_true",
                   help="after the positional steps, read steps from stdin (see above)")
    p.add_argument("--debug", action="store_true")
    p.add_argument("steps", nargs="*")
    args = p.parse_args()
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.ERROR,
                        stream=sys.stderr, format="%(levelname)s %(name)s %(message)s")
    client = Client(args)
    client.connect(address=(args.host, args.port), force_starttls=not args.plain,
                   disable_starttls=args.plain)
    # Bounded: login plus steps plus disconnect, never longer than this.
    client.loop.run_until_complete(wait_result(client, args.deadline + args.timeout + 10))
    if client.result is None:
        emit("login-timeout")
        return 2
    return client.result


async def wait_result(client, seconds):
    end = time.monotonic() + seconds
    while client.result is None and time.monotonic() < end:
        await asyncio.sleep(0.1)
    if client.result is not None:
        await asyncio.sleep(0.5)  # let disconnect() flush the send queue
    else:
        client.disconnect(wait=0.5)
        await asyncio.sleep(0.6)


if __name__ == "__main__":
    sys.exit(main())
