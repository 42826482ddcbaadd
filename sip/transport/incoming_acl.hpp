// The incoming ACL: which peers may open connections to fedgate's SIP listeners, by IP
// address or by FQDN (a DNS-ID of the peer's TLS certificate, or a reverse-resolved name).
// The decision callback lives in TransportConfig; acl_admits() is the rule the Node applies
// to the policy's incoming_acl rows. Pure functions, any thread. RFC 6125 §6.4 (DNS-IDs).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/net/certificate.hpp"

namespace fedgate::sip {

// What is known of an inbound peer when the ACL is asked.
struct InboundPeer {
  std::string address;                                    // remote IP, textual, no brackets
  const gateway::CertificateInfo* certificate = nullptr;  // TLS: chain-checked certificate
  std::vector<std::string> reverse_names;                 // PTR names, once looked up
};

// True admits the peer.
using IncomingAcl = std::function<bool(const InboundPeer&)>;
// The PTR names of an address (empty when none or on failure). Runs on the connection's strand.
using ReverseLookup =
    std::function<boost::asio::awaitable<std::vector<std::string>>(std::string address)>;

// An entry names the peer when it is an IP literal equal to the peer's address (an IPv4-mapped
// IPv6 address equals its IPv4 form), or an FQDN that a DNS-ID of the certificate covers
// (wildcards in the certificate, RFC 6125 §6.4.3) or that equals a reverse name
// (case-insensitive, a trailing dot ignored).
bool acl_entry_matches(std::string_view entry, const InboundPeer& peer);
// True when any entry names the peer.
bool acl_admits(std::span<const std::string> entries, const InboundPeer& peer);
// "address=192.0.2.1 names=a.example,b.example": the refusal's log detail.
std::string describe(const InboundPeer& peer);

}  // namespace fedgate::sip
