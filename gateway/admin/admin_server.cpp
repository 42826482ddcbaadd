#include "gateway/admin/admin_server.hpp"

#include <openssl/crypto.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/system/errc.hpp>
#include <charconv>

namespace fedgate::gateway {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
inline constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

namespace {

constexpr std::size_t kBodyLimit = 64 * 1024;
constexpr auto kReadTimeout = std::chrono::seconds(30);
constexpr int kMaxRequestsPerConnection = 1000;

std::string url_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int v = 0;
      auto [p, ec] = std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
      if (ec == std::errc{} && p == s.data() + i + 3) {
        out += static_cast<char>(v);
        i += 2;
        continue;
      }
    }
    out += s[i] == '+' ? ' ' : s[i];
  }
  return out;
}

AdminRequest to_request(const http::request<http::string_body>& req) {
  AdminRequest out;
  out.method = std::string(req.method_string());
  std::string_view target = req.target();
  auto q = target.find('?');
  out.path = std::string(target.substr(0, q));
  if (q != std::string_view::npos) {
    std::string_view rest = target.substr(q + 1);
    while (!rest.empty()) {
      auto amp = rest.find('&');
      auto pair = rest.substr(0, amp);
      auto eq = pair.find('=');
      out.query[url_decode(pair.substr(0, eq))] =
          eq == std::string_view::npos ? "" : url_decode(pair.substr(eq + 1));
      rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    }
  }
  out.body = req.body();
  return out;
}

bool token_matches(std::string_view authorization, const std::string& token) {
  constexpr std::string_view kBearer = "Bearer ";
  if (token.empty() || authorization.substr(0, kBearer.size()) != kBearer) {
    return false;
  }
  auto given = authorization.substr(kBearer.size());
  return given.size() == token.size() &&
         CRYPTO_memcmp(given.data(), token.data(), token.size()) == 0;
}

AdminReply json_error(unsigned status, std::string_view reason) {
  return {status, "application/json", fmt::format("{{\"error\":\"{}\"}}\n", reason)};
}

}  // namespace

AdminServer::AdminServer(asio::any_io_executor ex, std::string token, AdminRoutes routes,
                         MetricsRegistry& metrics, Logger log)
    : acceptor_(ex),
      token_(std::move(token)),
      routes_(std::move(routes)),
      requests_ok_(metrics.counter("fedgate_admin_requests_total", "Admin HTTP requests",
                                   {{"outcome", "ok"}})),
      requests_unauthorized_(metrics.counter("fedgate_admin_requests_total", "",
                                             {{"outcome", "unauthorized"}})),
      requests_not_found_(
          metrics.counter("fedgate_admin_requests_total", "", {{"outcome", "not_found"}})),
      log_(std::move(log)) {}

result<tcp::endpoint> AdminServer::listen(const tcp::endpoint& where) {
  boost::system::error_code ec;
  acceptor_.open(where.protocol(), ec);
  if (!ec) {
    acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  }
  if (!ec) {
    acceptor_.bind(where, ec);
  }
  if (!ec) {
    acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    acceptor_.close();
    return ec;
  }
  return acceptor_.local_endpoint();
}

void AdminServer::close() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
}

asio::awaitable<void> AdminServer::run() {
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(asio::make_strand(acceptor_.get_executor()), kNoThrow);
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) {
      co_return;
    }
    if (ec) {
      log_.warn("admin.accept_failed", {{"error", ec.message()}});
      continue;
    }
    auto ex = socket.get_executor();
    asio::co_spawn(ex, serve(std::move(socket)), asio::detached);
  }
}

AdminReply AdminServer::dispatch(const AdminRequest& req, std::string_view authorization) const {
  if (req.path == "/healthz") {
    return {200, "text/plain", "ok\n"};
  }
  if (req.path == "/readyz") {
    return routes_.ready ? routes_.ready() : AdminReply{503, "text/plain", "not ready\n"};
  }
  if (!token_matches(authorization, token_)) {
    requests_unauthorized_.inc();
    return json_error(401, "missing_or_bad_bearer_token");
  }
  if (req.path == "/metrics" && routes_.metrics) {
    return {200, "text/plain; version=0.0.4", routes_.metrics()};
  }
  if (auto it = routes_.api.find(req.path); it != routes_.api.end()) {
    return it->second(req);
  }
  requests_not_found_.inc();
  return json_error(404, "no_such_route");
}

asio::awaitable<void> AdminServer::serve(tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  for (int n = 0; n < kMaxRequestsPerConnection; ++n) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(kBodyLimit);
    parser.header_limit(16 * 1024);
    stream.expires_after(kReadTimeout);
    auto [ec, bytes] = co_await http::async_read(stream, buffer, parser, kNoThrow);
    if (ec) {
      co_return;  // closed, timed out or malformed: nothing useful to answer
    }
    const auto& req = parser.get();
    AdminReply reply = dispatch(to_request(req), req[http::field::authorization]);
    if (reply.status < 400) {
      requests_ok_.inc();
    }
    http::response<http::string_body> res{static_cast<http::status>(reply.status), req.version()};
    res.set(http::field::server, "fedgate");
    res.set(http::field::content_type, reply.content_type);
    if (reply.status == 401) {
      res.set(http::field::www_authenticate, "Bearer");
    }
    res.keep_alive(req.keep_alive());
    res.body() = std::move(reply.body);
    res.prepare_payload();
    stream.expires_after(kReadTimeout);
    auto [wec, wbytes] = co_await http::async_write(stream, res, kNoThrow);
    if (wec || !res.keep_alive()) {
      break;
    }
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

result<tcp::endpoint> parse_endpoint(std::string_view text) {
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return boost::system::errc::make_error_code(boost::system::errc::invalid_argument);
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      return boost::system::errc::make_error_code(boost::system::errc::invalid_argument);
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  unsigned p = 0;
  auto [ptr, pec] = std::from_chars(port.data(), port.data() + port.size(), p);
  if (pec != std::errc{} || ptr != port.data() + port.size() || p > 65535) {
    return boost::system::errc::make_error_code(boost::system::errc::invalid_argument);
  }
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(std::string(host), ec);
  if (ec) {
    return ec;
  }
  return tcp::endpoint(addr, static_cast<unsigned short>(p));
}

}  // namespace fedgate::gateway
