// Discovery order: static route, then _xmpps-server (Direct TLS), then _xmpp-server, then the
// domain itself on 5269 (RFC 6120 §3.2, XEP-0368), over a FakeResolver.
#include "xmpp/transport/s2s_discovery.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "gateway/net/fake_resolver.hpp"

namespace fedgate::xmpp {
namespace {

namespace asio = boost::asio;
using gateway::SrvService;
using gateway::SrvTarget;

std::vector<S2sCandidate> run_discover(const S2sConfig& config, gateway::Resolver& resolver,
                                       std::string domain = "b.example") {
  asio::io_context io;
  auto random = [](std::uint32_t) { return std::uint32_t{0}; };
  auto found =
      asio::co_spawn(io, discover(std::move(domain), config, resolver, random), asio::use_future);
  io.run_for(std::chrono::seconds(5));
  return found.get();
}

TEST(S2sDiscovery, DirectTlsTargetsComeFirstThenStartTlsInPriorityOrder) {
  gateway::FakeResolver resolver;
  resolver.set_srv(gateway::srv_name(SrvService::xmpps_server, "b.example"),
                   std::vector{SrvTarget{"tls.b.example", 5270, 10, 0, 60}});
  resolver.set_srv(gateway::srv_name(SrvService::xmpp_server, "b.example"),
                   std::vector{SrvTarget{"two.b.example", 5269, 20, 0, 60},
                               SrvTarget{"one.b.example", 5269, 10, 0, 60}});
  S2sConfig config;
  config.client_tls = gateway::TlsContext::client({}).value();
  auto got = run_discover(config, resolver);
  std::vector<S2sCandidate> want{{"tls.b.example", 5270, true},
                                 {"one.b.example", 5269, false},
                                 {"two.b.example", 5269, false}};
  EXPECT_EQ(got, want);
}

TEST(S2sDiscovery, NoSrvRecordsFallBackToTheDomainOnTheDefaultPort) {
  gateway::FakeResolver resolver;
  S2sConfig config;
  auto got = run_discover(config, resolver);
  EXPECT_EQ(got, (std::vector<S2sCandidate>{{"b.example", 5269, false}}));
}

// RFC 7622 §3.2: the domain is compared as U-labels, but DNS is asked with A-labels.
TEST(S2sDiscovery, InternationalisedDomainsAreLookedUpByTheirALabels) {
  gateway::FakeResolver resolver;
  resolver.set_srv(gateway::srv_name(SrvService::xmpp_server, "xn--bcher-kva.example"),
                   std::vector{SrvTarget{"xmpp.xn--bcher-kva.example", 5269, 0, 0, 60}});
  S2sConfig config;
  auto got = run_discover(config, resolver,
                          "b\xC3\xBC"
                          "cher.example");
  EXPECT_EQ(got, (std::vector<S2sCandidate>{{"xmpp.xn--bcher-kva.example", 5269, false}}));
  EXPECT_EQ(run_discover(config, resolver, "\xC3\xA4\xC3\xB6\xC3\xBC.example"),
            (std::vector<S2sCandidate>{{"xn--4ca0bs.example", 5269, false}}));
}

TEST(S2sDiscovery, StaticRouteOverridesDns) {
  gateway::FakeResolver resolver;
  resolver.set_srv(gateway::srv_name(SrvService::xmpp_server, "b.example"),
                   std::vector{SrvTarget{"dns.b.example", 5269, 0, 0, 60}});
  S2sConfig config;
  config.static_route = [](std::string_view) {
    return std::optional<StaticRoute>(StaticRoute{"10.0.0.7", 15269, false});
  };
  auto got = run_discover(config, resolver);
  EXPECT_EQ(got, (std::vector<S2sCandidate>{{"10.0.0.7", 15269, false}}));
  EXPECT_EQ(resolver.lookups(gateway::srv_name(SrvService::xmpp_server, "b.example")), 0);
}

TEST(S2sDiscovery, NoServiceAnswerStopsWithoutFallback) {
  gateway::FakeResolver resolver;
  resolver.set_srv(gateway::srv_name(SrvService::xmpp_server, "b.example"),
                   std::vector{SrvTarget{".", 0, 0, 0, 60}});
  S2sConfig config;
  EXPECT_TRUE(run_discover(config, resolver).empty());
}

}  // namespace
}  // namespace fedgate::xmpp
