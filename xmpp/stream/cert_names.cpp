#include "xmpp/stream/cert_names.hpp"

#include <algorithm>
#include <cctype>

#include "xmpp/codec/idna.hpp"
#include "xmpp/codec/jid.hpp"

namespace fedgate::xmpp {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool matches(std::string_view presented, std::string_view domain) {
  if (!presented.empty() && presented.back() == '.') {
    presented.remove_suffix(1);
  }
  if (!domain.empty() && domain.back() == '.') {
    domain.remove_suffix(1);
  }
  if (presented.size() > 2 && presented.substr(0, 2) == "*.") {
    const auto dot = domain.find('.');
    if (dot == std::string_view::npos || dot == 0) {
      return false;
    }
    const std::string_view rest = presented.substr(2);
    // The wildcard stands for one label, and never for a top-level-only suffix.
    return rest.find('.') != std::string_view::npos && iequals(rest, domain.substr(dot + 1));
  }
  if (presented.find('*') != std::string_view::npos) {
    return false;
  }
  return iequals(presented, domain);
}

}  // namespace

// Certificates carry DNS-IDs as A-labels and XmppAddrs as UTF-8 (RFC 6125 §6.4.2, RFC 7622
// §3.2): both sides are compared in their A-label form.
bool certificate_matches(const std::vector<std::string>& identities, std::string_view domain) {
  if (domain.empty()) {
    return false;
  }
  const std::string ascii = dns_name(domain);
  return std::any_of(identities.begin(), identities.end(), [&](const std::string& id) {
    return matches(id, ascii) ||
           (needs_idna(id) && id.find('*') == std::string::npos && matches(dns_name(id), ascii));
  });
}

std::string certificate_detail(const TlsFacts& facts, std::string_view expected,
                               bool with_fingerprint) {
  std::string out = "expected ";
  out += expected.empty() ? std::string_view("(no domain named yet)") : expected;
  out += "; presented ";
  for (std::size_t i = 0; i < facts.identities.size(); ++i) {
    out += i == 0 ? "" : ", ";
    out += facts.identities[i];
  }
  if (facts.identities.empty()) {
    out += "(no names)";
  }
  out += "; chain ";
  out += facts.chain_valid ? std::string_view("valid") : std::string_view(facts.chain_failure);
  if (!facts.issuer.empty()) {
    out += "; issuer " + facts.issuer;
  }
  if (with_fingerprint) {
    out += "; sha256 " + facts.fingerprint_sha256;
  }
  return out;
}

}  // namespace fedgate::xmpp
