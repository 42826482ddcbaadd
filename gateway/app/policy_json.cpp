#include "gateway/app/policy_json.hpp"

#include <nlohmann/json.hpp>

namespace fedgate::gateway {

using nlohmann::json;
using namespace presence;

namespace {

const char* name(Protocol p) { return p == Protocol::sip ? "sip" : "xmpp"; }
const char* name(RouteProtocol p) {
  return p == RouteProtocol::tls ? "tls" : p == RouteProtocol::tcp ? "tcp" : "udp";
}
const char* name(Direction d) {
  return d == Direction::all ? "all" : d == Direction::inbound_only ? "inbound_only" : "outbound_only";
}
const char* name(SipIntegration i) {
  switch (i) {
    case SipIntegration::lync: return "lync";
    case SipIntegration::s4b: return "s4b";
    case SipIntegration::o365: return "o365";
    case SipIntegration::standard_sip: return "standard_sip";
  }
  return "?";
}
const char* name(XmppSecurityMode m) {
  return m == XmppSecurityMode::no_tls ? "no_tls"
         : m == XmppSecurityMode::tls_optional ? "tls_optional" : "tls_required";
}

json settings_json(const Settings& s) {
  return {{"xmpp_security", name(s.xmpp_security)},
          {"require_valid_peer_certificates", s.require_valid_peer_certificates},
          {"sasl_external_inbound", s.sasl_external_inbound},
          {"sasl_external_outbound", s.sasl_external_outbound},
          {"dialback_secret_set", !s.dialback_secret.empty()},
          {"email_for_federation", s.email_for_federation},
          {"federation_routing_fqdn", s.federation_routing_fqdn},
          {"open_federation", s.open_federation}};
}

json routes_json(const std::vector<StaticRouteRow>& routes) {
  json out = json::array();
  for (const auto& r : routes) {
    out.push_back({{"id", r.id}, {"pattern", r.pattern}, {"next_hop", r.next_hop},
                   {"port", r.port}, {"protocol", name(r.protocol)},
                   {"type", r.type == RouteType::domain ? "domain" : "user"},
                   {"priority", r.priority}, {"weight", r.weight}, {"blocked", r.blocked},
                   {"in_service", r.in_service}});
  }
  return out;
}

json domains_json(const PolicyRows& rows) {
  json local = json::array();
  for (const auto& d : rows.local_domains) {
    local.push_back({{"domain", d.domain}, {"home_protocol", name(d.home_protocol)},
                     {"home_host", d.home_host}, {"home_port", d.home_port},
                     {"transport", name(d.transport)}});
  }
  json sip = json::array();
  for (const auto& d : rows.sip_federated_domains) {
    sip.push_back({{"domain", d.domain}, {"integration", name(d.integration)},
                   {"description", d.description}});
  }
  json exceptions = json::array();
  for (const auto& e : rows.xmpp_exceptions) {
    exceptions.push_back({{"pattern", e.pattern}, {"direction", name(e.direction)}});
  }
  return {{"local_domains", local},
          {"sip_federated_domains", sip},
          {"xmpp_default", rows.xmpp_default == PolicyDefault::allow ? "allow" : "deny"},
          {"xmpp_exceptions", exceptions}};
}

}  // namespace

std::string policy_to_json(const PolicyRows& rows) {
  json out = domains_json(rows);
  out["version"] = rows.version;
  out["settings"] = settings_json(rows.settings);
  out["static_routes"] = routes_json(rows.static_routes);
  out["counts"] = {{"users", rows.users.size()},
                   {"user_policies", rows.user_policies.size()},
                   {"tls_peer_subjects", rows.tls_peer_subjects.size()},
                   {"incoming_acl", rows.incoming_acl.size()},
                   {"state_map", rows.state_map.size()},
                   {"xmpp_partner_profiles", rows.xmpp_partner_profiles.size()},
                   {"open_federation_cache", rows.open_federation_cache.size()}};
  return out.dump(2) + "\n";
}

}  // namespace fedgate::gateway
