#include "xmpp/codec/stanza.hpp"

#include <array>

#include "xmpp/codec/namespaces.hpp"

namespace fedgate::xmpp {
namespace {

struct ConditionInfo {
  std::string_view name;
  StanzaErrorType type;
};

constexpr std::array<ConditionInfo, 22> kConditions = {{
    {"bad-request", StanzaErrorType::modify},
    {"conflict", StanzaErrorType::cancel},
    {"feature-not-implemented", StanzaErrorType::cancel},
    {"forbidden", StanzaErrorType::auth},
    {"gone", StanzaErrorType::cancel},
    {"internal-server-error", StanzaErrorType::cancel},
    {"item-not-found", StanzaErrorType::cancel},
    {"jid-malformed", StanzaErrorType::modify},
    {"not-acceptable", StanzaErrorType::modify},
    {"not-allowed", StanzaErrorType::cancel},
    {"not-authorized", StanzaErrorType::auth},
    {"policy-violation", StanzaErrorType::modify},
    {"recipient-unavailable", StanzaErrorType::wait},
    {"redirect", StanzaErrorType::modify},
    {"registration-required", StanzaErrorType::auth},
    {"remote-server-not-found", StanzaErrorType::cancel},
    {"remote-server-timeout", StanzaErrorType::wait},
    {"resource-constraint", StanzaErrorType::wait},
    {"service-unavailable", StanzaErrorType::cancel},
    {"subscription-required", StanzaErrorType::auth},
    {"undefined-condition", StanzaErrorType::cancel},
    {"unexpected-request", StanzaErrorType::wait},
}};

const ConditionInfo& info(StanzaErrc e) {
  const auto i = static_cast<std::size_t>(e);
  return (i >= 1 && i <= kConditions.size()) ? kConditions[i - 1] : kConditions[20];
}

}  // namespace

StanzaKind stanza_kind(const Element& e) noexcept {
  if (e.ns != kNsServer && e.ns != kNsClient) {
    return StanzaKind::other;
  }
  if (e.name == "message") {
    return StanzaKind::message;
  }
  if (e.name == "presence") {
    return StanzaKind::presence;
  }
  if (e.name == "iq") {
    return StanzaKind::iq;
  }
  return StanzaKind::other;
}

std::string_view condition_name(StanzaErrc e) noexcept { return info(e).name; }

std::string_view type_name(StanzaErrorType t) noexcept {
  switch (t) {
    case StanzaErrorType::auth:
      return "auth";
    case StanzaErrorType::cancel:
      return "cancel";
    case StanzaErrorType::continue_:
      return "continue";
    case StanzaErrorType::modify:
      return "modify";
    case StanzaErrorType::wait:
      return "wait";
  }
  return "cancel";
}

StanzaErrorType default_error_type(StanzaErrc e) noexcept { return info(e).type; }

Element make_error_element(StanzaErrc condition, StanzaErrorType type, std::string_view text,
                           std::string_view content_ns) {
  Element error("error", std::string(content_ns));
  error.set("type", type_name(type));
  error.add_child(Element(std::string(condition_name(condition)), std::string(kNsStanzaErrors)));
  if (!text.empty()) {
    Element t("text", std::string(kNsStanzaErrors));
    t.attributes.push_back({"lang", "en", std::string(kNsXml)});
    t.add_text(text);
    error.add_child(std::move(t));
  }
  return error;
}

Element make_error_reply(const Element& original, StanzaErrc condition, std::string_view text) {
  Element reply(original.name, original.ns);
  if (auto from = original.attribute("from")) {
    reply.set("to", *from);
  }
  if (auto to = original.attribute("to")) {
    reply.set("from", *to);
  }
  if (auto id = original.attribute("id")) {
    reply.set("id", *id);
  }
  reply.set("type", "error");
  reply.add_child(make_error_element(condition, default_error_type(condition), text, original.ns));
  return reply;
}

}  // namespace fedgate::xmpp
