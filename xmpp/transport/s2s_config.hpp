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

#include "gateway/base/clock.hpp"
#include "gateway/net/tls_context.hpp"
#include "xmpp/codec/element.hpp"
#include "xmpp/codec/stanza.hpp"
#include "xmpp/stream/stream_config.hpp"
#include "xmpp/transport/shared_stream_config.hpp"

namespace fedgate::xmpp {

// Where authenticated inbound stanzas go (the switchboard). Called on the session's strand,
// up to 512 calls in flight per stream, started in stream order (StanzaPipeline). A call's
// completion is what lets its XEP-0198 <a h/> go out; a throw closes the stream without
// acknowledging that stanza (the peer resends it).
class StanzaHandler {
 public:
  virtual ~StanzaHandler() = default;
  virtual boost::asio::awaitable<void> on_stanza(Element stanza) = 0;
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
