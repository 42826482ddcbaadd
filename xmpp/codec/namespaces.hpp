// XML namespace names used on s2s streams (RFC 6120 §4.8, §5, §6; XEP-0220; XEP-0198;
// XEP-0199). Owned by xmpp_codec; constants only, usable from any executor.
#pragma once

#include <string_view>

namespace fedgate::xmpp {

inline constexpr std::string_view kNsStreams = "http://etherx.jabber.org/streams";
inline constexpr std::string_view kNsServer = "jabber:server";
inline constexpr std::string_view kNsClient = "jabber:client";
inline constexpr std::string_view kNsDialback = "jabber:server:dialback";
inline constexpr std::string_view kNsDialbackFeature = "urn:xmpp:features:dialback";
inline constexpr std::string_view kNsTls = "urn:ietf:params:xml:ns:xmpp-tls";
inline constexpr std::string_view kNsSasl = "urn:ietf:params:xml:ns:xmpp-sasl";
inline constexpr std::string_view kNsStreamErrors = "urn:ietf:params:xml:ns:xmpp-streams";
inline constexpr std::string_view kNsStanzaErrors = "urn:ietf:params:xml:ns:xmpp-stanzas";
inline constexpr std::string_view kNsSm = "urn:xmpp:sm:3";
inline constexpr std::string_view kNsPing = "urn:xmpp:ping";
inline constexpr std::string_view kNsXml = "http://www.w3.org/XML/1998/namespace";

}  // namespace fedgate::xmpp
