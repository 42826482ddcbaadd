#include "xmpp/codec/stream_error.hpp"

#include <array>
#include <string>

namespace fedgate::xmpp {
namespace {

constexpr std::array<std::string_view, 25> kNames = {
    "bad-format",
    "bad-namespace-prefix",
    "conflict",
    "connection-timeout",
    "host-gone",
    "host-unknown",
    "improper-addressing",
    "internal-server-error",
    "invalid-from",
    "invalid-namespace",
    "invalid-xml",
    "not-authorized",
    "not-well-formed",
    "policy-violation",
    "remote-connection-failed",
    "reset",
    "resource-constraint",
    "restricted-xml",
    "see-other-host",
    "system-shutdown",
    "undefined-condition",
    "unsupported-encoding",
    "unsupported-feature",
    "unsupported-stanza-type",
    "unsupported-version",
};

class StreamCategory final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "xmpp.stream"; }
  std::string message(int ev) const override {
    if (ev < 1 || ev > static_cast<int>(kNames.size())) {
      return "unknown stream error";
    }
    return std::string(kNames[static_cast<std::size_t>(ev - 1)]);
  }
};

}  // namespace

const boost::system::error_category& stream_category() noexcept {
  static const StreamCategory category;
  return category;
}

boost::system::error_code make_error_code(StreamErrc e) noexcept {
  return {static_cast<int>(e), stream_category()};
}

std::string_view condition_name(StreamErrc e) noexcept {
  const auto i = static_cast<std::size_t>(e);
  return i >= 1 && i <= kNames.size() ? kNames[i - 1] : std::string_view("undefined-condition");
}

std::optional<StreamErrc> stream_condition_from_name(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) {
      return static_cast<StreamErrc>(i + 1);
    }
  }
  return std::nullopt;
}

}  // namespace fedgate::xmpp
