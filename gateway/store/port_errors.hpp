// StoreErrc → presence::PortErrc at the edge of the router's storage ports (STYLE.md B6):
// a refused write is a conflict; anything else means "the database cannot help now".
// Pure mapping, any thread.
#pragma once

#include "gateway/base/result.hpp"
#include "gateway/store/store_error.hpp"
#include "presence/port_errc.hpp"

namespace fedgate::gateway {

inline presence::PortErrc to_port_errc(const error_code& ec) {
  if (ec == StoreErrc::constraint_violation) {
    return presence::PortErrc::conflict;
  }
  if (ec == StoreErrc::not_found) {
    return presence::PortErrc::not_found;
  }
  return presence::PortErrc::unavailable;
}

}  // namespace fedgate::gateway
