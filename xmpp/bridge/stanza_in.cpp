// XMPP → neutral conversions. RFC 6121 §4.7.2 (show, status, priority), §5.2 (message
// children), RFC 6120 §8.3 (error syntax), XEP-0085 §5 (chat states), XEP-0071 (XHTML-IM).
#include "xmpp/bridge/stanza_in.hpp"

#include <charconv>

#include "xmpp/codec/jid.hpp"
#include "xmpp/codec/namespaces.hpp"

namespace fedgate::xmpp {
namespace {

using presence::Availability;

presence::ChatState chat_state_of(const Element& message) {
  constexpr std::pair<std::string_view, presence::ChatState> kStates[] = {
      {"active", presence::ChatState::active}, {"composing", presence::ChatState::composing},
      {"paused", presence::ChatState::paused}, {"inactive", presence::ChatState::inactive},
      {"gone", presence::ChatState::gone},
  };
  for (const auto& child : message.children) {
    if (child.ns != kNsChatStates) {
      continue;
    }
    for (auto [name, state] : kStates) {
      if (child.name == name) {
        return state;
      }
    }
  }
  return presence::ChatState::none;
}

std::string lang_of(const Element& e) {
  for (const auto& a : e.attributes) {
    if (a.name == "lang" && a.ns == kNsXml) {
      return a.value;
    }
  }
  return {};
}

std::string child_text(const Element& e, std::string_view name) {
  const Element* c = e.child(name, e.ns);
  return c != nullptr ? c->text_content() : std::string{};
}

Availability availability_of(std::string_view show) {
  if (show == "chat") {
    return Availability::chat;
  }
  if (show == "away") {
    return Availability::away;
  }
  if (show == "xa") {
    return Availability::xa;
  }
  if (show == "dnd") {
    return Availability::dnd;
  }
  return Availability::available;  // RFC 6121 §4.7.2.1: absent (or unknown) show
}

int priority_of(const Element& presence) {
  auto text = child_text(presence, "priority");
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) {
    return 0;
  }
  return std::max(-128, std::min(127, value));  // RFC 6121 §4.7.2.3
}

result<presence::SubscriptionAction> subscription_action(std::string_view type) {
  using presence::SubscriptionAction;
  if (type == "subscribe") {
    return SubscriptionAction::subscribe;
  }
  if (type == "subscribed") {
    return SubscriptionAction::approve;
  }
  if (type == "unsubscribed") {
    return SubscriptionAction::deny;
  }
  if (type == "unsubscribe") {
    return SubscriptionAction::cancel;
  }
  if (type == "probe") {
    return SubscriptionAction::probe;
  }
  return make_error_code(BridgeErrc::bad_type);
}

struct Ends {
  presence::Address from;
  presence::Address to;
};

result<Ends> ends_of(const Element& stanza) {
  auto from = to_address(stanza.attr("from"));
  if (!from) {
    return make_error_code(BridgeErrc::bad_from);
  }
  auto to = to_address(stanza.attr("to"));
  if (!to) {
    return make_error_code(BridgeErrc::bad_to);
  }
  return Ends{std::move(*from), std::move(*to)};
}

}  // namespace

result<presence::Address> to_address(std::string_view jid) {
  auto parsed = Jid::parse(jid);
  if (!parsed || !parsed->has_local()) {
    return make_error_code(BridgeErrc::bad_from);
  }
  auto address =
      presence::Address::make(parsed->local(), parsed->domain_part(), parsed->resource());
  if (!address) {
    return make_error_code(BridgeErrc::bad_from);
  }
  return std::move(address).value();
}

result<presence::InboundMessage> to_inbound_message(const Element& message) {
  if (stanza_kind(message) != StanzaKind::message || is_error_stanza(message)) {
    return make_error_code(BridgeErrc::not_a_stanza);
  }
  auto ends = ends_of(message);
  if (!ends) {
    return ends.error();
  }
  presence::InboundMessage in{
      std::string(message.attr("id")), std::move(ends->from), std::move(ends->to), {}};
  in.content.body = child_text(message, "body");
  in.content.subject = child_text(message, "subject");
  in.content.thread = child_text(message, "thread");
  in.content.language = lang_of(message);
  in.content.chat_state = chat_state_of(message);
  if (const Element* html = message.child("html", kNsXhtmlIm)) {
    if (const Element* body = html->child("body", kNsXhtml)) {
      in.content.formatted_body = to_string(*body);
      in.content.formatted_type = "xhtml-im";
    }
  }
  return in;
}

result<PresenceInput> to_presence_input(const Element& stanza) {
  if (stanza_kind(stanza) != StanzaKind::presence) {
    return make_error_code(BridgeErrc::not_a_stanza);
  }
  auto type = stanza.attr("type");
  if (type == "error") {
    auto failure = to_stanza_failure(stanza);
    return failure ? result<PresenceInput>{std::move(*failure)} : failure.error();
  }
  auto ends = ends_of(stanza);
  if (!ends) {
    return ends.error();
  }
  if (type.empty() || type == "unavailable") {
    PresenceUpdate update{ends->from, std::move(ends->to), {}};
    update.endpoint.id = std::string(ends->from.resource());
    update.endpoint.availability =
        type.empty() ? availability_of(child_text(stanza, "show")) : Availability::offline;
    update.endpoint.status_text = child_text(stanza, "status");
    update.endpoint.priority = priority_of(stanza);
    return PresenceInput{std::move(update)};
  }
  auto action = subscription_action(type);
  if (!action) {
    return action.error();
  }
  // RFC 6121 §3.1.1: subscription requests and answers are addressed bare.
  return PresenceInput{presence::SubscriptionRequest{*action, ends->from.without_resource(),
                                                     ends->to.without_resource(),
                                                     std::string(stanza.attr("id"))}};
}

result<StanzaFailure> to_stanza_failure(const Element& stanza) {
  auto kind = stanza_kind(stanza);
  if (kind == StanzaKind::other || !is_error_stanza(stanza)) {
    return make_error_code(BridgeErrc::not_a_stanza);
  }
  auto ends = ends_of(stanza);
  if (!ends) {
    return ends.error();
  }
  const Element* error = stanza.child("error", stanza.ns);
  if (error == nullptr) {
    return make_error_code(BridgeErrc::no_error_element);
  }
  StanzaFailure failure{
      kind, std::string(stanza.attr("id")), std::move(ends->from), std::move(ends->to), {}};
  for (const auto& child : error->children) {
    if (child.ns != kNsStanzaErrors) {
      continue;
    }
    if (child.name == "text") {
      failure.error.text = child.text_content();
    } else if (auto c = presence::error_condition_from_string(child.name)) {
      failure.error.condition = *c;
    }
  }
  return failure;
}

}  // namespace fedgate::xmpp
