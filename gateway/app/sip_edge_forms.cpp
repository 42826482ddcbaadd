// SIP edge forms: dialog references, home routes, keep-alive peers, presence bodies, answers.
#include "gateway/app/sip_edge_forms.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "presence/error_mapping.hpp"
#include "sip/bridge/convert_answer.hpp"
#include "sip/bridge/convert_presence_in.hpp"
#include "sip/bridge/convert_presence_out.hpp"
#include "sip/bridge/convert_subscription.hpp"
#include "sip/bridge/static_routes.hpp"
#include "sip/codec/header.hpp"

namespace fedgate::gateway {

namespace {

constexpr std::string_view kRefVersion = "E1";

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> out;
  for (;;) {
    auto nl = text.find('\n');
    out.push_back(text.substr(0, nl));
    if (nl == std::string_view::npos) {
      return out;
    }
    text.remove_prefix(nl + 1);
  }
}

bool contains_ci(std::string_view haystack, std::string_view needle) {
  auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                        [](char a, char b) { return std::tolower(a) == std::tolower(b); });
  return it != haystack.end();
}

}  // namespace

std::string encode_dialog_ref(const sip::DialogId& id) {
  return fmt::format("{}\n{}\n{}\n{}", kRefVersion, id.call_id, id.local_tag, id.remote_tag);
}

std::optional<sip::DialogId> decode_dialog_ref(std::string_view text) {
  auto lines = split_lines(text);
  if (lines.size() != 4 || lines[0] != kRefVersion || lines[1].empty() || lines[2].empty()) {
    return std::nullopt;
  }
  return sip::DialogId{std::string(lines[1]), std::string(lines[2]), std::string(lines[3])};
}

namespace {
sip::RouteProtocol route_protocol(presence::RouteProtocol p) {
  switch (p) {
    case presence::RouteProtocol::tls: return sip::RouteProtocol::tls;
    case presence::RouteProtocol::tcp: return sip::RouteProtocol::tcp;
    case presence::RouteProtocol::udp: return sip::RouteProtocol::udp;
  }
  return sip::RouteProtocol::tls;
}

sip::StaticRouteRow route_row(const presence::StaticRouteRow& r) {
  sip::StaticRouteRow out;
  out.id = r.id;
  out.pattern = r.pattern;
  out.next_hop = r.next_hop;
  out.port = r.port;
  out.protocol = route_protocol(r.protocol);
  out.type = r.type == presence::RouteType::user ? sip::RouteType::user : sip::RouteType::domain;
  out.priority = r.priority;
  out.weight = r.weight;
  out.blocked = r.blocked;
  out.in_service = r.in_service;
  return out;
}
}  // namespace

std::vector<std::string> peer_subjects(const presence::PolicyRows& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows.tls_peer_subjects) {
    out.push_back(r.subject);
  }
  return out;
}

std::vector<sip::StaticRouteRow> routes_with_homes(const presence::PolicyRows& rows) {
  std::vector<sip::StaticRouteRow> out;
  for (const auto& r : rows.static_routes) {
    // The default route ".*" blocked (or without a next hop) is the open-federation switch,
    // which the router applies; as a route it would block every federated domain.
    if (r.pattern != ".*" || (!r.blocked && !r.next_hop.empty())) {
      out.push_back(route_row(r));
    }
  }
  for (const auto& d : rows.local_domains) {
    if (d.home_protocol != presence::Protocol::sip || d.home_host.empty()) {
      continue;
    }
    sip::StaticRouteRow home;
    home.pattern = sip::reversed_domain(d.domain);
    home.next_hop = d.home_host;
    home.port = d.home_port != 0 ? d.home_port
                                 : (d.transport == presence::RouteProtocol::tls ? 5061 : 5060);
    home.protocol = route_protocol(d.transport);
    out.push_back(std::move(home));
  }
  return out;
}

std::vector<sip::KeepAlivePeer> keepalive_peers(const presence::PolicyRows& rows) {
  std::vector<sip::KeepAlivePeer> out;
  for (const auto& d : rows.local_domains) {
    if (d.home_protocol == presence::Protocol::sip && !d.home_host.empty()) {
      out.push_back({d.home_host, d.home_port != 0 ? d.home_port : std::uint16_t{5061}, d.domain});
    }
  }
  for (const auto& d : rows.sip_federated_domains) {
    out.push_back({d.domain, 0, d.domain});
  }
  return out;
}

std::vector<std::string> acl_entries(const presence::PolicyRows& rows) {
  std::vector<std::string> out;
  out.reserve(rows.incoming_acl.size());
  for (const auto& row : rows.incoming_acl) {
    out.push_back(row.peer);
  }
  return out;
}

bool accepts_msrtc(const sip::Request& subscribe) {
  for (const auto& h : subscribe.other) {
    if (h.name.size() == 6 && contains_ci(h.name, "accept") &&
        contains_ci(h.value, sip::kMsrtcCategoriesType)) {
      return true;
    }
  }
  return false;
}

std::vector<std::string> subscribe_accept(bool microsoft) {
  if (!microsoft) {
    return {std::string(sip::kPidfType)};
  }
  return {std::string(sip::kMsrtcCategoriesType), std::string(sip::kPidfType),
          "application/rlmi+xml", "multipart/related"};
}

std::vector<std::string> subscribe_supported(bool microsoft) {
  if (!microsoft) {
    return {};
  }
  return {"ms-benotify", "ms-piggyback-first-notify"};
}

bool microsoft_peer(std::string_view domain, const presence::PolicySnapshot& policy) {
  auto c = policy.classify(domain);
  if (c.kind == presence::DomainKind::local) {  // a SIP home may be a Lync / S4B pool (Case 2):
    return c.protocol == presence::Protocol::sip;  // msrtc first, PIDF still accepted
  }
  return c.kind == presence::DomainKind::sip_federated &&
         c.integration != presence::SipIntegration::standard_sip;
}

sip::Body presence_body_for(const presence::Presence& p, const presence::PolicySnapshot& policy,
                            bool msrtc) {
  if (!msrtc) {
    return sip::pidf_body_for(p);
  }
  auto lync = policy.translator().to_lync(p);
  sip::MsrtcStateForm form;
  form.availability = lync.availability;
  form.note = lync.note;
  form.publish_time = p.publish_time.value_or(std::chrono::system_clock::now());
  return sip::msrtc_body_for(p.entity, form);
}

presence::Presence offline_presence(const presence::Address& entity) {
  presence::Presence p;
  p.entity = entity.without_resource();
  p.availability = presence::Availability::offline;
  return p;
}

presence::SubscriptionState state_from(sip::SubState s) noexcept {
  switch (s) {
    case sip::SubState::pending:
      return presence::SubscriptionState::pending;
    case sip::SubState::active:
      return presence::SubscriptionState::active;
    case sip::SubState::terminated:
      break;
  }
  return presence::SubscriptionState::terminated;
}

std::string end_reason(const sip::SubscriptionEnd& end) {
  if (end.retry_after) {
    return "timeout";
  }
  if (!end.reason.empty()) {
    return end.reason;
  }
  return std::string(sip::failure_reason(end.status));
}

presence::SipAnswer sip_answer(const sip::Response& response) {
  auto f = sip::answer_fields(response);
  return presence::SipAnswer{f.status, std::move(f.reason_phrase), std::move(f.warning),
                             std::move(f.ms_diagnostics)};
}

presence::SipAnswer sip_answer(int status) {
  return presence::SipAnswer{status, std::string(sip::default_reason_phrase(status)), "", ""};
}

SipRefusal refusal_for(presence::ErrorCondition condition) {
  int status = presence::sip_code_for(condition);
  return SipRefusal{status, std::string(sip::default_reason_phrase(status))};
}

std::string bounce_text(const presence::Address& recipient, const presence::StanzaError& error) {
  std::string text = fmt::format("Your message to {} could not be delivered ({})",
                                 recipient.bare(), presence::to_string(error.condition));
  if (!error.text.empty()) {
    text += fmt::format(": {}", error.text);
  }
  return text;
}

}  // namespace fedgate::gateway
