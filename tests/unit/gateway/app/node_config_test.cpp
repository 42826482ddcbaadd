// NodeConfig from the command line: the outbound XMPP queue limit an administrator sets
// (xmpp-queue-limit) and its default; a value that is not a number is refused.
#include "gateway/app/node_config.hpp"

#include <gtest/gtest.h>

#include <boost/program_options/errors.hpp>
#include <string>
#include <vector>

namespace fedgate::gateway {
namespace {

NodeConfig parsed(const std::vector<std::string>& args) {
  NodeConfig config;
  auto options = node_options(config);
  load_node_config(config, options, args);
  return config;
}

TEST(NodeConfigTest, TheXmppQueueLimitDefaultsToTenThousand) {
  EXPECT_EQ(parsed({}).xmpp_queue_limit, 10000u);
}

TEST(NodeConfigTest, TheXmppQueueLimitIsTakenFromTheCommandLine) {
  EXPECT_EQ(parsed({"--xmpp-queue-limit", "250"}).xmpp_queue_limit, 250u);
}

TEST(NodeConfigTest, AnXmppQueueLimitThatIsNoNumberIsRefused) {
  EXPECT_THROW(parsed({"--xmpp-queue-limit", "lots"}), boost::program_options::error);
}

}  // namespace
}  // namespace fedgate::gateway
