#include "gateway/store/policy_loader.hpp"

#include <pqxx/pqxx>
#include <stdexcept>
#include <string_view>

#include "gateway/store/pg_error.hpp"

namespace fedgate::gateway {
namespace {

using namespace fedgate::presence;
using Tx = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;

template <class E, std::size_t N>
E parse_enum(std::string_view text, const std::pair<std::string_view, E> (&names)[N]) {
  for (const auto& [name, value] : names) {
    if (name == text) {
      return value;
    }
  }
  throw std::invalid_argument("unexpected value in policy table: " + std::string{text});
}

constexpr std::pair<std::string_view, Protocol> kProtocols[] = {{"xmpp", Protocol::xmpp},
                                                                {"sip", Protocol::sip}};
constexpr std::pair<std::string_view, RouteProtocol> kRouteProtocols[] = {
    {"tls", RouteProtocol::tls}, {"tcp", RouteProtocol::tcp}, {"udp", RouteProtocol::udp}};
constexpr std::pair<std::string_view, SipIntegration> kIntegrations[] = {
    {"lync", SipIntegration::lync}, {"s4b", SipIntegration::s4b},
    {"o365", SipIntegration::o365}, {"standard_sip", SipIntegration::standard_sip}};
constexpr std::pair<std::string_view, Direction> kDirections[] = {
    {"all", Direction::all}, {"inbound_only", Direction::inbound_only},
    {"outbound_only", Direction::outbound_only}};
constexpr std::pair<std::string_view, XmppSecurityMode> kSecurityModes[] = {
    {"no_tls", XmppSecurityMode::no_tls}, {"tls_optional", XmppSecurityMode::tls_optional},
    {"tls_required", XmppSecurityMode::tls_required}};
constexpr std::pair<std::string_view, RuleAction> kActions[] = {{"allow", RuleAction::allow},
                                                                {"block", RuleAction::block}};
constexpr std::pair<std::string_view, RuleScope> kScopes[] = {
    {"presence", RuleScope::presence}, {"im", RuleScope::im}, {"both", RuleScope::both}};
constexpr std::pair<std::string_view, MapDirection> kMapDirections[] = {
    {"sip_to_xmpp", MapDirection::sip_to_xmpp}, {"xmpp_to_sip", MapDirection::xmpp_to_sip}};
constexpr std::pair<std::string_view, RouteType> kRouteTypes[] = {{"domain", RouteType::domain},
                                                                  {"user", RouteType::user}};

void apply_setting(Settings& s, std::string_view key, const std::string& value) {
  bool flag = value == "true";
  if (key == "xmpp_security_mode") {
    s.xmpp_security = parse_enum(value, kSecurityModes);
  } else if (key == "require_valid_peer_certificates") {
    s.require_valid_peer_certificates = flag;
  } else if (key == "sasl_external_inbound") {
    s.sasl_external_inbound = flag;
  } else if (key == "sasl_external_outbound") {
    s.sasl_external_outbound = flag;
  } else if (key == "dialback_secret") {
    s.dialback_secret = value;
  } else if (key == "email_for_federation") {
    s.email_for_federation = flag;
  } else if (key == "federation_routing_fqdn") {
    s.federation_routing_fqdn = value;
  } else if (key == "open_federation") {
    s.open_federation = flag;
  }
}

void load_settings(Tx& tx, PolicyRows& rows) {
  for (const auto& r : tx.exec("SELECT key, value FROM settings")) {
    apply_setting(rows.settings, r[0].c_str(), r[1].as<std::string>());
  }
  auto policy = tx.exec("SELECT default_action FROM xmpp_federation_policy");
  rows.xmpp_default = !policy.empty() && policy[0][0].as<std::string>() == "deny"
                          ? PolicyDefault::deny
                          : PolicyDefault::allow;
}

void load_domains(Tx& tx, PolicyRows& rows) {
  for (const auto& r : tx.exec("SELECT domain, home_protocol, home_host, home_port, transport "
                               "FROM local_domains ORDER BY domain")) {
    rows.local_domains.push_back({r[0].as<std::string>(), parse_enum(r[1].c_str(), kProtocols),
                                  r[2].as<std::string>(),
                                  static_cast<std::uint16_t>(r[3].as<int>()),
                                  parse_enum(r[4].c_str(), kRouteProtocols)});
  }
  for (const auto& r : tx.exec("SELECT domain, integration, description "
                               "FROM sip_federated_domains ORDER BY domain")) {
    rows.sip_federated_domains.push_back({r[0].as<std::string>(),
                                          parse_enum(r[1].c_str(), kIntegrations),
                                          r[2].as<std::string>()});
  }
  for (const auto& r :
       tx.exec("SELECT pattern, direction FROM xmpp_policy_exceptions ORDER BY pattern")) {
    rows.xmpp_exceptions.push_back({r[0].as<std::string>(), parse_enum(r[1].c_str(), kDirections)});
  }
  for (const auto& r :
       tx.exec("SELECT domain, protocol FROM open_federation_cache ORDER BY domain")) {
    rows.open_federation_cache.push_back({r[0].as<std::string>(),
                                          parse_enum(r[1].c_str(), kProtocols)});
  }
}

void load_users(Tx& tx, PolicyRows& rows) {
  for (const auto& r : tx.exec("SELECT address, coalesce(email, ''), display_name, "
                               "federation_enabled FROM users ORDER BY address")) {
    rows.users.push_back({r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(),
                          r[3].as<bool>()});
  }
  for (const auto& r : tx.exec("SELECT local_user, target, action, scope FROM user_policies "
                               "ORDER BY local_user, target")) {
    rows.user_policies.push_back({r[0].as<std::string>(), r[1].as<std::string>(),
                                  parse_enum(r[2].c_str(), kActions),
                                  parse_enum(r[3].c_str(), kScopes)});
  }
}

void load_routes(Tx& tx, PolicyRows& rows) {
  for (const auto& r : tx.exec("SELECT id, pattern, next_hop, port, protocol, route_type, "
                               "priority, weight, blocked, in_service FROM static_routes "
                               "ORDER BY id")) {
    rows.static_routes.push_back(
        {r[0].as<std::int64_t>(), r[1].as<std::string>(), r[2].as<std::string>(),
         static_cast<std::uint16_t>(r[3].as<int>()), parse_enum(r[4].c_str(), kRouteProtocols),
         parse_enum(r[5].c_str(), kRouteTypes), r[6].as<int>(), r[7].as<int>(), r[8].as<bool>(),
         r[9].as<bool>()});
  }
}

void load_tls(Tx& tx, PolicyRows& rows) {
  for (const auto& r :
       tx.exec("SELECT subject, description FROM tls_peer_subjects ORDER BY subject")) {
    rows.tls_peer_subjects.push_back({r[0].as<std::string>(), r[1].as<std::string>()});
  }
  for (const auto& r :
       tx.exec("SELECT peer, coalesce(domain, '') FROM incoming_acl ORDER BY peer")) {
    rows.incoming_acl.push_back({r[0].as<std::string>(), r[1].as<std::string>()});
  }
  for (const auto& r : tx.exec("SELECT domain, tls_required, certificate_only, "
                               "dialback_allowed, pinned_sha256 FROM xmpp_partner_profiles "
                               "ORDER BY domain")) {
    rows.xmpp_partner_profiles.push_back({r[0].as<std::string>(), r[1].as<bool>(),
                                          r[2].as<bool>(), r[3].as<bool>(),
                                          r[4].as<std::string>()});
  }
}

void load_state_map(Tx& tx, PolicyRows& rows) {
  for (const auto& r : tx.exec("SELECT direction, range_low, range_high, xmpp_show, "
                               "status_text, availability FROM presence_state_map "
                               "ORDER BY direction, range_low, xmpp_show")) {
    rows.state_map.push_back({parse_enum(r[0].c_str(), kMapDirections), r[1].as<int>(),
                              r[2].as<int>(), r[3].as<std::string>(), r[4].as<std::string>(),
                              r[5].as<int>()});
  }
}

}  // namespace

result<presence::PolicyRows> load_policy(pqxx::connection& conn, std::string* detail) {
  try {
    Tx tx{conn, "load_policy"};
    PolicyRows rows;
    rows.version = tx.exec("SELECT version FROM policy_version")[0][0].as<std::int64_t>();
    load_settings(tx, rows);
    load_domains(tx, rows);
    load_users(tx, rows);
    load_routes(tx, rows);
    load_tls(tx, rows);
    load_state_map(tx, rows);
    tx.commit();
    return rows;
  } catch (...) {
    auto failure = classify_pg_exception(std::current_exception());
    if (detail != nullptr) {
      *detail = failure.detail;
    }
    return make_error_code(failure.code == StoreErrc::unavailable ? StoreErrc::unavailable
                                                                  : StoreErrc::query_failed);
  }
}

}  // namespace fedgate::gateway
