#include "xmpp/transport/tls_facts.hpp"

#include <string_view>

namespace fedgate::xmpp {
namespace {

// "_xmpp-server.example.com" -> "example.com" (RFC 6125 §6.5.1 SRV-ID for s2s).
void add_srv_identity(TlsFacts& facts, std::string_view srv) {
  for (std::string_view service : {"_xmpp-server.", "_xmpps-server."}) {
    if (srv.substr(0, service.size()) == service) {
      facts.identities.emplace_back(srv.substr(service.size()));
    }
  }
}

void add_identities(TlsFacts& facts, const gateway::CertificateInfo& info) {
  facts.identities = info.dns_names;
  for (const auto& srv : info.srv_names) {
    add_srv_identity(facts, srv);
  }
  for (const auto& addr : info.xmpp_addrs) {
    facts.identities.push_back(addr);
  }
  facts.fingerprint_sha256 = info.sha256_fingerprint;
  facts.subject = info.subject;
  facts.issuer = info.issuer;
}

}  // namespace

std::string chain_failure_token(gateway::CertErrc e) {
  using gateway::CertErrc;
  switch (e) {
    case CertErrc::expired:
      return "expired";
    case CertErrc::not_yet_valid:
      return "not_yet_valid";
    case CertErrc::untrusted_issuer:
      return "untrusted_issuer";
    case CertErrc::missing_usage:
      return "missing_usage";
    case CertErrc::no_peer_certificate:
      return "no_certificate";
    case CertErrc::pin_mismatch:
      return "pin_mismatch";
    case CertErrc::name_mismatch:
      return "name_mismatch";
    default:
      return "chain_invalid";
  }
}

TlsFacts tls_facts(SSL* ssl, gateway::PeerRole peer_role) {
  TlsFacts facts;
  X509* leaf = ssl != nullptr ? SSL_get0_peer_certificate(ssl) : nullptr;
  if (leaf == nullptr) {
    facts.chain_failure = "no_certificate";
    return facts;
  }
  add_identities(facts, gateway::describe(leaf));
  gateway::PeerPolicy policy{peer_role, "", gateway::NameRules::xmpp};
  auto checked = gateway::check_peer(ssl, policy);
  facts.chain_valid = checked.has_value();
  if (!checked) {
    auto code = static_cast<gateway::CertErrc>(checked.error().value());
    facts.chain_failure = checked.error().category() == gateway::cert_category()
                              ? chain_failure_token(code)
                              : "chain_invalid";
  }
  return facts;
}

}  // namespace fedgate::xmpp
