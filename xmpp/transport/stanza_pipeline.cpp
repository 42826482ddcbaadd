#include "xmpp/transport/stanza_pipeline.hpp"

#include <boost/asio/co_spawn.hpp>
#include <exception>
#include <utility>

// GCC 12 (-O1, ASan) inlines a child coroutine's frame allocation into its caller and then
// reports Asio's awaitable_frame_base operator new/delete pair as mismatched: a false
// positive (the frame is allocated and freed by that class's own pair).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace fedgate::xmpp {

namespace asio = boost::asio;

std::shared_ptr<StanzaPipeline> StanzaPipeline::create(asio::any_io_executor strand,
                                                       StanzaHandler& handler, std::size_t limit) {
  return std::make_shared<StanzaPipeline>(std::move(strand), handler, limit);
}

StanzaPipeline::StanzaPipeline(asio::any_io_executor strand, StanzaHandler& handler,
                               std::size_t limit)
    : strand_(std::move(strand)), handler_(handler), limit_(limit > 0 ? limit : 1), bell_(strand_) {
  bell_.expires_at(asio::steady_timer::time_point::max());
}

void StanzaPipeline::push(Element stanza) {
  ++pushed_;
  if (can_read()) {
    start(std::move(stanza));
  } else {
    waiting_.push_back(std::move(stanza));
  }
}

void StanzaPipeline::push_write(std::string bytes) {
  if (!bytes.empty()) {
    writes_.push_back(Write{pushed_, std::move(bytes)});
  }
}

bool StanzaPipeline::take_ready_writes(std::string& out) {
  bool any = false;
  while (!writes_.empty() && writes_.front().after <= taken_) {
    if (out.empty()) {
      out = std::move(writes_.front().bytes);
    } else {
      out += writes_.front().bytes;
    }
    writes_.pop_front();
    any = true;
  }
  return any;
}

// The handler runs as its own coroutine on the session's strand: co_spawn enters it at once, so
// it reaches its first suspension (for the switchboard: the hop onto its strand) before the
// next stanza is started. Start order is stream order.
void StanzaPipeline::start(Element stanza) {
  const std::uint64_t seq = started_++;
  ++in_flight_;
  done_.push_back(false);
  asio::co_spawn(strand_, handler_.on_stanza(std::move(stanza)),
                 [self = shared_from_this(), seq](const std::exception_ptr& e) {
                   self->completed(seq, e == nullptr);
                 });
}

void StanzaPipeline::completed(std::uint64_t seq, bool ok) {
  const bool was_full = !can_read();
  --in_flight_;
  if (ok) {
    done_[seq - taken_] = true;
  } else {
    failed_ = true;  // never marked done: the acknowledged prefix stops before it
  }
  const std::uint64_t before = taken_;
  while (!done_.empty() && done_.front()) {
    done_.pop_front();
    ++taken_;
  }
  while (!waiting_.empty() && in_flight_ < limit_) {
    auto next = std::move(waiting_.front());
    waiting_.pop_front();
    start(std::move(next));
  }
  const bool write_ready = taken_ != before && !writes_.empty() && writes_.front().after <= taken_;
  if (write_ready || (was_full && can_read()) || !ok || idle()) {
    bell_.cancel();
  }
}

}  // namespace fedgate::xmpp
