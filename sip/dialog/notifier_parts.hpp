// The private parts of Notifier: the configuration its node's notifiers share (interned) and
// the guard that re-encodes the dialog after an event. Owned by sip_core; internal to
// sip/dialog (notifier*.cpp), on the usage's strand.
#pragma once

#include <cstdint>

#include "sip/dialog/notifier.hpp"

namespace fedgate::sip {

struct Notifier::Shared {
  LocalEndpoint local;
  EventHeader event;
  std::uint32_t max_expires = 3600;
  friend bool operator==(const Shared&, const Shared&) = default;
};

class Notifier::Settle {
 public:
  explicit Settle(Notifier& n) : n_(n) {}
  Settle(const Settle&) = delete;
  Settle& operator=(const Settle&) = delete;
  ~Settle() { n_.settle(); }

 private:
  Notifier& n_;
};

}  // namespace fedgate::sip
