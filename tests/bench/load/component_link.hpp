// ComponentLink: an XEP-0114 external component connection (jabber:component:accept) from the
// load generator to Prosody or ejabberd — stream header, SHA-1 handshake, then stanzas both
// ways, parsed with fedgate's xmpp/codec StreamParser. Plain TCP on loopback, as XEP-0114
// components are. Owned by the baseline run; generator thread only.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "gateway/base/clock.hpp"
#include "xmpp/codec/element.hpp"
#include "xmpp/codec/stream_parser.hpp"

namespace fedgate::load {

inline constexpr std::string_view kNsComponentAccept = "jabber:component:accept";

struct ComponentEndpoint {
  std::string addr;  // the server's component listener
  std::uint16_t port = 0;
  std::string domain;  // the component's domain, e.g. comp.home.test
  std::string secret;
};

// "ADDR:PORT:DOMAIN:SECRET"; nullopt when malformed.
std::optional<ComponentEndpoint> parse_component(const std::string& text);
// XEP-0114 §3: lower-case hex SHA-1 of the stream id followed by the secret.
std::string handshake_digest(std::string_view stream_id, std::string_view secret);

class ComponentLink {
 public:
  ComponentLink(boost::asio::io_context& io, ComponentEndpoint endpoint,
                std::function<void(xmpp::Element)> on_stanza);

  // Connects and authenticates; empty on success, else what failed.
  boost::asio::awaitable<std::string> connect(Duration limit);
  // Queues `stanza` (elements in jabber:server are written without a namespace, so they take
  // the stream's); the writer sends what has accumulated in one write.
  void send(const xmpp::Element& stanza);
  void close();
  const std::string& domain() const { return endpoint_.domain; }

 private:
  boost::asio::awaitable<std::optional<xmpp::StreamEvent>> next_event();
  boost::asio::awaitable<void> read_loop();
  boost::asio::awaitable<void> write_loop();

  boost::asio::io_context& io_;
  ComponentEndpoint endpoint_;
  std::function<void(xmpp::Element)> on_stanza_;
  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer write_wake_;
  xmpp::StreamParser parser_;
  std::string out_;
  bool closed_ = false;
  bool authenticated_ = false;
};

}  // namespace fedgate::load
