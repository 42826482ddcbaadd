// OPTIONS: the answer (Allow, Accept, Supported, Contact) and the keep-alive OPTIONS we send,
// byte for byte (the transport adds Ms-Keep-Alive, MS-CONMGMT).
#include "sip/bridge/options.hpp"

#include <gtest/gtest.h>

#include "sip/codec/parser.hpp"
#include "sip/codec/serializer.hpp"

namespace fedgate::sip {
namespace {

AgentConfig config() {
  AgentConfig c;
  c.routing_fqdn = "fedgate.corp.test";
  c.port = 5061;
  c.local_domain = "corp.test";
  return c;
}

TEST(Options, AnswerListsWhatWeSupport) {
  auto options = parse_request(
                     "OPTIONS sip:fedgate.corp.test SIP/2.0\r\n"
                     "Via: SIP/2.0/TLS edge.partner.test:5061;branch=z9hG4bKk1\r\n"
                     "From: <sip:partner.test>;tag=p1\r\nTo: <sip:corp.test>\r\n"
                     "Call-ID: k1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n"
                     "ms-keep-alive: UAC;hop-hop=yes\r\nContent-Length: 0\r\n\r\n")
                     .value();
  EXPECT_EQ(serialize(make_options_answer(options, config(), "t1")),
            "SIP/2.0 200 OK\r\n"
            "Via: SIP/2.0/TLS edge.partner.test:5061;branch=z9hG4bKk1\r\n"
            "From: <sip:partner.test>;tag=p1\r\nTo: <sip:corp.test>;tag=t1\r\n"
            "Call-ID: k1\r\nCSeq: 1 OPTIONS\r\n"
            "Contact: <sip:fedgate.corp.test:5061;transport=tls>\r\n"
            "Supported: ms-benotify, ms-piggyback-first-notify, ms-text-format, ms-keep-alive, "
            "eventlist, adhoclist, categoryList\r\n"
            "Allow: " +
                std::string(kAllow) + "\r\nAccept: " + std::string(kAccept) +
                "\r\n"
                "Server: fedgate\r\nContent-Length: 0\r\n\r\n");
}

TEST(Options, KeepAliveOptionsCarriesContact) {
  KeepAlivePeer peer{"edge.partner.test", 5061, "partner.test"};
  EXPECT_EQ(serialize(make_keepalive_options(peer, config(), "z9hG4bKka", "f1", "ka1@corp")),
            "OPTIONS sip:edge.partner.test:5061;transport=tls SIP/2.0\r\n"
            "Via: SIP/2.0/TLS fedgate.corp.test:5061;branch=z9hG4bKka\r\n"
            "From: <sip:corp.test>;tag=f1\r\nTo: <sip:partner.test>\r\n"
            "Call-ID: ka1@corp\r\nCSeq: 1 OPTIONS\r\n"
            "Contact: <sip:fedgate.corp.test:5061;transport=tls>\r\nMax-Forwards: 70\r\n"
            "Accept: " +
                std::string(kAccept) +
                "\r\n"
                "User-Agent: fedgate\r\nContent-Length: 0\r\n\r\n");
}

}  // namespace
}  // namespace fedgate::sip
