// TLS peer subjects (tls_peer_subjects) as a SubjectFilter (RFC 5922 §7.1 names).
#include "sip/bridge/agent_peer_subjects.hpp"

#include <algorithm>
#include <cctype>
#include <memory>
#include <set>
#include <string>

namespace fedgate::sip {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// "CN=sip.partner.test,O=..." → "sip.partner.test" (RFC 2253 one-line form, CN first or not).
std::string common_name(const std::string& subject) {
  auto at = subject.find("CN=");
  if (at == std::string::npos) {
    return {};
  }
  auto end = subject.find(',', at);
  return lower(subject.substr(at + 3, end == std::string::npos ? end : end - at - 3));
}

}  // namespace

SubjectFilter subject_filter(std::vector<std::string> subjects) {
  if (subjects.empty()) {
    return {};
  }
  auto allowed = std::make_shared<std::set<std::string>>();
  for (auto& subject : subjects) {
    allowed->insert(lower(std::move(subject)));
  }
  return [allowed](const gateway::CertificateInfo& cert) {
    if (cert.dns_names.empty()) {
      return allowed->contains(common_name(cert.subject));
    }
    return std::any_of(cert.dns_names.begin(), cert.dns_names.end(),
                       [&](const std::string& name) { return allowed->contains(name); });
  };
}

}  // namespace fedgate::sip
