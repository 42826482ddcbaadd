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
                 gateway::Resolver& resolver, S2sMetrics& metrics, BounceFn bounce, Logger log)
    : executor_(std::move(executor)),
      deps_{config,
            resolver,
            metrics,
            std::move(log),
            std::move(bounce),
            gateway::default_srv_random(),
            stopping_,
            [this](const DomainPair& pair, const Mailbox* mailbox) { detach(pair, mailbox); },
            [this](const DomainPair& pair, OutboundItem item) { enqueue(pair, std::move(item)); }} {
}

void S2sPool::send(const DomainPair& pair, Element stanza) {
  enqueue(pair, OutboundItem{std::move(stanza), 0});
}

void S2sPool::enqueue(const DomainPair& pair, OutboundItem item) {
  std::optional<StanzaErrc> refused;
  {
    std::lock_guard lock(mutex_);
    if (stopping_.load()) {
      refused = StanzaErrc::service_unavailable;
    } else {
      auto& mailbox = streams_[pair];
      if (!mailbox) {
        auto strand = asio::make_strand(executor_);
        mailbox = std::make_shared<Mailbox>(strand, deps_.config.queue_limit);
        auto session = run_outbound_session(pair, mailbox, deps_);
        asio::co_spawn(strand, std::move(session), asio::detached);
      }
      if (!mailbox->try_send(boost::system::error_code{}, std::move(item))) {
        refused = StanzaErrc::resource_constraint;
      }
    }
  }
  if (refused) {
    deps_.metrics.bounced(condition_name(*refused));
    deps_.bounce(std::move(item.stanza), *refused);
  }
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
    mailbox->cancel();  // wakes a waiting session, which sees stopping and closes
  }
}

}  // namespace fedgate::xmpp
