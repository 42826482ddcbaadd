// XML namespace names used on s2s streams (RFC 6120 §4.8, §5, §6; XEP-0220; XEP-0198;
// XEP-0199). Owned by xmpp_codec; constants only, usable from any executor.
#pragma once

#include <string_view>

namespace fedgate::xmpp::ns {

inline constexpr std::string_view kStreams = "http://etherx.jabber.org/streams";
inline constexpr std::string_view kServer = "jabber:server";
inline constexpr std::string_view kClient = "jabber:client";
inline constexpr std::string_view kDialback = "jabber:server:dialback";
inline constexpr std::string_view kDialbackFeature = "urn:xmpp:features:dialback";
inline constexpr std::string_view kTls = "urn:ietf:params:xml:ns:xmpp-tls";
inline constexpr std::string_view kSasl = "urn:ietf:params:xml:ns:xmpp-sasl";
inline constexpr std::string_view kStreamErrors = "urn:ietf:params:xml:ns:xmpp-streams";
inline constexpr std::string_view kStanzaErrors = "urn:ietf:params:xml:ns:xmpp-stanzas";
inline constexpr std::string_view kSm = "urn:xmpp:sm:3";
inline constexpr std::string_view kPing = "urn:xmpp:ping";
inline constexpr std::string_view kXml = "http://www.w3.org/XML/1998/namespace";

}  // namespace fedgate::xmpp::ns
