#include "xmpp/transport/stanza_pipeline.hpp"

#include <boost/asio/co_spawn.hpp>
#include <algorithm>
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
  if (taken_at_once(stanza)) {
    return;
  }
  if (can_read()) {
    start(std::move(stanza));
  } else {
    waiting_.push_back(std::move(stanza));
  }
}

// A batch starts with the first stanza not taken at once; from then on everything goes into
// it (start order), up to the bound, and the rest waits.
void StanzaPipeline::push(std::vector<Element>& stanzas) {
  if (!handler_.takes_batches()) {
    for (auto& stanza : stanzas) {
      push(std::move(stanza));
    }
    stanzas.clear();
    return;
  }
  std::vector<Element> batch;
  for (auto& stanza : stanzas) {
    ++pushed_;
    if (batch.empty() && taken_at_once(stanza)) {
      continue;
    }
    if (waiting_.empty() && in_flight_ + batch.size() < limit_) {
      batch.push_back(std::move(stanza));
    } else {
      waiting_.push_back(std::move(stanza));
    }
  }
  stanzas.clear();
  if (!batch.empty()) {
    start_batch(std::move(batch));
  }
}

// Nothing may overtake a stanza waiting to start. A throwing take_now fails the stream like a
// throwing on_stanza: that stanza is never marked done.
bool StanzaPipeline::taken_at_once(Element& stanza) {
  if (!waiting_.empty()) {
    return false;
  }
  bool taken = false;
  try {
    taken = handler_.take_now(stanza);
  } catch (const std::exception&) {
    ++started_;
    done_.push_back(false);
    failed_ = true;
    return true;
  }
  if (!taken) {
    return false;
  }
  ++started_;
  if (done_.empty()) {
    ++taken_;  // everything before it is taken already
  } else {
    done_.push_back(true);
  }
  return true;
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
                   self->completed(seq, 1, e == nullptr ? 1 : 0);
                 });
}

void StanzaPipeline::start_batch(std::vector<Element> stanzas) {
  const std::uint64_t seq = started_;
  const std::size_t count = stanzas.size();
  started_ += count;
  in_flight_ += count;
  done_.insert(done_.end(), count, false);
  asio::co_spawn(strand_, handler_.on_stanzas(std::move(stanzas)),
                 [self = shared_from_this(), seq, count](const std::exception_ptr& e,
                                                         std::size_t ok) {
                   self->completed(seq, count, e == nullptr ? std::min(ok, count) : 0);
                 });
}

void StanzaPipeline::completed(std::uint64_t seq, std::size_t count, std::size_t ok) {
  const bool was_full = !can_read();
  in_flight_ -= count;
  for (std::size_t i = 0; i < ok; ++i) {
    done_[seq - taken_ + i] = true;
  }
  if (ok < count) {
    failed_ = true;  // never marked done: the acknowledged prefix stops before it
  }
  const std::uint64_t before = taken_;
  while (!done_.empty() && done_.front()) {
    done_.pop_front();
    ++taken_;
  }
  start_waiting();
  const bool write_ready = taken_ != before && !writes_.empty() && writes_.front().after <= taken_;
  if (write_ready || (was_full && can_read()) || ok < count || idle()) {
    bell_.cancel();
  }
}

void StanzaPipeline::start_waiting() {
  if (!handler_.takes_batches()) {
    while (!waiting_.empty() && in_flight_ < limit_) {
      auto next = std::move(waiting_.front());
      waiting_.pop_front();
      start(std::move(next));
    }
    return;
  }
  std::vector<Element> batch;
  while (!waiting_.empty() && in_flight_ + batch.size() < limit_) {
    batch.push_back(std::move(waiting_.front()));
    waiting_.pop_front();
  }
  if (!batch.empty()) {
    start_batch(std::move(batch));
  }
}

// The default batch: one on_stanza after another; a throw ends it with those before taken.
asio::awaitable<std::size_t> StanzaHandler::on_stanzas(std::vector<Element> stanzas) {
  std::size_t taken = 0;
  for (auto& stanza : stanzas) {
    std::exception_ptr failure;
    try {
      co_await on_stanza(std::move(stanza));
    } catch (...) {
      failure = std::current_exception();
    }
    if (failure) {
      break;
    }
    ++taken;
  }
  co_return taken;
}

}  // namespace fedgate::xmpp
