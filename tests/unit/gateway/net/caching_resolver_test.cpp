// The TTL cache over a FakeResolver, with time driven by hand.
#include "gateway/net/caching_resolver.hpp"

#include <gtest/gtest.h>

#include "gateway/net/fake_resolver.hpp"
#include "run_awaitable.hpp"

namespace fedgate::gateway {
namespace {

class CachingResolverTest : public ::testing::Test {
 protected:
  CachingResolverTest() : cache_(fake_, CacheOptions{}, [this] { return now_; }) {}
  result<std::vector<SrvTarget>> srv(const std::string& name) {
    return run_awaitable(io_, cache_.resolve_srv(name));
  }
  result<std::vector<AddressRecord>> host(const std::string& name) {
    return run_awaitable(io_, cache_.resolve_host(name));
  }
  boost::asio::io_context io_;
  FakeResolver fake_;
  TimePoint now_{};
  CachingResolver cache_;
  const std::string name_ = "_xmpp-server._tcp.example.com";
};

TEST_F(CachingResolverTest, AnswerIsReusedUntilTheSmallestTtlRunsOut) {
  fake_.set_srv(name_, std::vector<SrvTarget>{{"a.example.com", 5269, 0, 0, 300},
                                              {"b.example.com", 5269, 1, 0, 60}});
  ASSERT_TRUE(srv(name_));
  now_ += std::chrono::seconds(59);
  EXPECT_EQ(srv(name_)->size(), 2u);
  EXPECT_EQ(fake_.lookups(name_), 1);
  now_ += std::chrono::seconds(1);
  EXPECT_TRUE(srv(name_));
  EXPECT_EQ(fake_.lookups(name_), 2);
}

TEST_F(CachingResolverTest, NxdomainIsCachedForTheNegativeTtl) {
  EXPECT_EQ(srv(name_).error(), ResolverErrc::not_found);
  now_ += std::chrono::seconds(29);
  EXPECT_EQ(srv(name_).error(), ResolverErrc::not_found);
  EXPECT_EQ(fake_.lookups(name_), 1);
  now_ += std::chrono::seconds(1);
  fake_.set_srv(name_, std::vector<SrvTarget>{{"a.example.com", 5269, 0, 0, 300}});
  EXPECT_TRUE(srv(name_));
}

TEST_F(CachingResolverTest, TimeoutsAndZeroTtlsAreNotCached) {
  fake_.set_srv(name_, ResolverErrc::timeout);
  fake_.set_host("h.example.com",
                 std::vector<AddressRecord>{{boost::asio::ip::make_address("192.0.2.1"), 0}});
  EXPECT_EQ(srv(name_).error(), ResolverErrc::timeout);
  EXPECT_EQ(srv(name_).error(), ResolverErrc::timeout);
  EXPECT_TRUE(host("h.example.com"));
  EXPECT_TRUE(host("h.example.com"));
  EXPECT_EQ(fake_.lookups(name_), 2);
  EXPECT_EQ(fake_.lookups("h.example.com"), 2);
  EXPECT_EQ(cache_.size(), 0u);
}

TEST_F(CachingResolverTest, HostAnswersAreCachedSeparatelyFromSrv) {
  fake_.set_host("h.example.com",
                 std::vector<AddressRecord>{{boost::asio::ip::make_address("192.0.2.1"), 120}});
  EXPECT_EQ(host("h.example.com")->front().address.to_string(), "192.0.2.1");
  EXPECT_EQ(host("h.example.com")->front().ttl, 120u);
  EXPECT_EQ(fake_.lookups("h.example.com"), 1);
  EXPECT_EQ(cache_.size(), 1u);
}

}  // namespace
}  // namespace fedgate::gateway
