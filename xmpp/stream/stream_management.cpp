#include "xmpp/stream/stream_management.hpp"

namespace fedgate::xmpp {

void StreamManagement::sent(PendingStanza p) {
  unacked_.push_back(std::move(p));
  ++sent_;
}

std::optional<std::vector<std::uint64_t>> StreamManagement::acknowledge(std::uint32_t h) {
  const std::uint32_t newly = h - acked_;  // modulo 2^32 (XEP-0198 §4)
  if (newly > unacked_.size()) {
    return std::nullopt;
  }
  std::vector<std::uint64_t> tags;
  tags.reserve(newly);
  for (std::uint32_t i = 0; i < newly; ++i) {
    tags.push_back(unacked_.front().tag);
    unacked_.pop_front();
  }
  acked_ = h;
  return tags;
}

std::deque<PendingStanza> StreamManagement::take_unacked() {
  std::deque<PendingStanza> out;
  out.swap(unacked_);
  return out;
}

}  // namespace fedgate::xmpp
