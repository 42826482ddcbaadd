// PolicyRows: the administrator's policy tables as plain rows, exactly as the store loads them
// from PostgreSQL (schema/). The router builds its indexed PolicySnapshot from these.
// This is the seam between gateway/store (which fills it) and presence/ (which reads it).
// Plain data, no I/O; owned by whoever loaded it, then moved into a snapshot.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fedgate::presence {

enum class XmppSecurityMode { no_tls, tls_optional, tls_required };
enum class Protocol { xmpp, sip };
enum class SipIntegration { lync, s4b, o365, standard_sip };
enum class PolicyDefault { allow, deny };
enum class Direction { all, inbound_only, outbound_only };
enum class RouteProtocol { tls, tcp, udp };
enum class RouteType { domain, user };
enum class RuleAction { allow, block };
enum class RuleScope { presence, im, both };
enum class MapDirection { sip_to_xmpp, xmpp_to_sip };

// Cluster-wide switches (table `settings`, one row per key).
struct Settings {
  XmppSecurityMode xmpp_security = XmppSecurityMode::tls_required;
  bool require_valid_peer_certificates = true;
  bool sasl_external_inbound = true;
  bool sasl_external_outbound = true;
  std::string dialback_secret;
  bool email_for_federation = false;
  std::string federation_routing_fqdn;
  bool open_federation = false;
};

struct LocalDomainRow {
  std::string domain;
  Protocol home_protocol = Protocol::xmpp;
  std::string home_host;  // empty: DNS
  std::uint16_t home_port = 0;
  RouteProtocol transport = RouteProtocol::tls;
};

struct UserRow {
  std::string address;  // local native address, "alice@corp.example"
  std::string email;    // empty when none
  std::string display_name;
  bool federation_enabled = true;
};

struct SipFederatedDomainRow {
  std::string domain;
  SipIntegration integration = SipIntegration::s4b;
  std::string description;
};

struct XmppPolicyExceptionRow {
  std::string pattern;  // "partner.example" or "*.partner.example"
  Direction direction = Direction::all;
};

struct StaticRouteRow {
  std::int64_t id = 0;
  std::string pattern;  // reversed form: ".com.example.*", ".*" for the default route
  std::string next_hop;
  std::uint16_t port = 0;
  RouteProtocol protocol = RouteProtocol::tls;
  RouteType type = RouteType::domain;
  int priority = 0;
  int weight = 0;
  bool blocked = false;
  bool in_service = true;
};

struct TlsPeerSubjectRow {
  std::string subject;  // a DNS name the peer certificate must carry
  std::string description;
};

struct IncomingAclRow {
  std::string peer;  // FQDN or address
  std::string domain;  // the federated domain it came with, empty for manual rows
};

// One row of presence_state_map. sip_to_xmpp rows cover [range_low, range_high];
// xmpp_to_sip rows map an XMPP show ("", "chat", "away", "xa", "dnd", "unavailable")
// to the availability number written.
struct StateMapRow {
  MapDirection direction = MapDirection::sip_to_xmpp;
  int range_low = 0;
  int range_high = 0;
  std::string xmpp_show;  // "" means available (no <show/>)
  std::string status_text;
  int availability = 0;  // xmpp_to_sip: the number written
};

struct UserPolicyRow {
  std::string local_user;
  std::string target;  // "bob@partner.example" or a whole domain "partner.example"
  RuleAction action = RuleAction::block;
  RuleScope scope = RuleScope::both;
};

// XMPP per-partner security profile (table xmpp_partner_profiles).
struct XmppPartnerProfileRow {
  std::string domain;
  bool tls_required = true;
  bool certificate_only = false;
  bool dialback_allowed = true;
  std::string pinned_sha256;  // hex, empty when not pinned
};

struct OpenFederationCacheRow {
  std::string domain;
  Protocol protocol = Protocol::xmpp;
};

struct PolicyRows {
  std::int64_t version = 0;  // monotonically increasing; bumped by every policy change
  Settings settings;
  std::vector<LocalDomainRow> local_domains;
  std::vector<UserRow> users;
  std::vector<SipFederatedDomainRow> sip_federated_domains;
  PolicyDefault xmpp_default = PolicyDefault::allow;
  std::vector<XmppPolicyExceptionRow> xmpp_exceptions;
  std::vector<StaticRouteRow> static_routes;
  std::vector<TlsPeerSubjectRow> tls_peer_subjects;
  std::vector<IncomingAclRow> incoming_acl;
  std::vector<StateMapRow> state_map;
  std::vector<UserPolicyRow> user_policies;
  std::vector<XmppPartnerProfileRow> xmpp_partner_profiles;
  std::vector<OpenFederationCacheRow> open_federation_cache;
};

}  // namespace fedgate::presence
