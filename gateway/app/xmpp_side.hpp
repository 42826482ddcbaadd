// XmppSide: the port through which the Switchboard sends stanzas to XMPP servers, and its
// production form over xmpp::S2sPool (one outbound stream per domain pair). Called on the
// switchboard's strand; send() never blocks (S2sPool::send is the mailbox hop, STYLE.md B2
// step 6). Tests use a recording fake. RFC 6120 §8.
#pragma once

#include "xmpp/codec/element.hpp"
#include "xmpp/stream/stream_actions.hpp"
#include "xmpp/transport/s2s_pool.hpp"

namespace fedgate::gateway {

class XmppSide {
 public:
  virtual ~XmppSide() = default;
  // `pair.local`: the domain fedgate speaks for on this hop (the stanza's 'from' domain);
  // `pair.remote`: the receiving domain. Failures come back through the pool's BounceFn.
  virtual void send(xmpp::DomainPair pair, xmpp::Element stanza) = 0;
};

class S2sPoolSide final : public XmppSide {
 public:
  explicit S2sPoolSide(xmpp::S2sPool& pool) : pool_(pool) {}
  void send(xmpp::DomainPair pair, xmpp::Element stanza) override {
    pool_.send(pair, std::move(stanza));
  }

 private:
  xmpp::S2sPool& pool_;
};

}  // namespace fedgate::gateway
