// SIP method names (RFC 3261 §7.1, MS-SIP §2.2).
#include "sip/codec/method.hpp"

#include <array>
#include <utility>

namespace fedgate::sip {
namespace {

constexpr std::array<std::pair<std::string_view, Method>, 16> kMethods{{
    {"INVITE", Method::invite},     {"ACK", Method::ack},
    {"BYE", Method::bye},           {"CANCEL", Method::cancel},
    {"REGISTER", Method::register_}, {"OPTIONS", Method::options},
    {"INFO", Method::info},         {"MESSAGE", Method::message},
    {"SUBSCRIBE", Method::subscribe}, {"NOTIFY", Method::notify},
    {"PUBLISH", Method::publish},   {"REFER", Method::refer},
    {"PRACK", Method::prack},       {"UPDATE", Method::update},
    {"BENOTIFY", Method::benotify}, {"SERVICE", Method::service},
}};

}  // namespace

Method method_from_token(std::string_view token) {
  for (const auto& [name, m] : kMethods) {
    if (name == token) {
      return m;
    }
  }
  return Method::other;
}

std::string_view to_string(Method m) {
  for (const auto& [name, known] : kMethods) {
    if (known == m) {
      return name;
    }
  }
  return {};
}

std::string_view method_name(Method m, std::string_view text) {
  return m == Method::other ? text : to_string(m);
}

}  // namespace fedgate::sip
