#include "transport_harness.hpp"

// GCC 12 (-O1, ASan) inlines a child coroutine's frame allocation into its caller and then
// reports Asio's awaitable_frame_base operator new/delete pair as mismatched: a false
// positive (the frame is allocated and freed by that class's own pair).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <exception>

#include "sip/codec/error_response.hpp"

namespace fedgate::sip::test {

namespace asio = boost::asio;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

asio::awaitable<void> RecordingHandler::on_message(Message message, ConnectionHandle from) {
  connections.push_back(from.id());
  if (answer) {
    if (const auto* request = std::get_if<Request>(&message)) {
      auto sent = from.send(Message{make_error_response(*request, 200, "OK", "t1")});
      (void)sent;
    }
  }
  received.push_back(std::move(message));
  co_return;
}

namespace {

std::optional<gateway::TlsContext> server_context(const std::optional<gateway::TlsSettings>& s) {
  if (!s) {
    return std::nullopt;
  }
  auto ctx = gateway::TlsContext::server(*s);
  return ctx ? std::optional(*ctx) : std::nullopt;
}

std::optional<gateway::TlsContext> client_context(const std::optional<gateway::TlsSettings>& s) {
  if (!s) {
    return std::nullopt;
  }
  auto ctx = gateway::TlsContext::client(*s);
  return ctx ? std::optional(*ctx) : std::nullopt;
}

}  // namespace

Side::Side(asio::io_context& io, std::optional<gateway::TlsSettings> tls, TransportConfig c)
    : config(std::move(c)),
      tasks(io.get_executor()),
      pool(io.get_executor(), tasks, deps, resolver, client_context(tls)),
      listener(io.get_executor(), tasks, deps, server_context(tls)) {
  deps.pool = &pool;
}

result<void> Side::start() {
  auto listening = listener.listen({asio::ip::make_address("127.0.0.1"), 0});
  if (listening) {
    asio::co_spawn(listener.executor(), listener.run(), asio::detached);
  }
  return listening;
}

void Side::stop() {
  listener.close();
  tasks.cancel();
}

double Side::refused(const std::string& reason) const {
  return registry.value("fedgate_sip_transport_refusals_total", {{"reason", reason}});
}

Pki::Pki(gateway::KeyType key_type) {
  auto created = gateway::TestCa::create(dir.path());
  if (created) {
    ca = std::move(*created);
    auto spec_a = gateway::good_spec("a.example");
    auto spec_b = gateway::good_spec("b.example");
    spec_a.key_type = spec_b.key_type = key_type;
    auto a = ca->issue("a", spec_a);
    auto b = ca->issue("b", spec_b);
    (void)a;
    (void)b;
  }
}

gateway::TlsSettings Pki::settings(const std::string& name) const {
  gateway::TlsSettings s;
  s.identity = {dir.path() / (name + ".pem"), dir.path() / (name + ".key")};
  s.ca = ca->cert_pem();
  return s;
}

asio::awaitable<bool> wait_until(const std::function<bool()>& done, Duration limit) {
  auto ex = co_await asio::this_coro::executor;
  asio::steady_timer timer(ex);
  auto deadline = Clock::now() + limit;
  while (!done() && Clock::now() < deadline) {
    timer.expires_after(std::chrono::milliseconds(10));
    co_await timer.async_wait(asio::use_awaitable);
  }
  co_return done();
}

bool run(asio::io_context& io, asio::awaitable<void> work, std::vector<Side*> sides) {
  bool finished = false;
  std::exception_ptr failure;
  asio::co_spawn(io, std::move(work), [&](std::exception_ptr e) {
    finished = true;
    failure = e;
    io.stop();
  });
  io.run_for(std::chrono::seconds(20));
  for (auto* side : sides) {
    side->stop();
  }
  auto busy = [&] {
    return std::any_of(sides.begin(), sides.end(), [](Side* s) { return s->tasks.size() > 0; });
  };
  io.restart();
  for (int i = 0; i < 300 && busy(); ++i) {
    io.run_for(std::chrono::milliseconds(10));
  }
  io.run_for(std::chrono::milliseconds(20));
  if (failure) {
    std::rethrow_exception(failure);
  }
  return finished;
}

std::string options_request(const std::string& call_id, const std::string& extra) {
  return "OPTIONS sip:b.example SIP/2.0\r\n"
         "Via: SIP/2.0/TLS a.example;branch=z9hG4bK" +
         call_id +
         "\r\n"
         "Max-Forwards: 70\r\n"
         "From: <sip:alice@a.example>;tag=1\r\n"
         "To: <sip:b.example>\r\n"
         "Call-ID: " +
         call_id +
         "\r\n"
         "CSeq: 1 OPTIONS\r\n" +
         extra + "Content-Length: 0\r\n\r\n";
}

asio::awaitable<void> exchange(std::uint16_t port, std::string bytes, std::string until,
                               std::string& got) {
  auto ex = co_await asio::this_coro::executor;
  asio::ip::tcp::socket socket(ex);
  asio::ip::tcp::endpoint to(asio::ip::make_address("127.0.0.1"), port);
  auto connected = co_await socket.async_connect(to, kNoThrow);
  if (std::get<0>(connected)) {
    co_return;
  }
  auto sent = co_await asio::async_write(socket, asio::buffer(bytes), kNoThrow);
  (void)sent;
  auto reading = read_until(socket, got, until);
  co_await std::move(reading);
}

asio::awaitable<bool> read_until(asio::ip::tcp::socket& socket, std::string& got,
                                 std::string until) {
  char buffer[2048];
  while (got.find(until) == std::string::npos) {
    auto [ec, n] = co_await socket.async_read_some(asio::buffer(buffer), kNoThrow);
    if (ec) {
      co_return false;
    }
    got.append(buffer, n);
  }
  co_return true;
}

asio::awaitable<void> sleep_for(Duration d) {
  asio::steady_timer timer(co_await asio::this_coro::executor, d);
  auto waited = co_await timer.async_wait(kNoThrow);
  (void)waited;
}

}  // namespace fedgate::sip::test
