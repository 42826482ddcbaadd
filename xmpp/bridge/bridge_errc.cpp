// BridgeErrc category and the RFC 6120 §8.3.3 condition mapping between xmpp_codec and
// presence_model (same names, so the mapping goes through the wire name).
#include "xmpp/bridge/bridge_errc.hpp"

#include <string>

namespace fedgate::xmpp {
namespace {

class BridgeCategory final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "xmpp.bridge"; }
  std::string message(int ev) const override {
    switch (static_cast<BridgeErrc>(ev)) {
      case BridgeErrc::not_a_stanza:
        return "not a message or presence stanza";
      case BridgeErrc::bad_from:
        return "missing or malformed 'from' address";
      case BridgeErrc::bad_to:
        return "missing or malformed 'to' address";
      case BridgeErrc::bad_type:
        return "unknown stanza type";
      case BridgeErrc::no_error_element:
        return "error stanza without <error/>";
    }
    return "unknown bridge error";
  }
};

}  // namespace

const boost::system::error_category& bridge_category() noexcept {
  static const BridgeCategory category;
  return category;
}

boost::system::error_code make_error_code(BridgeErrc e) noexcept {
  return {static_cast<int>(e), bridge_category()};
}

StanzaErrc wire_condition(BridgeErrc e) noexcept {
  switch (e) {
    case BridgeErrc::bad_from:
    case BridgeErrc::bad_to:
      return StanzaErrc::jid_malformed;
    default:
      return StanzaErrc::bad_request;
  }
}

presence::ErrorCondition to_condition(StanzaErrc e) noexcept {
  auto c = presence::error_condition_from_string(condition_name(e));
  return c.value_or(presence::ErrorCondition::undefined_condition);
}

StanzaErrc to_stanza_errc(presence::ErrorCondition c) noexcept {
  auto name = presence::to_string(c);
  for (int i = 1; i <= presence::kErrorConditionCount; ++i) {
    if (condition_name(static_cast<StanzaErrc>(i)) == name) {
      return static_cast<StanzaErrc>(i);
    }
  }
  return StanzaErrc::undefined_condition;
}

}  // namespace fedgate::xmpp
