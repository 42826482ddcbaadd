// InboundStream: every refusal is the right RFC 6120 §4.9.3 stream error, after a header.
#include <gtest/gtest.h>

#include "tests/unit/xmpp/stream/stream_test_support.hpp"
#include "xmpp/stream/inbound_stream.hpp"

namespace fedgate::xmpp {
namespace {

using namespace test;

std::string error_bytes(std::string_view condition) {
  return "<stream:error><" + std::string(condition) +
         " xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>";
}

class InboundErrors : public ::testing::Test {
 protected:
  InboundErrors() : config(make_config({"montague.example"})) { config->tls_available = false; }
  StreamActions bytes(std::string_view b) { return stream.on_bytes(b, kT0); }
  StreamActions open() { return bytes(peer_header("capulet.example", "montague.example")); }
  void authenticate() {
    open();
    auto a = bytes("<db:result from='capulet.example' to='montague.example'>k</db:result>");
    stream.on_dialback_verdict(a.verify.at(0), DialbackOutcome::valid, kT0);
  }
  std::shared_ptr<StreamConfig> config;
  InboundStream stream{config, kT0};
};

TEST_F(InboundErrors, UnknownHostInTheHeaderIsHostUnknownAfterOurHeader) {  // §4.9.1.3
  const auto a = bytes(peer_header("capulet.example", "elsewhere.example"));
  EXPECT_EQ(a.write, our_header("elsewhere.example", "capulet.example", "id1") +
                         error_bytes("host-unknown"));
  EXPECT_EQ(*a.close, (StreamClose{StreamErrc::host_unknown, "unknown_to"}));
  EXPECT_EQ(stream.state(), InboundState::closed);
}

TEST_F(InboundErrors, ClientNamespaceIsInvalidNamespace) {  // §4.9.3.10
  const auto a = bytes(
      "<stream:stream xmlns='jabber:client' xmlns:stream="
      "'http://etherx.jabber.org/streams' to='montague.example' version='1.0'>");
  EXPECT_TRUE(a.write.ends_with(error_bytes("invalid-namespace")));
  EXPECT_TRUE(a.write.starts_with("<?xml version='1.0'?><stream:stream"));
}

TEST_F(InboundErrors, MissingVersionIsUnsupportedVersion) {  // §4.7.5
  const auto a = bytes(std::string("<stream:stream") + std::string(kStreamNs) +
                       " from='capulet.example' to='montague.example'>");
  EXPECT_EQ(a.close->error, StreamErrc::unsupported_version);
}

TEST_F(InboundErrors, StanzaBeforeAuthenticationIsNotAuthorized) {  // §4.9.3.12
  open();
  const auto a = bytes("<message from='a@capulet.example' to='b@montague.example'/>");
  EXPECT_EQ(a.write, error_bytes("not-authorized"));
  EXPECT_TRUE(a.stanzas.empty());
}

TEST_F(InboundErrors, StanzaFromAnUnauthenticatedDomainIsInvalidFrom) {  // §4.9.3.9
  authenticate();
  const auto a = bytes("<message from='a@evil.example' to='b@montague.example'/>");
  EXPECT_EQ(*a.close, (StreamClose{StreamErrc::invalid_from, "unauthenticated_from"}));
  EXPECT_TRUE(a.stanzas.empty());
}

TEST_F(InboundErrors, StanzaToADomainWeDoNotServeIsHostUnknown) {  // §4.9.3.6
  authenticate();
  EXPECT_EQ(bytes("<presence from='a@capulet.example' to='b@other.example'/>").close->error,
            StreamErrc::host_unknown);
}

TEST_F(InboundErrors, StanzaWithoutToIsImproperAddressing) {  // §4.9.3.7
  authenticate();
  EXPECT_EQ(bytes("<iq from='capulet.example' type='get' id='1'/>").close->error,
            StreamErrc::improper_addressing);
}

TEST_F(InboundErrors, UnknownTopLevelElementIsUnsupportedStanzaType) {  // §4.9.3.24
  authenticate();
  EXPECT_EQ(bytes("<foo xmlns='urn:example:foo'/>").write, error_bytes("unsupported-stanza-type"));
}

TEST_F(InboundErrors, CommentsAreRestrictedXml) {  // §4.9.3.18, §11.1
  open();
  const auto a = bytes("<!-- hello -->");
  EXPECT_EQ(a.write, error_bytes("restricted-xml"));
  EXPECT_EQ(a.close->reason, "parse_comment");
}

TEST_F(InboundErrors, StartTlsWithoutTlsIsRefusedAndTheStreamEnds) {  // §5.4.2.2
  open();
  const auto a = bytes("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
  EXPECT_EQ(a.write, "<failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:stream>");
  EXPECT_EQ(*a.close, (StreamClose{std::nullopt, "starttls_refused"}));
}

TEST_F(InboundErrors, PeerStreamErrorAndCloseAreAnswered) {  // §4.4, §4.9.1.1
  open();
  const auto a = bytes(
      "<stream:error><host-gone xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
      "</stream:error></stream:stream>");
  EXPECT_EQ(a.write, "</stream:stream>");
  EXPECT_EQ(*a.close, (StreamClose{std::nullopt, "peer_error_host_gone"}));
}

TEST_F(InboundErrors, ShutdownSendsSystemShutdown) {  // §4.9.3.20
  authenticate();
  EXPECT_EQ(stream.shutdown(kT0).write, error_bytes("system-shutdown"));
}

TEST_F(InboundErrors, TransportDecidedErrorsAndRedirect) {  // §4.9.3.3, §4.9.3.19
  authenticate();
  EXPECT_EQ(stream.error(StreamErrc::conflict, "replaced", kT0).write, error_bytes("conflict"));
  InboundStream other{config, kT0};
  other.on_bytes(peer_header("capulet.example", "montague.example"), kT0);
  const auto a = other.redirect("[2001:db8::2]:5269", kT0);
  EXPECT_EQ(a.write,
            "<stream:error><see-other-host xmlns='urn:ietf:params:xml:ns:xmpp-streams'>"
            "[2001:db8::2]:5269</see-other-host></stream:error></stream:stream>");
  EXPECT_EQ(a.close->error, StreamErrc::see_other_host);
}

TEST_F(InboundErrors, ANonUtf8DeclarationIsUnsupportedEncoding) {  // §4.9.3.22
  const auto a = bytes("<?xml version='1.0' encoding='ISO-8859-1'?><stream:stream/>");
  EXPECT_EQ(a.close->error, StreamErrc::unsupported_encoding);
  EXPECT_TRUE(a.write.ends_with(error_bytes("unsupported-encoding")));
}

}  // namespace
}  // namespace fedgate::xmpp
