#include "gateway/net/resolver.hpp"

#include <string>

namespace fedgate::gateway {
namespace {

class ResolverCategory final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "fedgate.resolver"; }
  std::string message(int ev) const override {
    switch (static_cast<ResolverErrc>(ev)) {
      case ResolverErrc::not_found:
        return "domain name does not exist (NXDOMAIN)";
      case ResolverErrc::no_data:
        return "no record of the requested type";
      case ResolverErrc::timeout:
        return "DNS query timed out";
      case ResolverErrc::server_failure:
        return "DNS server failed, refused or was unreachable";
      case ResolverErrc::bad_response:
        return "malformed DNS response";
      case ResolverErrc::bad_name:
        return "malformed domain name";
      case ResolverErrc::bad_server:
        return "malformed DNS server address list";
      case ResolverErrc::cancelled:
        return "DNS lookup cancelled";
      case ResolverErrc::other:
        return "DNS lookup failed";
    }
    return "unknown resolver error";
  }
};

}  // namespace

const boost::system::error_category& resolver_category() noexcept {
  static const ResolverCategory category;
  return category;
}

boost::system::error_code make_error_code(ResolverErrc e) noexcept {
  return {static_cast<int>(e), resolver_category()};
}

std::string srv_name(SrvService service, std::string_view domain) {
  std::string_view prefix;
  switch (service) {
    case SrvService::xmpps_server:
      prefix = "_xmpps-server._tcp.";
      break;
    case SrvService::xmpp_server:
      prefix = "_xmpp-server._tcp.";
      break;
    case SrvService::sipfederationtls:
      prefix = "_sipfederationtls._tcp.";
      break;
    case SrvService::sips:
      prefix = "_sips._tcp.";
      break;
    case SrvService::sip_tls:
      prefix = "_sip._tls.";
      break;
  }
  return std::string(prefix) + std::string(domain);
}

}  // namespace fedgate::gateway
