// S2sConfig: the settings of the XMPP s2s transport (listener, sessions, pool) and the seams it
// calls out through: the stanza handler (the switchboard, wired by the node), the bounce and
// the delivered callbacks. Owned by the node; shared by every session, read-only but for
// `stream` (atomic, replaced live). RFC 6120 §4, XEP-0368.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/base/clock.hpp"
#include "gateway/net/tls_context.hpp"
#include "xmpp/codec/element.hpp"
#include "xmpp/codec/stanza.hpp"
#include "xmpp/stream/stream_config.hpp"
#include "xmpp/transport/shared_stream_config.hpp"

namespace fedgate::xmpp {

// Where authenticated inbound stanzas go (the switchboard). Called on the session's strand,
// up to 512 stanzas in flight per stream, started in stream order (StanzaPipeline). A call's
// completion is what lets its XEP-0198 <a h/> go out; a throw closes the stream without
// acknowledging that stanza (the peer resends it). Three ways in, cheapest first:
// take_now (synchronous, nothing to wait for), on_stanzas (one call for the stanzas of one
// read) when takes_batches(), otherwise one on_stanza coroutine per stanza.
class StanzaHandler {
 public:
  virtual ~StanzaHandler() = default;
  virtual boost::asio::awaitable<void> on_stanza(Element stanza) = 0;
  // Takes `stanza` at once when its handling has nothing to wait for (true: taken, as if an
  // on_stanza had completed; false: `stanza` is left as it was). Only asked while no earlier
  // stanza waits to start, so start order stays stream order.
  virtual bool take_now(Element& stanza) {
    (void)stanza;
    return false;
  }
  // True: the pipeline hands over the stanzas of one read in one on_stanzas call.
  virtual bool takes_batches() const { return false; }
  // The stanzas in stream order; completes when all are taken and returns how many leading
  // ones were (fewer than all: the stream closes after, acknowledging only those). Default:
  // one on_stanza after another.
  virtual boost::asio::awaitable<std::size_t> on_stanzas(std::vector<Element> stanzas);
};

// A stanza the pool could not deliver, with the RFC 6120 §8.3.3 condition for the bounce.
// Called from a session's strand; must not block.
using BounceFn = std::function<void(Element stanza, StanzaErrc condition)>;

// The receiving server acknowledged (XEP-0198 §4 <a h=.../>) the stanza whose id attribute is
// `stanza_id`. Never called on a stream without XEP-0198 (written is not acknowledged), nor for
// a stanza without an id. Called from a session's strand; must not block.
using DeliveredFn = std::function<void(std::string_view stanza_id)>;

// A static route overrides DNS for one domain (a host and port, TLS from the start or not).
struct StaticRoute {
  std::string host;
  std::uint16_t port = 5269;
  bool direct_tls = false;
};

struct S2sConfig {
  // What new streams start with; replaced live by the node when the settings change.
  SharedStreamConfig stream;
  std::optional<gateway::TlsContext> server_tls;  // listener side; nullopt: no TLS offered
  std::optional<gateway::TlsContext> client_tls;  // dialling side; nullopt: no TLS used
  Duration connect_timeout = std::chrono::seconds(10);
  Duration tls_timeout = std::chrono::seconds(30);  // one TLS handshake
  std::size_t queue_limit = 1000;                   // stanzas waiting per outbound stream
  // Inbound streams open at once from one IP address; more are refused with
  // <policy-violation/> (reason too_many_streams). A busy multi-domain peer needs one per
  // (its domain, our domain) pair.
  std::size_t max_inbound_per_address = 32;
  // Nothing read for this long: the stream's parser gives its memory back (about 11 kB).
  Duration hibernate_after = std::chrono::seconds(2);
  std::uint16_t default_port = 5269;  // RFC 6120 §3.2.2 fallback
  std::function<std::optional<StaticRoute>(std::string_view domain)> static_route;
};

}  // namespace fedgate::xmpp
