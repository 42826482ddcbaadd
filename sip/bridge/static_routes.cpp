// Static routes with reversed destination patterns (policy table static_routes).
#include "sip/bridge/static_routes.hpp"

#include <algorithm>
#include <optional>

namespace fedgate::sip {
namespace {

// How specific a matching pattern is: user routes first, then longer stems, then exact ones.
struct Specificity {
  int user = 0;
  std::size_t stem = 0;
  int exact = 0;
  friend auto operator<=>(const Specificity&, const Specificity&) = default;
};

Specificity specificity(const StaticRouteRow& row) {
  bool wildcard = !row.pattern.empty() && row.pattern.back() == '*';
  return {row.type == RouteType::user ? 1 : 0, row.pattern.size() - (wildcard ? 1 : 0),
          wildcard ? 0 : 1};
}

Transport transport_of(RouteProtocol p) {
  return p == RouteProtocol::tls ? Transport::tls : Transport::tcp;
}

}  // namespace

std::string reversed_domain(std::string_view domain) {
  std::string out;
  while (!domain.empty()) {
    auto dot = domain.rfind('.');
    std::string_view label = dot == std::string_view::npos ? domain : domain.substr(dot + 1);
    out += '.';
    out += label;
    domain = dot == std::string_view::npos ? std::string_view{} : domain.substr(0, dot);
  }
  return out;
}

bool route_pattern_matches(std::string_view pattern, std::string_view subject) {
  if (pattern == ".*" || pattern == "*") {
    return true;
  }
  if (pattern.empty() || pattern.back() != '*') {
    return pattern == subject;
  }
  std::string_view stem = pattern.substr(0, pattern.size() - 1);  // ".com.example."
  if (subject.starts_with(stem)) {
    return true;
  }
  // ".com.example.*" also covers ".com.example" itself (the label boundary before '*').
  return stem.ends_with('.') && subject == stem.substr(0, stem.size() - 1);
}

StaticRoutes::StaticRoutes(std::vector<StaticRouteRow> rows) : rows_(std::move(rows)) {}

StaticRouteLookup StaticRoutes::lookup(std::string_view user, std::string_view domain,
                                       const gateway::SrvRandom& random) const {
  const std::string reversed = reversed_domain(domain);
  auto matches = [&](const StaticRouteRow& row) {
    const bool by_user = row.type == RouteType::user;
    return route_pattern_matches(row.pattern, by_user ? user : std::string_view{reversed});
  };
  std::optional<Specificity> best;
  for (const auto& row : rows_) {
    if ((row.in_service || row.blocked) && matches(row) && (!best || specificity(row) > *best)) {
      best = specificity(row);
    }
  }
  if (!best) {
    return NoStaticRoute{};
  }
  std::vector<gateway::SrvTarget> targets;
  for (const auto& row : rows_) {
    if (specificity(row) != *best || !matches(row)) {
      continue;
    }
    if (row.blocked) {
      return BlockedRoute{row.id};
    }
    if (row.in_service) {
      targets.push_back({row.next_hop, row.port ? row.port : kSipTlsPort,
                         static_cast<std::uint16_t>(row.priority),
                         static_cast<std::uint16_t>(row.weight), 0});
    }
  }
  std::vector<NextHop> hops;
  for (auto& t : gateway::order_srv_targets(std::move(targets), random)) {
    auto row = std::find_if(rows_.begin(), rows_.end(),
                            [&](const auto& r) { return r.next_hop == t.host; });
    hops.push_back({t.host, t.port, transport_of(row->protocol)});
  }
  return hops;
}

}  // namespace fedgate::sip
