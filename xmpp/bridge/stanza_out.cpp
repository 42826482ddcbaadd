// Neutral → XMPP conversions. RFC 6121 §3.1-§3.3 (subscription types), §4.7 (presence),
// §5.2 (message children), RFC 6120 §8.3.2 (error syntax), XEP-0085 §5, XEP-0071 §7.
#include "xmpp/bridge/stanza_out.hpp"

#include <optional>
#include <variant>

#include "xmpp/bridge/bridge_errc.hpp"
#include "xmpp/bridge/stanza_in.hpp"
#include "xmpp/codec/namespaces.hpp"
#include "xmpp/codec/stream_parser.hpp"

namespace fedgate::xmpp {
namespace {

std::string_view type_of(presence::SubscriptionAction a) {
  switch (a) {
    case presence::SubscriptionAction::subscribe:
      return "subscribe";
    case presence::SubscriptionAction::approve:
      return "subscribed";
    case presence::SubscriptionAction::deny:
      return "unsubscribed";
    case presence::SubscriptionAction::cancel:
      return "unsubscribe";
    case presence::SubscriptionAction::probe:
      return "probe";
  }
  return "probe";
}

void add_leaf(Element& parent, std::string_view name, std::string_view text) {
  if (!text.empty()) {
    Element leaf{std::string(name), std::string(kNsServer)};
    leaf.text = std::string(text);
    parent.add_child(std::move(leaf));
  }
}

// The stored XHTML <body/> back as an element (it was serialized by to_inbound_message or
// written by the SIP bridge); nullopt when it is not well-formed XML.
std::optional<Element> parse_fragment(std::string_view xml) {
  StreamParser parser;
  parser.feed(
      "<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/"
      "streams' version='1.0'>");
  parser.feed(xml);
  while (auto event = parser.next()) {
    if (auto* element = std::get_if<Element>(&*event)) {
      return std::move(*element);
    }
    if (!std::holds_alternative<StreamHeader>(*event)) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::string_view chat_state_name(presence::ChatState s) { return presence::to_string(s); }

}  // namespace

Element message_stanza(const presence::OutboundMessage& m, std::string_view id) {
  Element message{"message", std::string(kNsServer)};
  message.set("from", m.from.full()).set("to", m.to.full()).set("type", "chat");
  if (!id.empty()) {
    message.set("id", id);
  }
  if (!m.content.language.empty()) {
    message.attributes.push_back({"lang", m.content.language, std::string(kNsXml)});
  }
  add_leaf(message, "subject", m.content.subject);
  add_leaf(message, "body", m.content.body);
  add_leaf(message, "thread", m.content.thread);
  if (m.content.formatted_type == "xhtml-im" && !m.content.formatted_body.empty()) {
    if (auto body = parse_fragment(m.content.formatted_body)) {
      Element html{"html", std::string(kNsXhtmlIm)};
      html.add_child(std::move(*body));
      message.add_child(std::move(html));
    }
  }
  if (m.content.chat_state != presence::ChatState::none) {
    message.add_child(
        Element{std::string(chat_state_name(m.content.chat_state)), std::string(kNsChatStates)});
  }
  return message;
}

Element presence_stanza(const presence::Address& from, const presence::Address& to,
                        std::string_view show, std::string_view status) {
  Element p{"presence", std::string(kNsServer)};
  p.set("from", from.full()).set("to", to.full());
  if (show == "unavailable") {
    p.set("type", "unavailable");
  } else {
    add_leaf(p, "show", show);
  }
  add_leaf(p, "status", status);
  return p;
}

Element subscription_stanza(const presence::SubscriptionRequest& r) {
  Element p{"presence", std::string(kNsServer)};
  p.set("from", r.from.bare()).set("to", r.to.bare()).set("type", type_of(r.action));
  if (!r.id.empty()) {
    p.set("id", r.id);
  }
  return p;
}

Element presence_error_stanza(const presence::SubscriptionRequest& r,
                              const presence::StanzaError& error) {
  Element p{"presence", std::string(kNsServer)};
  p.set("from", r.to.bare()).set("to", r.from.full()).set("type", "error");
  if (!r.id.empty()) {
    p.set("id", r.id);
  }
  auto condition = to_stanza_errc(error.condition);
  p.add_child(make_error_element(condition, default_error_type(condition), error.text));
  return p;
}

Element message_error_stanza(std::string_view in_id, const presence::Address& to,
                             const presence::Address& from, const presence::StanzaError& error) {
  Element m{"message", std::string(kNsServer)};
  m.set("from", from.full()).set("to", to.full()).set("type", "error");
  if (!in_id.empty()) {
    m.set("id", in_id);
  }
  auto condition = to_stanza_errc(error.condition);
  m.add_child(make_error_element(condition, default_error_type(condition), error.text));
  return m;
}

}  // namespace fedgate::xmpp
