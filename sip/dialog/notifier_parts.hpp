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

// Taken at the start of an event: what a restart needs, compared when the event returns.
class Notifier::Settle {
 public:
  explicit Settle(Notifier& n)
      : n_(n),
        state_(n.state_),
        expires_at_(n.expires_at_),
        piggybacked_(n.piggybacked_),
        revision_(n.work().revision()) {}
  Settle(const Settle&) = delete;
  Settle& operator=(const Settle&) = delete;
  ~Settle() {
    n_.settle(state_ != n_.state_ || expires_at_ != n_.expires_at_ ||
              piggybacked_ != n_.piggybacked_ || revision_ != n_.work().revision());
  }

 private:
  Notifier& n_;
  SubState state_;
  TimePoint expires_at_;
  bool piggybacked_;
  std::uint32_t revision_;
};

}  // namespace fedgate::sip
