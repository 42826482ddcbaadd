// StreamManagement: XEP-0198 counters of one s2s stream — the inbound handled count we
// report in <a h/>, and the outbound unacknowledged queue that <a h/> drains (all counts
// modulo 2^32, XEP-0198 §4). Owned by one stream state machine; its strand only.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "xmpp/codec/element.hpp"

namespace fedgate::xmpp {

// A stanza written on an outbound stream, kept until acknowledged. `tag` is the caller's
// handle (e.g. the store's message id) reported back as delivered.
struct PendingStanza {
  Element stanza;
  std::uint64_t tag = 0;
  friend bool operator==(const PendingStanza&, const PendingStanza&) = default;
};

class StreamManagement {
 public:
  // Receiving side: after <enabled/> was sent; counts every stanza handled afterwards.
  void enable_inbound(std::uint32_t initial = 0) {
    inbound_ = true;
    handled_ = initial;
  }
  bool inbound_enabled() const { return inbound_; }
  void count_handled() {
    if (inbound_) {
      ++handled_;
    }
  }
  std::uint32_t handled() const { return handled_; }

  // Initiating side: after <enabled/> was received.
  // `initial` is 0 on the wire (XEP-0198 §4); tests start near 2^32 to exercise wrapping.
  void enable_outbound(std::uint32_t initial = 0) {
    outbound_ = true;
    sent_ = acked_ = initial;
  }
  bool outbound_enabled() const { return outbound_; }
  void sent(PendingStanza p);
  // Applies <a h='h'/>: the tags newly acknowledged, oldest first; nullopt when `h`
  // acknowledges more stanzas than are outstanding (handled-count-too-high).
  std::optional<std::vector<std::uint64_t>> acknowledge(std::uint32_t h);
  std::size_t unacked() const { return unacked_.size(); }
  std::uint32_t sent_count() const { return sent_; }
  std::uint32_t acked_count() const { return acked_; }
  std::deque<PendingStanza> take_unacked();

 private:
  bool inbound_ = false;
  bool outbound_ = false;
  std::uint32_t handled_ = 0;  // inbound h
  std::uint32_t sent_ = 0;     // outbound stanzas sent since enable
  std::uint32_t acked_ = 0;    // last h received
  std::deque<PendingStanza> unacked_;
};

}  // namespace fedgate::xmpp
