#!/usr/bin/python3
"""xmpp_client.py with XEP-0085 chat states, for the typing case of the SIP edge interop tests.

Every step of ../lib/xmpp_client.py, plus:
  state JID STATE          send a message carrying only the chat state (composing, active,
                           paused, inactive)
  wait-state JID STATE     wait for a chat state notification from JID
Inbound chat states are printed as {"event": "chat-state", "from", "state"}. Run with
/usr/bin/python3 (Debian's python3-slixmpp).
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import xmpp_client  # noqa: E402


class TypingClient(xmpp_client.Client):
    def __init__(self, args):
        super().__init__(args)
        self.register_plugin("xep_0085")
        self.add_event_handler("chatstate", self.on_chat_state)

    def on_chat_state(self, msg):
        self.record("chat-state", **{"from": str(msg["from"]), "state": msg["chat_state"]})

    async def run_step(self, op, rest):
        if op == "state":
            msg = self.make_message(mto=rest[0], mtype="chat")
            msg["chat_state"] = rest[1]
            msg.send()
            return True
        if op == "wait-state":
            def match(kind, f):
                return (kind == "chat-state" and xmpp_client.bare(f["from"]) ==
                        xmpp_client.bare(rest[0]) and f["state"] == rest[1])
            return await self.wait_for(match, self.args.timeout)
        return await super().run_step(op, rest)


if __name__ == "__main__":
    xmpp_client.Client = TypingClient
    sys.exit(xmpp_client.main())
