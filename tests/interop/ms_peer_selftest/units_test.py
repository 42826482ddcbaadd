#!/usr/bin/python3
"""Unit checks of ms_peer.py's pure parts: every transcript template renders to a message the
peer's framer reads back with the right Content-Length, and the peer understands the Lync
dialect messages fedgate's own sip/dialog tests use (tests/unit/sip/dialog/data), read only.
Run: /usr/bin/python3 units_test.py (exit 0 = all passed)."""
import base64
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
sys.dont_write_bytecode = True
import ms_peer  # noqa: E402

DIALOG_DATA = os.path.join(ROOT, "tests", "unit", "sip", "dialog", "data")
TEMPLATES = os.path.join(HERE, "..", "lib", "ms_transcripts")


def fedgate_message(name):
    """A fedgate dialog-test message (LF lines) framed as it would arrive on the wire."""
    with open(os.path.join(DIALOG_DATA, name), encoding="utf-8") as f:
        head, _, body = f.read().partition("\n\n")
    wire = head.replace("\n", "\r\n").encode() + b"\r\n\r\n" + body.replace("\n", "\r\n").encode()
    msg, rest = ms_peer.Connection.frame(wire)
    assert msg is not None, name
    return msg


class Templates(unittest.TestCase):
    def test_every_sip_template_frames_back_with_its_body(self):
        t = ms_peer.Transcripts(TEMPLATES)
        names = sorted(n for n in os.listdir(TEMPLATES) if n.endswith(".sip"))
        self.assertGreaterEqual(len(names), 12)
        for name in names:
            wire = t.message(name, {"METHOD": "NOTIFY", "RURI": "sip:a@b.test", "STATUS": 200,
                                    "REASON": "OK", "VIA": "Via: SIP/2.0/TLS h;branch=z9hG4bK1",
                                    "CONTENT_TYPE": "text/plain"}, "héllo")
            msg, rest = ms_peer.Connection.frame(wire + b"\r\n\r\n")
            self.assertIsNotNone(msg, name)
            self.assertEqual(msg.body, "héllo".encode(), name)
            self.assertEqual(rest, b"\r\n\r\n", name)
            self.assertNotIn("${", wire.decode(), name)
            self.assertFalse(any(v == "" for _, v in msg.headers), name)

    def test_empty_expansion_lines_and_headers_are_dropped(self):
        t = ms_peer.Transcripts(TEMPLATES)
        wire = t.message("bye.sip", {"RURI": "sip:x@y", "ROUTE": ""}).decode()
        self.assertNotIn("Route:", wire)
        self.assertNotIn("\r\n\r\n\r\n", wire)
        self.assertIn("Content-Length: 0\r\n\r\n", wire)


class FedgateDialect(unittest.TestCase):
    def test_first_message_of_an_incoming_invite(self):
        msg = fedgate_message("im_in_invite.sip")
        ctype, text = ms_peer.decode_text_format(msg.get("ms-text-format"))
        self.assertEqual((ctype, text), ("text/plain", "Hi Alice"))
        self.assertEqual(ms_peer.header_param(msg.get("from"), "epid"), "0202bb")

    def test_piggybacked_pidf_in_a_200(self):
        msg = fedgate_message("sub_200_piggyback.sip")
        self.assertEqual(msg.get("ms-piggyback-cseq"), "1")
        doc = ms_peer.parse_presence_doc("application/pidf+xml", msg.body)
        self.assertEqual(doc["presentity"], "bob@partner.example")
        self.assertEqual(doc["categories"]["state"][1]["availability"], 3500)

    def test_terminated_notify_state_and_reason(self):
        msg = fedgate_message("sub_notify_terminated.sip")
        state = msg.get("subscription-state")
        self.assertTrue(state.startswith("terminated"))
        self.assertEqual(ms_peer.header_param(state, "reason"), "timeout")

    def test_route_set_of_a_2xx_is_reversed_record_route(self):
        msg = fedgate_message("im_out_invite_200.sip")
        peer = ms_peer.Peer.__new__(ms_peer.Peer)
        peer.host = "fedgate.corp.example"
        routes = peer.route_set(msg.all("record-route"), reverse=True)
        self.assertEqual([ms_peer.uri_host(ms_peer.addr_uri(r)) for r in routes],
                         ["edge1.partner.example", "edge2.partner.example"])


class Bodies(unittest.TestCase):
    def test_older_publish_time_is_older(self):
        self.assertLess(ms_peer.parse_time("2024-05-01T09:29:59.999Z"),
                        ms_peer.parse_time("2024-05-01T09:30:00Z"))
        self.assertIsNone(ms_peer.parse_time("yesterday"))

    def test_multipart_related_parts_by_content_id(self):
        body = (b"--b1\r\nContent-ID: <resourceList>\r\nContent-Type: application/rlmi+xml\r\n\r\n"
                b"<list/>\r\n--b1\r\nContent-ID: x@y\r\nContent-Type: text/plain\r\n\r\nhi\r\n"
                b"--b1--\r\n")
        msg = ms_peer.SipMessage("NOTIFY sip:a SIP/2.0", [
            ("content-type", 'multipart/related; type="application/rlmi+xml"; boundary=b1')], body)
        self.assertEqual(ms_peer.parse_multipart(msg), [
            ("application/rlmi+xml", "resourceList", b"<list/>"), ("text/plain", "x@y", b"hi")])

    def test_ms_text_format_round_trip_of_non_ascii(self):
        b64 = base64.b64encode("ça va? ✓".encode()).decode().rstrip("=")
        self.assertEqual(ms_peer.decode_text_format(f"text/plain; charset=UTF-8;ms-body={b64}"),
                         ("text/plain", "ça va? ✓"))


if __name__ == "__main__":
    unittest.main(verbosity=1)
