// The real c-ares path against a DNS responder on loopback written in the test.
#include "gateway/net/cares_resolver.hpp"

#include <gtest/gtest.h>

#include "dns_responder.hpp"
#include "run_awaitable.hpp"

namespace fedgate::gateway {
namespace {

class CaresResolverTest : public ::testing::Test {
 protected:
  std::unique_ptr<CaresResolver> make(std::chrono::milliseconds timeout = std::chrono::seconds(2)) {
    auto made =
        CaresResolver::create(io_.get_executor(), CaresOptions{dns_.address(), timeout, 1, false});
    EXPECT_TRUE(made) << made.error().message();
    return made ? std::move(*made) : nullptr;
  }
  boost::asio::io_context io_;
  DnsResponder dns_;
};

TEST_F(CaresResolverTest, SrvAnswerCarriesPriorityWeightPortAndTtl) {
  dns_.add_srv("_xmpp-server._tcp.partner.test", 10, 60, 5269, "xmpp1.partner.test", 300);
  dns_.add_srv("_xmpp-server._tcp.partner.test", 20, 0, 5270, "xmpp2.partner.test", 120);
  auto resolver = make();
  auto answer =
      run_awaitable(io_, resolver->resolve_srv(srv_name(SrvService::xmpp_server, "partner.test")));
  ASSERT_TRUE(answer) << answer.error().message();
  EXPECT_EQ(*answer, (std::vector<SrvTarget>{{"xmpp1.partner.test", 5269, 10, 60, 300},
                                             {"xmpp2.partner.test", 5270, 20, 0, 120}}));
}

TEST_F(CaresResolverTest, HostLookupReturnsIpv4ThenIpv6WithTtls) {
  dns_.add_a("xmpp1.partner.test", "127.0.0.7", 60);
  dns_.add_aaaa("xmpp1.partner.test", "::1", 30);
  auto resolver = make();
  auto answer = run_awaitable(io_, resolver->resolve_host("xmpp1.partner.test"));
  ASSERT_TRUE(answer) << answer.error().message();
  ASSERT_EQ(answer->size(), 2u);
  EXPECT_EQ((*answer)[0].address.to_string(), "127.0.0.7");
  EXPECT_EQ((*answer)[0].ttl, 60u);
  EXPECT_EQ((*answer)[1].address.to_string(), "::1");
  EXPECT_EQ((*answer)[1].ttl, 30u);
}

TEST_F(CaresResolverTest, UnknownNameIsNxdomainAndMissingTypeIsNoData) {
  dns_.add_a("only-a.partner.test", "127.0.0.8", 60);
  auto resolver = make();
  EXPECT_EQ(run_awaitable(io_, resolver->resolve_srv("_sip._tls.nowhere.test")).error(),
            ResolverErrc::not_found);
  EXPECT_EQ(run_awaitable(io_, resolver->resolve_srv("only-a.partner.test")).error(),
            ResolverErrc::no_data);
  auto v4_only = run_awaitable(io_, resolver->resolve_host("only-a.partner.test"));
  ASSERT_TRUE(v4_only);
  EXPECT_EQ(v4_only->size(), 1u);
}

TEST_F(CaresResolverTest, ServerFailureIsReported) {
  dns_.add_servfail("_sipfederationtls._tcp.broken.test");
  auto resolver = make();
  EXPECT_EQ(run_awaitable(io_, resolver->resolve_srv("_sipfederationtls._tcp.broken.test")).error(),
            ResolverErrc::server_failure);
}

TEST_F(CaresResolverTest, SilentServerTimesOutThroughTheTimer) {
  dns_.add_silent("_xmpps-server._tcp.slow.test");
  auto resolver = make(std::chrono::milliseconds(200));
  auto started = std::chrono::steady_clock::now();
  auto answer = run_awaitable(io_, resolver->resolve_srv("_xmpps-server._tcp.slow.test"));
  EXPECT_EQ(answer.error(), ResolverErrc::timeout);
  EXPECT_GE(dns_.queries(), 1);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
}

TEST_F(CaresResolverTest, IpLiteralNeedsNoQuery) {
  auto resolver = make();
  auto answer = run_awaitable(io_, resolver->resolve_host("192.0.2.10"));
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->front().address.to_string(), "192.0.2.10");
  EXPECT_EQ(dns_.queries(), 0);
}

TEST_F(CaresResolverTest, DestroyingTheResolverCancelsPendingLookups) {
  dns_.add_silent("_sips._tcp.slow.test");
  auto resolver = make(std::chrono::seconds(5));
  auto future = boost::asio::co_spawn(io_, resolver->resolve_srv("_sips._tcp.slow.test"),
                                      boost::asio::use_future);
  io_.run_for(std::chrono::milliseconds(100));
  resolver.reset();
  io_.restart();
  io_.run_for(std::chrono::seconds(2));
  ASSERT_EQ(future.wait_for(std::chrono::seconds(0)), std::future_status::ready);
  EXPECT_EQ(future.get().error(), ResolverErrc::cancelled);
}

TEST(CaresResolverCreate, MalformedServerListIsRefused) {
  boost::asio::io_context io;
  auto made = CaresResolver::create(io.get_executor(), CaresOptions{"not an address:x"});
  ASSERT_FALSE(made);
  EXPECT_EQ(made.error(), ResolverErrc::bad_server);
}

TEST(SrvName, BuildsTheFiveServiceNames) {
  EXPECT_EQ(srv_name(SrvService::xmpps_server, "a.test"), "_xmpps-server._tcp.a.test");
  EXPECT_EQ(srv_name(SrvService::xmpp_server, "a.test"), "_xmpp-server._tcp.a.test");
  EXPECT_EQ(srv_name(SrvService::sipfederationtls, "a.test"), "_sipfederationtls._tcp.a.test");
  EXPECT_EQ(srv_name(SrvService::sips, "a.test"), "_sips._tcp.a.test");
  EXPECT_EQ(srv_name(SrvService::sip_tls, "a.test"), "_sip._tls.a.test");
}

}  // namespace
}  // namespace fedgate::gateway
