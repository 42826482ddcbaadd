// What an operator reads when s2s security refuses or authenticates a peer: one warn line per
// refusal naming the peer's domain, the stable reason and the certificate specifics (expected
// and presented names, the chain's verdict and issuer), and the method on every authenticated
// line (STYLE.md B6/B7; RFC 6120 §13.7.2; XEP-0178; XEP-0220). Logs go to a scratch file.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <exception>
#include <fstream>
#include <iterator>

#include "gateway/base/log.hpp"
#include "s2s_harness.hpp"

namespace fedgate::xmpp::test {
namespace {

namespace asio = boost::asio;
const DomainPair kAtoB{"a.example", "b.example"};

// Sends every log line of the test to a scratch file; standard error again afterwards.
class LogFile {
 public:
  LogFile() { init_logging(LogOptions{LogLevel::info, "", (dir_.path() / "s2s.log").string()}); }
  ~LogFile() { init_logging(LogOptions{}); }
  LogFile(const LogFile&) = delete;
  LogFile& operator=(const LogFile&) = delete;
  // The lines holding every one of `parts`.
  std::vector<std::string> lines_with(std::initializer_list<std::string_view> parts) const {
    std::vector<std::string> out;
    std::ifstream in(dir_.path() / "s2s.log");
    for (std::string line; std::getline(in, line);) {
      bool all = true;
      for (auto p : parts) {
        all = all && line.find(p) != std::string::npos;
      }
      if (all) {
        out.push_back(line);
      }
    }
    return out;
  }
  std::string line_with(std::initializer_list<std::string_view> parts) const {
    auto found = lines_with(parts);
    return found.empty() ? std::string() : found.front();
  }

 private:
  gateway::TestDir dir_;
};

TEST(S2sSecurityLog, AnOutboundRefusalNamesThePeerTheReasonAndTheCertificate) {
  LogFile log;
  Pki pki;
  asio::io_context io;
  Side a(io, pki, "a.example", "a");
  Side b(io, pki, "b.example", "b-self");
  a.route("b.example", b.listen());
  a.pool->send(kAtoB, chat("alice@a.example", "bob@b.example", "to an impostor"));
  ASSERT_TRUE(run_until(io, [&] { return !a.bounced.empty(); }));
  const auto line = log.line_with({"warning", "xmpp.s2s.refused", "conn=out-"});
  EXPECT_NE(line.find(" peer=b.example local=a.example reason=cert_untrusted_issuer detail=\""
                      "expected b.example; presented b.example; chain untrusted_issuer; issuer "),
            std::string::npos)
      << line;
}

TEST(S2sSecurityLog, AnInboundRefusalNamesTheDomainTheCertificateFailedFor) {
  LogFile log;
  Pki pki;
  asio::io_context io;
  Side a(io, pki, "a.example", "a-self");
  Side b(io, pki, "b.example", "b");
  a.route("b.example", b.listen());
  a.pool->send(kAtoB, chat("alice@a.example", "bob@b.example", "from an impostor"));
  ASSERT_TRUE(run_until(io, [&] { return !a.bounced.empty(); }));
  const auto line = log.line_with({"xmpp.s2s.refused", "conn=in-"});
  EXPECT_NE(line.find(" remote=a.example reason=cert_untrusted_issuer detail=\"expected a.example;"
                      " presented a.example; chain untrusted_issuer; issuer "),
            std::string::npos)
      << line;
}

TEST(S2sSecurityLog, AuthenticatedLinesSayHow) {
  LogFile log;
  Pki pki;
  asio::io_context io;
  Side a(io, pki, "a.example", "a");
  Side b(io, pki, "b.example", "b");
  a.route("b.example", b.listen());
  a.pool->send(kAtoB, chat("alice@a.example", "bob@b.example", "hello"));
  ASSERT_TRUE(run_until(io, [&] { return !b.handler.stanzas.empty(); }));
  EXPECT_NE(log.line_with({"xmpp.s2s.authenticated", "conn=out-", "peer=b.example",
                           "local=a.example remote=b.example method=sasl_external"}),
            "");
  EXPECT_NE(log.line_with({"xmpp.s2s.authenticated", "conn=in-",
                           "local=b.example remote=a.example method=sasl_external"}),
            "");
}

TEST(S2sSecurityLog, DialbackStreamsSayDialback) {
  LogFile log;
  Pki pki;
  asio::io_context io;
  Side a(io, pki, "a.example", "a");
  Side b(io, pki, "b.example", "b");
  dialback_pair(a, b);
  a.pool->send(kAtoB, chat("alice@a.example", "bob@b.example", "hello"));
  ASSERT_TRUE(run_until(io, [&] { return !b.handler.stanzas.empty(); }));
  EXPECT_NE(log.line_with({"xmpp.s2s.authenticated", "conn=out-",
                           "local=a.example remote=b.example method=dialback"}),
            "");
  EXPECT_NE(log.line_with({"xmpp.s2s.authenticated", "conn=in-",
                           "local=b.example remote=a.example method=dialback"}),
            "");
}

// A receiving server that answers fedgate's dialback request with type='invalid' (XEP-0220
// example 3) and then waits for the close.
asio::awaitable<void> refuse_dialback(asio::ip::tcp::acceptor& acceptor) {
  auto socket = co_await acceptor.async_accept(asio::use_awaitable);
  std::string in(4096, '\0');
  auto buffer = asio::buffer(in);
  co_await socket.async_read_some(buffer, asio::use_awaitable);  // fedgate's header
  const std::string hello =
      "<?xml version='1.0'?><stream:stream xmlns='jabber:server' "
      "xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback' "
      "from='b.example' to='a.example' id='b1' version='1.0'><stream:features>"
      "<dialback xmlns='urn:xmpp:features:dialback'/></stream:features>";
  auto hello_buffer = asio::buffer(hello);
  co_await asio::async_write(socket, hello_buffer, asio::use_awaitable);
  co_await socket.async_read_some(buffer, asio::use_awaitable);  // its db:result
  const std::string invalid = "<db:result from='b.example' to='a.example' type='invalid'/>";
  auto invalid_buffer = asio::buffer(invalid);
  co_await asio::async_write(socket, invalid_buffer, asio::use_awaitable);
  co_await socket.async_read_some(buffer, asio::use_awaitable);  // </stream:stream>
}

TEST(S2sSecurityLog, ADialbackRefusalIsOneLine) {
  LogFile log;
  Pki pki;
  asio::io_context io;
  Side a(io, pki, "a.example", "a");
  a.dialback_only();
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  asio::co_spawn(io, refuse_dialback(acceptor), [](std::exception_ptr) {});
  a.route("b.example", acceptor.local_endpoint().port());
  a.pool->send(kAtoB, chat("alice@a.example", "bob@b.example", "hello"));
  ASSERT_TRUE(run_until(io, [&] { return !a.bounced.empty(); }));
  EXPECT_EQ(log.lines_with({"xmpp.s2s.refused", "reason=dialback_invalid"}).size(), 1u);
  EXPECT_EQ(a.metric("fedgate_xmpp_s2s_refused_total", {{"reason", "dialback_invalid"}}), 1);
}

}  // namespace
}  // namespace fedgate::xmpp::test
