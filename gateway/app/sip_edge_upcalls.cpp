// SipEdge, what NOTIFYs tell the switchboard (subscription state, then presence documents):
// queued on the edge strand in arrival order and carried by at most kMaxDrainers coroutines,
// so a burst of NOTIFYs costs no task per NOTIFY. One NOTIFY's calls go in order, each awaited
// (as before, when each NOTIFY was a task of its own).
#include "gateway/app/sip_edge.hpp"

// GCC 12 (-O1, ASan): Asio coroutine frame new/delete false positive (see sip_net).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace fedgate::gateway {

namespace asio = boost::asio;
namespace {

constexpr std::size_t kMaxDrainers = 4;
// A further drainer starts only when this many calls per drainer are waiting.
constexpr std::size_t kCallsPerDrainer = 16;

}  // namespace

void SipEdge::upcall(Upcall call) {
  upcalls_.push_back(std::move(call));
  if (upcall_drainers_ == 0 ||
      (upcall_drainers_ < kMaxDrainers && upcalls_.size() > upcall_drainers_ * kCallsPerDrainer)) {
    ++upcall_drainers_;
    spawn("sip_edge.upcalls", drain_upcalls());
  }
}

asio::awaitable<void> SipEdge::drain_upcalls() {
  struct Leave {  // also when cancelled at shutdown
    std::size_t& drainers;
    ~Leave() { --drainers; }
  } leave{upcall_drainers_};
  while (!upcalls_.empty()) {
    Upcall next = std::move(upcalls_.front());
    upcalls_.pop_front();
    if (next.state) {
      auto op = switchboard_.on_sip_state(std::move(*next.state));
      co_await std::move(op);
    }
    for (auto& document : next.documents) {
      auto op = switchboard_.on_presence_document(std::move(document));
      co_await std::move(op);
    }
  }
}

}  // namespace fedgate::gateway
