// The c-ares resolver against a real unbound serving SRV, A and AAAA records for *.test.
#include <gtest/gtest.h>

#include <thread>

#include "gateway/net/caching_resolver.hpp"
#include "gateway/net/cares_resolver.hpp"
#include "gateway/net/srv_order.hpp"
#include "tests/unit/gateway/net/run_awaitable.hpp"
#include "unbound_process.hpp"

namespace fedgate::gateway {
namespace {

const std::vector<std::string> kZone = {
    "ready.test. 60 IN A 127.0.0.1",
    "_xmpp-server._tcp.partner.test. 300 IN SRV 20 0 5269 backup.partner.test.",
    "_xmpp-server._tcp.partner.test. 300 IN SRV 10 60 5269 xmpp1.partner.test.",
    "_xmpp-server._tcp.partner.test. 300 IN SRV 10 40 5270 xmpp2.partner.test.",
    "_sipfederationtls._tcp.lync.test. 120 IN SRV 0 0 5061 sip.lync.test.",
    "xmpp1.partner.test. 60 IN A 127.0.0.21",
    "xmpp1.partner.test. 30 IN AAAA ::1",
};

// Forwards to the real resolver and counts what reaches it.
class CountingResolver final : public Resolver {
 public:
  explicit CountingResolver(Resolver& next) : next_(next) {}
  boost::asio::awaitable<result<std::vector<SrvTarget>>> resolve_srv(std::string name) override {
    ++calls;
    co_return co_await next_.resolve_srv(name);
  }
  boost::asio::awaitable<result<std::vector<AddressRecord>>> resolve_host(
      std::string host) override {
    ++calls;
    co_return co_await next_.resolve_host(host);
  }
  int calls = 0;

 private:
  Resolver& next_;
};

class UnboundResolverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(unbound_.started());
    auto made = CaresResolver::create(
        io_.get_executor(), CaresOptions{unbound_.address(), std::chrono::milliseconds(300), 1});
    ASSERT_TRUE(made);
    resolver_ = std::move(*made);
    // Bounded wait until unbound answers: 50 tries, ~10 s at most.
    for (int i = 0; i < 50; ++i) {
      if (run_awaitable(io_, resolver_->resolve_host("ready.test"))) {
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL() << "unbound did not answer:\n" << unbound_.log();
  }
  UnboundProcess unbound_{FEDGATE_UNBOUND_BIN, kZone};
  boost::asio::io_context io_;
  std::unique_ptr<CaresResolver> resolver_;
};

TEST_F(UnboundResolverTest, SrvRecordsComeBackWithTheirTtlsAndOrderByPriority) {
  auto answer =
      run_awaitable(io_, resolver_->resolve_srv(srv_name(SrvService::xmpp_server, "partner.test")));
  ASSERT_TRUE(answer) << answer.error().message();
  ASSERT_EQ(answer->size(), 3u);
  auto ordered = order_srv_targets(*answer, default_srv_random());
  EXPECT_EQ(ordered[2], (SrvTarget{"backup.partner.test", 5269, 20, 0, 300}));
  EXPECT_EQ(ordered[0].priority, 10);
  EXPECT_EQ(ordered[1].priority, 10);
  EXPECT_NE(ordered[0].host, ordered[1].host);
}

TEST_F(UnboundResolverTest, MicrosoftFederationSrvResolves) {
  auto answer = run_awaitable(
      io_, resolver_->resolve_srv(srv_name(SrvService::sipfederationtls, "lync.test")));
  ASSERT_TRUE(answer) << answer.error().message();
  EXPECT_EQ(*answer, (std::vector<SrvTarget>{{"sip.lync.test", 5061, 0, 0, 120}}));
}

TEST_F(UnboundResolverTest, HostResolvesToBothFamilies) {
  auto answer = run_awaitable(io_, resolver_->resolve_host("xmpp1.partner.test"));
  ASSERT_TRUE(answer) << answer.error().message();
  ASSERT_EQ(answer->size(), 2u);
  EXPECT_EQ((*answer)[0], (AddressRecord{boost::asio::ip::make_address("127.0.0.21"), 60}));
  EXPECT_EQ((*answer)[1], (AddressRecord{boost::asio::ip::make_address("::1"), 30}));
}

TEST_F(UnboundResolverTest, MissingNamesInTheStaticZoneAreNxdomain) {
  EXPECT_EQ(run_awaitable(io_, resolver_->resolve_srv("_xmpps-server._tcp.partner.test")).error(),
            ResolverErrc::not_found);
  EXPECT_EQ(run_awaitable(io_, resolver_->resolve_host("nowhere.test")).error(),
            ResolverErrc::not_found);
}

TEST_F(UnboundResolverTest, CacheServesTheSecondLookupWithoutAskingAgain) {
  TimePoint now{};
  CountingResolver counting(*resolver_);
  CachingResolver cache(counting, CacheOptions{}, [&] { return now; });
  const std::string name = srv_name(SrvService::sipfederationtls, "lync.test");
  ASSERT_TRUE(run_awaitable(io_, cache.resolve_srv(name)));
  now += std::chrono::seconds(119);
  EXPECT_TRUE(run_awaitable(io_, cache.resolve_srv(name)));
  EXPECT_EQ(counting.calls, 1);
  now += std::chrono::seconds(2);  // past the 120 s TTL unbound gave: asked again
  EXPECT_TRUE(run_awaitable(io_, cache.resolve_srv(name)));
  EXPECT_EQ(counting.calls, 2);
}

}  // namespace
}  // namespace fedgate::gateway
