// The sip::RouteErrc category and the status each routing failure is answered with.
#include "sip/bridge/route_types.hpp"

#include <string>

namespace fedgate::sip {
namespace {

class RouteCategory final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "sip.route"; }
  std::string message(int ev) const override {
    switch (static_cast<RouteErrc>(ev)) {
      case RouteErrc::blocked:
        return "a static route blocks the destination";
      case RouteErrc::no_route:
        return "no static route and no SIP server in DNS";
      case RouteErrc::dns_failure:
        return "DNS lookup failed";
      case RouteErrc::bad_destination:
        return "the Request-URI has no SIP host";
      case RouteErrc::all_failed:
        return "no next hop answered";
    }
    return "unknown routing error";
  }
};

}  // namespace

const boost::system::error_category& route_category() noexcept {
  static const RouteCategory category;
  return category;
}

int status_for(RouteErrc e) noexcept {
  switch (e) {
    case RouteErrc::blocked:
      return 403;
    case RouteErrc::no_route:
      return 404;
    case RouteErrc::bad_destination:
      return 416;
    case RouteErrc::dns_failure:
    case RouteErrc::all_failed:
      return 503;
  }
  return 500;
}

}  // namespace fedgate::sip
