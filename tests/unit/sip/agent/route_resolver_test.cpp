// RouteResolver with a FakeResolver: the SRV chain _sipfederationtls, _sips, _sip._tls, then
// A/AAAA on 5061; "." refuses; static routes override DNS; a Route header wins; DNS failure.
#include "sip/bridge/route_resolver.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <thread>

#include "gateway/net/fake_resolver.hpp"
#include "sip/codec/parser.hpp"

namespace fedgate::sip {
namespace {

namespace asio = boost::asio;
using gateway::ResolverErrc;
using gateway::SrvTarget;

Request message_to(std::string uri, std::string route = "") {
  std::string text = "MESSAGE " + uri +
                     " SIP/2.0\r\nVia: SIP/2.0/TLS gw.corp.test;branch=z9hG4bK1\r\n" +
                     "From: <sip:a@corp.test>;tag=1\r\nTo: <" + uri + ">\r\nCall-ID: c\r\n" +
                     "CSeq: 1 MESSAGE\r\n" + (route.empty() ? "" : "Route: " + route + "\r\n") +
                     "Content-Length: 0\r\n\r\n";
  return parse_request(text).value();
}

struct RouteResolverTest : ::testing::Test {
  result<std::vector<NextHop>> hops(const Request& r) {
    asio::io_context io;
    auto f = asio::co_spawn(io, routes.next_hops(r), asio::use_future);
    io.run();
    return f.get();
  }
  gateway::FakeResolver dns;
  RouteResolver routes{dns, [](std::uint32_t) { return 0u; }};
};

TEST_F(RouteResolverTest, SipFederationTlsSrvComesFirst) {
  dns.set_srv("_sipfederationtls._tcp.partner.test",
              std::vector<SrvTarget>{{"sip.partner.test", 5061, 0, 0, 60}});
  dns.set_srv("_sips._tcp.partner.test",
              std::vector<SrvTarget>{{"other.partner.test", 5061, 0, 0, 60}});
  EXPECT_EQ(hops(message_to("sip:bob@partner.test")).value(),
            (std::vector<NextHop>{{"sip.partner.test", 5061, Transport::tls}}));
  EXPECT_EQ(dns.lookups("_sips._tcp.partner.test"), 0);
}

TEST_F(RouteResolverTest, FallsBackThroughSipsAndSipTlsToTheDomainOn5061) {
  dns.set_srv("_sip._tls.partner.test",
              std::vector<SrvTarget>{{"edge.partner.test", 5062, 0, 0, 60}});
  EXPECT_EQ(hops(message_to("sip:bob@partner.test")).value().front().host, "edge.partner.test");
  EXPECT_EQ(dns.lookups("_sips._tcp.partner.test"), 1);
  dns.set_host("plain.test",
               std::vector<gateway::AddressRecord>{{asio::ip::make_address("127.0.0.9"), 60}});
  EXPECT_EQ(hops(message_to("sip:bob@plain.test")).value(),
            (std::vector<NextHop>{{"plain.test", 5061, Transport::tls}}));
}

TEST_F(RouteResolverTest, SrvOrderIsPriorityThenNextTargetOnFailure) {
  dns.set_srv("_sipfederationtls._tcp.partner.test",
              std::vector<SrvTarget>{{"b.partner.test", 5061, 20, 0, 60},
                                     {"a.partner.test", 5061, 10, 0, 60}});
  auto list = hops(message_to("sip:bob@partner.test")).value();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].host, "a.partner.test");
  EXPECT_EQ(list[1].host, "b.partner.test");
}

TEST_F(RouteResolverTest, NoServiceDotAndUnknownDomainAreNoRoute) {
  dns.set_srv("_sipfederationtls._tcp.nosip.test", std::vector<SrvTarget>{{".", 0, 0, 0, 60}});
  EXPECT_EQ(hops(message_to("sip:bob@nosip.test")).error(), make_error_code(RouteErrc::no_route));
  EXPECT_EQ(hops(message_to("sip:bob@nowhere.test")).error(), make_error_code(RouteErrc::no_route));
  EXPECT_EQ(status_for(RouteErrc::no_route), 404);
}

TEST_F(RouteResolverTest, DnsTimeoutIsADnsFailure) {
  dns.set_srv("_sipfederationtls._tcp.slow.test", make_error_code(ResolverErrc::timeout));
  EXPECT_EQ(hops(message_to("sip:bob@slow.test")).error(), make_error_code(RouteErrc::dns_failure));
  EXPECT_EQ(status_for(RouteErrc::dns_failure), 503);
}

TEST_F(RouteResolverTest, StaticRoutesOverrideDnsAndBlockedRoutesRefuse) {
  dns.set_srv("_sipfederationtls._tcp.partner.test",
              std::vector<SrvTarget>{{"dns.partner.test", 5061, 0, 0, 60}});
  StaticRouteRow r{1, ".test.partner.*", "static.gw", 5070};
  StaticRouteRow b{2, ".test.evil.*", "x", 5061};
  b.blocked = true;
  routes.set_static_routes(std::make_shared<const StaticRoutes>(std::vector{r, b}));
  EXPECT_EQ(hops(message_to("sip:bob@partner.test")).value(),
            (std::vector<NextHop>{{"static.gw", 5070, Transport::tls}}));
  EXPECT_EQ(hops(message_to("sip:bob@evil.test")).error(), make_error_code(RouteErrc::blocked));
  EXPECT_EQ(status_for(RouteErrc::blocked), 403);
}

TEST_F(RouteResolverTest, RouteHeaderAndExplicitPortWin) {
  auto routed = message_to("sip:bob@partner.test", "<sip:proxy.corp.test:5099;lr>");
  EXPECT_EQ(hops(routed).value(),
            (std::vector<NextHop>{{"proxy.corp.test", 5099, Transport::tls}}));
  EXPECT_EQ(hops(message_to("sip:bob@127.0.0.1:5072")).value(),
            (std::vector<NextHop>{{"127.0.0.1", 5072, Transport::tls}}));
  EXPECT_EQ(dns.lookups("_sipfederationtls._tcp.partner.test"), 0);
}

}  // namespace
}  // namespace fedgate::sip

namespace fedgate::sip {
namespace {

// The edge's strand replaces the static routes while the agent's strand looks them up: every
// lookup sees one whole table, the old or the new (a torn shared_ptr would be a use after free
// under ASan, a data race under TSan).
TEST(RouteResolverSwap, LookupsOnOneThreadWhileAnotherReplacesTheTable) {
  gateway::FakeResolver dns;
  RouteResolver routes{dns, [](std::uint32_t) { return 0u; }};
  auto table = [](std::uint16_t port) {
    StaticRouteRow r{1, ".test.partner.*", "static.gw", port};
    return std::make_shared<const StaticRoutes>(std::vector{r});
  };
  routes.set_static_routes(table(5070));
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (std::uint16_t i = 0; i < 2000; ++i) {
      routes.set_static_routes(table(static_cast<std::uint16_t>(5070 + i % 2)));
    }
    done = true;
  });
  asio::io_context io;
  const Request request = message_to("sip:bob@partner.test");  // outlives each lookup
  int seen = 0;
  for (int i = 0; i < 2000 && (!done || i < 10); ++i) {
    auto f = asio::co_spawn(io, routes.next_hops(request), asio::use_future);
    io.restart();
    io.run();
    auto port = f.get().value().front().port;
    seen += (port == 5070 || port == 5071) ? 1 : 0;
    EXPECT_TRUE(port == 5070 || port == 5071);
  }
  writer.join();
  EXPECT_GE(seen, 10);
  EXPECT_NE(routes.static_routes(), nullptr);
}

}  // namespace
}  // namespace fedgate::sip
