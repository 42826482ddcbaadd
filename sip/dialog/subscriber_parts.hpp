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

class Subscriber::Settle {
 public:
  explicit Settle(Subscriber& s) : s_(s) {}
  Settle(const Settle&) = delete;
  Settle& operator=(const Settle&) = delete;
  ~Settle() { s_.settle(); }

 private:
  Subscriber& s_;
};

}  // namespace fedgate::sip
