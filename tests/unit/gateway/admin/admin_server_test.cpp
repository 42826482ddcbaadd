#include "gateway/admin/admin_server.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <thread>

namespace fedgate::gateway {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;

// A server on 127.0.0.1:0 running on its own thread; get() is a blocking Beast client.
class AdminFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    AdminRoutes routes;
    routes.ready = [this] { return AdminReply{ready_ ? 200u : 503u, "text/plain", "r\n"}; };
    routes.metrics = [this] { return metrics_.render(); };
    routes.api["/api/v1/echo"] = [](const AdminRequest& r) {
      return AdminReply{200, "text/plain", r.method + " " + r.query.at("x")};
    };
    server_ = std::make_unique<AdminServer>(ioc_.get_executor(), "s3cret", routes, metrics_, Logger{});
    endpoint_ = server_->listen({asio::ip::make_address("127.0.0.1"), 0}).value();
    asio::co_spawn(ioc_, server_->run(), asio::detached);
    thread_ = std::thread([this] { ioc_.run_for(std::chrono::seconds(60)); });
  }
  void TearDown() override {
    asio::post(ioc_, [this] { server_->close(); ioc_.stop(); });
    thread_.join();
  }
  http::response<http::string_body> get(const std::string& target, const std::string& token = "",
                                        http::verb verb = http::verb::get) {
    asio::io_context client;
    boost::beast::tcp_stream stream(client);
    stream.connect(endpoint_);
    http::request<http::string_body> req{verb, target, 11};
    if (!token.empty()) {
      req.set(http::field::authorization, "Bearer " + token);
    }
    http::write(stream, req);
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    return res;
  }

  asio::io_context ioc_;
  MetricsRegistry metrics_;
  std::unique_ptr<AdminServer> server_;
  asio::ip::tcp::endpoint endpoint_;
  std::thread thread_;
  std::atomic<bool> ready_{false};
};

TEST_F(AdminFixture, HealthNeedsNoToken) {
  auto res = get("/healthz");
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), "ok\n");
}

TEST_F(AdminFixture, ReadyzFollowsTheReadinessFunction) {
  EXPECT_EQ(get("/readyz").result_int(), 503);
  ready_ = true;
  EXPECT_EQ(get("/readyz").result_int(), 200);
}

TEST_F(AdminFixture, MetricsWithoutTheTokenIsRefusedAndCounted) {
  auto res = get("/metrics");
  EXPECT_EQ(res.result_int(), 401);
  EXPECT_EQ(res[http::field::www_authenticate], "Bearer");
  EXPECT_EQ(get("/metrics", "wrong").result_int(), 401);
  EXPECT_EQ(metrics_.value("fedgate_admin_requests_total", {{"outcome", "unauthorized"}}), 2);
}

TEST_F(AdminFixture, MetricsWithTheTokenRendersTheRegistry) {
  metrics_.counter("fedgate_test_total", "t").inc(4);
  auto res = get("/metrics", "s3cret");
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_NE(res.body().find("fedgate_test_total 4"), std::string::npos);
}

TEST_F(AdminFixture, ApiRoutesGetMethodAndDecodedQuery) {
  auto res = get("/api/v1/echo?x=a%20b", "s3cret", http::verb::post);
  EXPECT_EQ(res.body(), "POST a b");
  EXPECT_EQ(get("/api/v1/nothing", "s3cret").result_int(), 404);
}

TEST(ParseEndpoint, AcceptsV4AndBracketedV6AndRejectsNames) {
  EXPECT_EQ(parse_endpoint("127.0.0.1:8280").value().port(), 8280);
  EXPECT_TRUE(parse_endpoint("[::1]:5061").value().address().is_v6());
  EXPECT_FALSE(parse_endpoint("localhost:80"));
  EXPECT_FALSE(parse_endpoint("127.0.0.1"));
  EXPECT_FALSE(parse_endpoint("127.0.0.1:70000"));
}

}  // namespace
}  // namespace fedgate::gateway
