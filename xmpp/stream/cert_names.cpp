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

}  // namespace fedgate::xmpp
