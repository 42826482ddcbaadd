// Names of PortErrc values.
#include "presence/port_errc.hpp"

namespace fedgate::presence {

std::string_view to_string(PortErrc e) noexcept {
  switch (e) {
    case PortErrc::unavailable:
      return "unavailable";
    case PortErrc::not_found:
      return "not_found";
    case PortErrc::conflict:
      return "conflict";
    case PortErrc::corrupt:
      return "corrupt";
  }
  return "unknown";
}

}  // namespace fedgate::presence
