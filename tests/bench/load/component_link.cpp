#include "tests/bench/load/component_link.hpp"

#include <openssl/sha.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "xmpp/codec/namespaces.hpp"

// GCC 12 (-O1, ASan): Asio coroutine frame new/delete false positive (see sip_net).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace fedgate::load {

namespace asio = boost::asio;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

std::optional<ComponentEndpoint> parse_component(const std::string& text) {
  ComponentEndpoint e;
  std::array<std::string*, 4> fields = {&e.addr, nullptr, &e.domain, &e.secret};
  std::string port;
  fields[1] = &port;
  std::size_t start = 0;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    auto end = i + 1 < fields.size() ? text.find(':', start) : text.size();
    if (end == std::string::npos) {
      return std::nullopt;
    }
    *fields[i] = text.substr(start, end - start);
    start = end + 1;
  }
  if (port.empty() || port.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  e.port = static_cast<std::uint16_t>(std::stoi(port));
  return e;
}

std::string handshake_digest(std::string_view stream_id, std::string_view secret) {
  std::string input(stream_id);
  input += secret;
  std::array<unsigned char, SHA_DIGEST_LENGTH> digest{};
  SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest.data());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : digest) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

ComponentLink::ComponentLink(asio::io_context& io, ComponentEndpoint endpoint,
                             std::function<void(xmpp::Element)> on_stanza)
    : io_(io),
      endpoint_(std::move(endpoint)),
      on_stanza_(std::move(on_stanza)),
      socket_(io),
      write_wake_(io) {}

asio::awaitable<std::optional<xmpp::StreamEvent>> ComponentLink::next_event() {
  std::array<char, 16384> buffer{};
  for (;;) {
    if (auto event = parser_.next()) {
      co_return event;
    }
    auto reading = socket_.async_read_some(asio::buffer(buffer), kNoThrow);
    auto [ec, n] = co_await std::move(reading);
    if (ec) {
      co_return std::nullopt;
    }
    parser_.feed(std::string_view(buffer.data(), n));
  }
}

asio::awaitable<std::string> ComponentLink::connect(Duration limit) {
  asio::steady_timer guard(io_);
  guard.expires_after(limit);
  guard.async_wait([this](boost::system::error_code ec) {
    if (!ec && !authenticated_) {
      boost::system::error_code ignored;
      socket_.cancel(ignored);  // a silent server: the handshake below ends with an error
    }
  });
  asio::ip::tcp::endpoint server{asio::ip::make_address(endpoint_.addr), endpoint_.port};
  auto connecting = socket_.async_connect(server, kNoThrow);
  auto [cec] = co_await std::move(connecting);
  if (cec) {
    co_return "connect " + endpoint_.addr + ": " + cec.message();
  }
  std::string header =
      "<?xml version='1.0'?><stream:stream xmlns='jabber:component:accept' "
      "xmlns:stream='http://etherx.jabber.org/streams' to='" +
      endpoint_.domain + "'>";
  auto writing = asio::async_write(socket_, asio::buffer(header), kNoThrow);
  co_await std::move(writing);
  auto reading = next_event();
  auto event = co_await std::move(reading);
  const auto* h = event ? std::get_if<xmpp::StreamHeader>(&*event) : nullptr;
  if (h == nullptr || h->id.empty()) {
    co_return "no stream header with an id from " + endpoint_.domain;
  }
  std::string handshake =
      "<handshake>" + handshake_digest(h->id, endpoint_.secret) + "</handshake>";
  auto shaking = asio::async_write(socket_, asio::buffer(handshake), kNoThrow);
  co_await std::move(shaking);
  auto answering = next_event();
  auto answer = co_await std::move(answering);
  const auto* e = answer ? std::get_if<xmpp::Element>(&*answer) : nullptr;
  if (e == nullptr || e->name != "handshake") {
    co_return "handshake refused for " + endpoint_.domain;
  }
  authenticated_ = true;
  guard.cancel();
  asio::co_spawn(io_, read_loop(), asio::detached);
  asio::co_spawn(io_, write_loop(), asio::detached);
  co_return std::string{};
}

asio::awaitable<void> ComponentLink::read_loop() {
  while (!closed_) {
    auto reading = next_event();
    auto event = co_await std::move(reading);
    if (!event) {
      co_return;
    }
    if (auto* e = std::get_if<xmpp::Element>(&*event)) {
      on_stanza_(std::move(*e));
    } else {
      co_return;  // </stream:stream> or a parse failure
    }
  }
}

asio::awaitable<void> ComponentLink::write_loop() {
  std::string writing;
  while (!closed_) {
    if (out_.empty()) {
      write_wake_.expires_after(std::chrono::seconds(1));
      auto waiting = write_wake_.async_wait(kNoThrow);
      co_await std::move(waiting);
      continue;
    }
    writing.clear();
    writing.swap(out_);
    auto sending = asio::async_write(socket_, asio::buffer(writing), kNoThrow);
    auto [ec, n] = co_await std::move(sending);
    if (ec) {
      co_return;
    }
  }
}

void ComponentLink::send(const xmpp::Element& stanza) {
  const bool idle = out_.empty();
  xmpp::serialize(stanza, out_, xmpp::SerializeContext{xmpp::kNsServer, false, false});
  if (idle) {
    write_wake_.cancel();
  }
}

void ComponentLink::close() {
  closed_ = true;
  write_wake_.cancel();
  boost::system::error_code ignored;
  socket_.close(ignored);
}

}  // namespace fedgate::load
