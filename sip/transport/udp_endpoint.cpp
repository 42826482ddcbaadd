#include "sip/transport/udp_endpoint.hpp"

#include <fmt/format.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>

#include "sip/codec/error_response.hpp"
#include "sip/codec/framer.hpp"
#include "sip/transport/transport_error.hpp"

// GCC 12 (-O1, ASan) reports Asio's awaitable frame operator new/delete pair as mismatched
// once a child coroutine's frame allocation is inlined: a false positive.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace fedgate::sip {
namespace {

namespace asio = boost::asio;
using udp = asio::ip::udp;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kMaxDatagram = 65535;
constexpr std::uint16_t kDefaultSipPort = 5060;

std::optional<asio::ip::address> address_of(std::string_view host) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  boost::system::error_code ec;
  auto a = asio::ip::make_address(std::string(host), ec);
  return ec ? std::nullopt : std::optional(a);
}

std::optional<std::uint16_t> port_of(std::string_view text) {
  std::uint16_t port = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (ec != std::errc{} || end != text.data() + text.size() || port == 0) {
    return std::nullopt;
  }
  return port;
}

}  // namespace

void stamp_received(Request& request, const udp::endpoint& from) {
  if (request.via.empty()) {
    return;
  }
  Via& top = request.via.front();
  auto source = from.address().to_string();
  auto rport = top.rport();
  bool asked_rport = rport && rport->empty();
  if (asked_rport) {
    set_param(top.params, "rport", std::to_string(from.port()));
  }
  if (asked_rport || address_of(top.host) != from.address()) {
    set_param(top.params, "received", source);
  }
}

std::optional<udp::endpoint> response_destination(const MessageHeaders& headers) {
  if (headers.via.empty()) {
    return std::nullopt;
  }
  const Via& top = headers.via.front();
  auto address = address_of(top.received().value_or(top.host));
  if (!address) {
    return std::nullopt;
  }
  auto rport = top.rport();
  auto port = rport && !rport->empty() ? port_of(*rport) : top.port;
  return udp::endpoint(*address, port.value_or(kDefaultSipPort));
}

UdpEndpoint::UdpEndpoint(asio::any_io_executor ex, ConnectionDeps& deps)
    : strand_(asio::make_strand(ex)), socket_(strand_), deps_(deps) {}

UdpEndpoint::~UdpEndpoint() {
  if (sink_) {
    sink_->close();
  }
}

result<void> UdpEndpoint::open(const udp::endpoint& local) {
  boost::system::error_code ec;
  socket_.open(local.protocol(), ec);
  if (!ec) {
    socket_.bind(local, ec);
  }
  if (!ec) {
    socket_.non_blocking(true, ec);  // send_to from handles never blocks
  }
  if (ec) {
    return ec;
  }
  sink_ = std::make_shared<DatagramSink>(socket_, deps_.config.max_datagram_size);
  return {};
}

udp::endpoint UdpEndpoint::local_endpoint() const {
  boost::system::error_code ec;
  return socket_.local_endpoint(ec);
}

asio::awaitable<void> UdpEndpoint::run() {
  // The loop runs on strand_, where close() also runs, whichever executor awaits run().
  auto [failure] = co_await asio::co_spawn(strand_, receive_loop(), kNoThrow);
  (void)failure;
}

asio::awaitable<void> UdpEndpoint::receive_loop() {
  co_await asio::this_coro::reset_cancellation_state(asio::enable_total_cancellation());
  deps_.log.info("sip.transport.listening",
                 {{"transport", "udp"}, {"endpoint", local_endpoint().port()}});
  auto buffer = std::make_unique_for_overwrite<char[]>(kMaxDatagram);
  for (;;) {
    udp::endpoint from;
    auto [ec, n] = co_await socket_.async_receive_from(asio::buffer(buffer.get(), kMaxDatagram),
                                                       from, kNoThrow);
    if (ec == asio::error::operation_aborted || !socket_.is_open()) {
      co_return;
    }
    if (ec) {  // e.g. an ICMP port unreachable reported for an earlier send
      deps_.log.debug("sip.transport.udp_error", {{"error", ec.message()}});
      continue;
    }
    auto handling = on_datagram(std::string_view(buffer.get(), n), from);
    co_await std::move(handling);
  }
}

void UdpEndpoint::close() {
  asio::post(strand_, [this] {
    if (sink_) {
      sink_->close();  // first: no handle sends on a closed socket
    }
    boost::system::error_code ignored;
    socket_.close(ignored);
  });
}

ConnectionHandle UdpEndpoint::handle_for(const udp::endpoint& to) const {
  return ConnectionHandle(sink_, PeerKey(to.address().to_string(), to.port(), Transport::udp));
}

// RFC 3261 §18.2.1: stamp the top Via, then hand the message up with a handle that answers
// where §18.2.2 says (the source when the Via names no address).
asio::awaitable<void> UdpEndpoint::on_datagram(std::string_view bytes, const udp::endpoint& from) {
  auto frame = parse_datagram(bytes, deps_.config.limits);
  if (!frame) {
    reject(bytes, frame.error(), from);
    co_return;
  }
  auto* message = std::get_if<Message>(&*frame);
  if (message == nullptr) {
    co_return;  // CRLF keep-alives are a stream-transport mechanism (RFC 5626 uses STUN here)
  }
  deps_.metrics.message(Direction::inbound);
  auto reply = handle_for(from);
  if (auto* request = std::get_if<Request>(message)) {
    stamp_received(*request, from);
    if (auto to = response_destination(*request)) {
      reply = handle_for(*to);
    }
  }
  auto handling = deps_.handler.on_message(std::move(*message), reply);
  co_await std::move(handling);
}

// RFC 3261 §8.2.2 / §21.5.14: a request that does not parse gets a 400 (413, 505, 513 when
// too large) with the specific reason, sent back to its source; a malformed response is dropped.
void UdpEndpoint::reject(std::string_view bytes, const boost::system::error_code& ec,
                         const udp::endpoint& from) {
  auto errc = static_cast<ParseErrc>(ec.value());
  auto tag = fmt::format("fgu{}", ++rejected_count_);
  auto answer = make_error_response(bytes, status_for(errc), reason_phrase(errc), tag);
  std::string_view reason = answer ? "malformed_request" : "malformed_message";
  deps_.metrics.refused(reason);
  deps_.log.info("sip.transport.rejected", {{"peer", from.address().to_string()},
                                            {"transport", "udp"},
                                            {"reason", reason},
                                            {"error", ec.message()}});
  if (answer) {
    auto sent = sink_->send_to(*answer, from);
    (void)sent;
  }
}

}  // namespace fedgate::sip
