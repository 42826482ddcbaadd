// AdminServer: the node's HTTP endpoint (Boost.Beast): /healthz, /readyz, /metrics and the
// /api/v1 routes. Owned by the Node; runs its accept loop and one coroutine per connection on
// the Node's io_context. Everything but /healthz and /readyz needs the bearer token.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <functional>
#include <map>
#include <string>

#include "gateway/base/log.hpp"
#include "gateway/base/metrics.hpp"
#include "gateway/base/result.hpp"

namespace fedgate::gateway {

struct AdminReply {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
};

struct AdminRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // without the query
  std::map<std::string, std::string> query;
  std::string body;
};

// A route handler runs on the connection's strand; it must not block.
using AdminHandler = std::function<AdminReply(const AdminRequest&)>;

struct AdminRoutes {
  std::function<AdminReply()> ready;    // /readyz: 200 when the node can take traffic, else 503
  std::function<std::string()> metrics;  // /metrics: Prometheus text
  std::map<std::string, AdminHandler> api;  // "/api/v1/..." → handler (token required)
};

class AdminServer {
 public:
  AdminServer(boost::asio::any_io_executor ex, std::string token, AdminRoutes routes,
              MetricsRegistry& metrics, Logger log);
  // Binds and listens; returns the bound endpoint (port 0 picks a free port).
  result<boost::asio::ip::tcp::endpoint> listen(const boost::asio::ip::tcp::endpoint& where);
  // Accept loop; returns when cancelled or the acceptor is closed.
  boost::asio::awaitable<void> run();
  void close();
  bool listening() const { return acceptor_.is_open(); }

 private:
  boost::asio::awaitable<void> serve(boost::asio::ip::tcp::socket socket);
  AdminReply dispatch(const AdminRequest& req, std::string_view authorization) const;

  boost::asio::ip::tcp::acceptor acceptor_;
  std::string token_;
  AdminRoutes routes_;
  Counter& requests_ok_;
  Counter& requests_unauthorized_;
  Counter& requests_not_found_;
  Logger log_;
};

// Parses "host:port", "[v6]:port" into an endpoint; the host must be a literal address.
result<boost::asio::ip::tcp::endpoint> parse_endpoint(std::string_view text);

}  // namespace fedgate::gateway
