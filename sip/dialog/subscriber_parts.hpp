// The private parts of Subscriber: the configuration shared (interned) by a node's
// subscribers, the decoded working form, and the guard that re-encodes it after an event.
// Owned by sip_core; internal to sip/dialog (subscriber*.cpp), on the usage's strand.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sip/dialog/subscriber.hpp"

namespace fedgate::sip {

struct Subscriber::Shared {
  EventHeader event;
  std::vector<std::string> accept;
  std::vector<std::string> supported;
  std::uint32_t expires = 3600;
  LocalEndpoint local;
  friend bool operator==(const Shared&, const Shared&) = default;
};

struct Subscriber::Working {
  Uri target;  // target, from, to and call_id: only until the dialog exists
  NameAddr from;
  NameAddr to;
  std::string call_id;
  std::optional<Request> initial;  // kept until the dialog exists
  std::optional<Dialog> dialog;
};

// Taken at the start of an event: what a restart needs, compared when the event returns.
class Subscriber::Settle {
 public:
  explicit Settle(Subscriber& s)
      : s_(s),
        state_(s.state_),
        ended_(s.ended_),
        expires_at_(s.expires_at_),
        refresh_at_(s.refresh_at_),
        dialog_(revision_of(s)) {}
  Settle(const Settle&) = delete;
  Settle& operator=(const Settle&) = delete;
  ~Settle() {
    s_.settle(state_ != s_.state_ || ended_ != s_.ended_ || expires_at_ != s_.expires_at_ ||
              refresh_at_ != s_.refresh_at_ || dialog_ != revision_of(s_));
  }

 private:
  // -1: no dialog yet; otherwise the dialog's revision.
  static std::int64_t revision_of(const Subscriber& s) {
    const auto& d = s.work().dialog;
    return d ? std::int64_t{d->revision()} : -1;
  }

  Subscriber& s_;
  SubState state_;
  bool ended_;
  TimePoint expires_at_;
  TimePoint refresh_at_;
  std::int64_t dialog_;
};

}  // namespace fedgate::sip
