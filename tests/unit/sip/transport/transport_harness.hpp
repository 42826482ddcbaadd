// Test harness for sip_net: one side of a SIP peering (listener, pool, metrics, a recording
// handler) on a shared io_context, certificates from gateway/net's test PKI, loopback port 0.
// Every wait is bounded (wait_until polls at most `limit`; run() runs at most 20 s).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gateway/base/metrics.hpp"
#include "gateway/base/task_group.hpp"
#include "gateway/net/fake_resolver.hpp"
#include "gateway/net/test_pki.hpp"
#include "sip/transport/connection_pool.hpp"
#include "sip/transport/listener.hpp"

namespace fedgate::sip::test {

// Records every message; answers requests with 200 OK when `answer` is set.
class RecordingHandler final : public MessageHandler {
 public:
  boost::asio::awaitable<void> on_message(Message message, ConnectionHandle from) override;
  std::vector<Message> received;
  std::vector<std::uint64_t> connections;  // the id of the connection each came on
  bool answer = true;
};

struct Side {
  Side(boost::asio::io_context& io, std::optional<gateway::TlsSettings> tls,
       TransportConfig config = {});
  result<void> start();  // listen on 127.0.0.1:0 and spawn the accept loop
  void stop();
  std::uint16_t port() const { return listener.local_endpoint().port(); }
  double refused(const std::string& reason) const;

  TransportConfig config;
  MetricsRegistry registry;
  SipTransportMetrics metrics{registry};
  RecordingHandler handler;
  ConnectionDeps deps{config, handler, metrics, Logger{}.with({{"side", "test"}})};
  TaskGroup tasks;
  gateway::FakeResolver resolver;
  ConnectionPool pool;
  Listener listener;
};

// A CA plus certificates for a.example and b.example (both client and server usage), with
// keys of `key_type`.
struct Pki {
  explicit Pki(gateway::KeyType key_type = gateway::KeyType::ec_p256);
  gateway::TlsSettings settings(const std::string& name) const;
  gateway::TestDir dir;
  std::optional<gateway::TestCa> ca;
};

// Polls `done` every 10 ms for at most `limit`; true when it held.
boost::asio::awaitable<bool> wait_until(const std::function<bool()>& done,
                                        Duration limit = std::chrono::seconds(5));
// Runs `work` to completion (at most 20 s), then stops the sides and drains them.
bool run(boost::asio::io_context& io, boost::asio::awaitable<void> work, std::vector<Side*> sides);
// An OPTIONS request from a.example to b.example, as wire bytes; `extra` holds header lines.
std::string options_request(const std::string& call_id, const std::string& extra = "");
// A raw TCP client: connects to 127.0.0.1:port, sends `bytes`, then reads until `until` or EOF
// (bounded by the server's timeouts and run()'s 20 s).
boost::asio::awaitable<void> exchange(std::uint16_t port, std::string bytes, std::string until,
                                      std::string& got);
// Reads from `socket` until `until` is in `got` (appending), EOF, or an error; false then.
// `until` by value: the coroutine may start after the caller's temporaries are gone.
boost::asio::awaitable<bool> read_until(boost::asio::ip::tcp::socket& socket, std::string& got,
                                        std::string until);
boost::asio::awaitable<void> sleep_for(Duration d);

}  // namespace fedgate::sip::test
