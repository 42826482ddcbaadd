// S2sPool: one outbound s2s stream per (local domain, remote domain), dialled on first use and
// reused; stanzas wait in the stream's bounded mailbox while it connects, and come back through
// the bounce callback when it cannot connect or authenticate; XEP-0198 acknowledgements come
// back through the delivered callback. Owned by the node; send() is
// callable from any thread (the one hop between executors, STYLE.md B2). RFC 6120 §8.3.3.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "xmpp/transport/outbound_session.hpp"

namespace fedgate::xmpp {

class S2sPool {
 public:
  // `config`, `resolver` and `metrics` must outlive the pool; the pool must outlive the
  // sessions it spawned (the node drains its io_context before destroying it).
  S2sPool(boost::asio::any_io_executor executor, const S2sConfig& config,
          gateway::Resolver& resolver, S2sMetrics& metrics, BounceFn bounce, Logger log,
          DeliveredFn delivered = {});
  S2sPool(const S2sPool&) = delete;
  S2sPool& operator=(const S2sPool&) = delete;

  // Queues `stanza` on the (local, remote) stream, dialling it if there is none. A full
  // queue bounces the stanza at once with resource-constraint; after shutdown() it is held
  // (dropped without a bounce: an accepted message stays pending in the outbox).
  void send(const DomainPair& pair, Element stanza);
  // XEP-0220 §2.1.2: asks the authoritative server of `request.originating` whether the key
  // is right, over the stream of the pair (receiving, originating) — the same stream that
  // carries our stanzas there, dialled if need be. The verdict goes to `reply`; an error
  // verdict when the question cannot be asked (queue full, shutdown, no connection).
  void verify(DialbackVerify request, std::weak_ptr<VerdictBox> reply);
  // Number of outbound streams (dialling or up).
  std::size_t streams() const;
  // Closes every stream gracefully. What is still queued or unacknowledged is held, not
  // bounced (fedgate_xmpp_s2s_held_total): the outbox redelivers its messages at the next
  // start, so a graceful stop sends no errors to senders.
  void shutdown();

 private:
  // Queues `item`, or bounces its stanza. try_enqueue returns the refusal and then leaves
  // `item` untouched.
  void enqueue(const DomainPair& pair, OutboundItem item);
  std::optional<StanzaErrc> try_enqueue(const DomainPair& pair, OutboundItem& item);
  void detach(const DomainPair& pair, const Mailbox* mailbox);

  boost::asio::any_io_executor executor_;
  std::atomic<bool> stopping_{false};
  OutboundDeps deps_;
  mutable std::mutex mutex_;
  std::map<DomainPair, std::shared_ptr<Mailbox>> streams_;
};

}  // namespace fedgate::xmpp
