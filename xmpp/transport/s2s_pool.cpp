#include "xmpp/transport/s2s_pool.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/strand.hpp>
#include <vector>

namespace fedgate::xmpp {
namespace {

namespace asio = boost::asio;

}  // namespace

S2sPool::S2sPool(asio::any_io_executor executor, const S2sConfig& config,
                 gateway::Resolver& resolver, S2sMetrics& metrics, BounceFn bounce, Logger log,
                 DeliveredFn delivered)
    : executor_(std::move(executor)),
      deps_{config,
            resolver,
            metrics,
            std::move(log),
            std::move(bounce),
            std::move(delivered),
            gateway::default_srv_random(),
            stopping_,
            [this](const DomainPair& pair, const Mailbox* mailbox) { detach(pair, mailbox); },
            [this](const DomainPair& pair, OutboundItem item) { enqueue(pair, std::move(item)); }} {
}

void S2sPool::send(const DomainPair& pair, Element stanza) {
  enqueue(pair, OutboundItem{std::move(stanza), 0});
}

void S2sPool::verify(DialbackVerify request, std::weak_ptr<VerdictBox> reply) {
  const DomainPair pair{request.receiving, request.originating};
  OutboundItem item{Element{}, 0, request, reply};
  if (try_enqueue(pair, item)) {
    deps_.log.warn("xmpp.s2s.dialback_unverifiable",
                   {{"remote", request.originating}, {"reason", "verify_queue_refused"}});
    post_verdict(reply, DialbackVerdict{std::move(request), DialbackOutcome::error});
  }
}

void S2sPool::enqueue(const DomainPair& pair, OutboundItem item) {
  if (auto refused = try_enqueue(pair, item)) {
    if (*refused == StanzaErrc::service_unavailable) {  // shutdown: held, not bounced
      deps_.metrics.held();
      return;
    }
    deps_.metrics.bounced(condition_name(*refused));
    deps_.bounce(std::move(item.stanza), *refused);
  }
}

// On refusal `item` is left as it was (a failed try_send does not consume its argument). A
// new session starts after the lock is released: co_spawn may run it inline up to its first
// real wait, and a session that fails at once detaches itself (which locks again).
std::optional<StanzaErrc> S2sPool::try_enqueue(const DomainPair& pair, OutboundItem& item) {
  std::shared_ptr<Mailbox> started;
  {
    std::lock_guard lock(mutex_);
    if (stopping_.load()) {
      return StanzaErrc::service_unavailable;
    }
    auto& mailbox = streams_[pair];
    if (!mailbox) {
      mailbox = std::make_shared<Mailbox>(asio::make_strand(executor_), deps_.config.queue_limit);
      started = mailbox;
    }
    if (!mailbox->try_push(item)) {
      return StanzaErrc::resource_constraint;  // never for a new mailbox (capacity >= 1)
    }
  }
  if (started) {
    auto strand = started->get_executor();
    asio::co_spawn(strand, run_outbound_session(pair, std::move(started), deps_), asio::detached);
  }
  return std::nullopt;
}

void S2sPool::detach(const DomainPair& pair, const Mailbox* mailbox) {
  std::lock_guard lock(mutex_);
  auto found = streams_.find(pair);
  if (found != streams_.end() && found->second.get() == mailbox) {
    streams_.erase(found);
  }
}

std::size_t S2sPool::streams() const {
  std::lock_guard lock(mutex_);
  return streams_.size();
}

void S2sPool::shutdown() {
  std::vector<std::shared_ptr<Mailbox>> mailboxes;
  {
    std::lock_guard lock(mutex_);
    stopping_.store(true);
    for (auto& [pair, mailbox] : streams_) {
      mailboxes.push_back(mailbox);
    }
  }
  for (auto& mailbox : mailboxes) {
    mailbox->ring();  // wakes a waiting session, which sees stopping and closes
  }
}

}  // namespace fedgate::xmpp
