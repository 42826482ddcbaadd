// SipAgent end to end over loopback mutual TLS: two nodes (a.example, b.example) routed to
// each other by SRV (FakeResolver). OPTIONS, page MESSAGE both ways, refusals, routing
// failures, 483, SUBSCRIBE → NOTIFY with PIDF → NOTIFY → un-SUBSCRIBE, keep-alive OPTIONS.
#include <gtest/gtest.h>

// GCC 12 (-O1, ASan): Asio coroutine frame new/delete false positive (see sip_net).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include "agent_harness.hpp"
#include "sip/bridge/options.hpp"
#include "sip/codec/error_response.hpp"
#include "sip/dialog/dialog_error.hpp"

namespace fedgate::sip::test {
namespace {

namespace asio = boost::asio;

Body text(std::string s) { return Body{MediaType::parse("text/plain;charset=UTF-8").value(), s}; }
Body pidf(std::string note) {
  return Body{MediaType::parse("application/pidf+xml").value(),
              "<?xml version=\"1.0\"?><presence xmlns=\"urn:ietf:params:xml:ns:pidf\" "
              "entity=\"sip:bob@b.example\"><tuple id=\"t1\"><status><basic>open</basic>"
              "</status><note>" +
                  note + "</note></tuple></presence>"};
}

// An OPTIONS from a.example to b.example, as the agent would send it (we change it freely).
Request options_to_b(std::uint16_t a_port, std::string branch) {
  AgentConfig config;
  config.routing_fqdn = "a.example";
  config.port = a_port;
  return make_keepalive_options(KeepAlivePeer{"b.example", 0, ""}, config, std::move(branch), "o1",
                                "opt-" + branch);
}

struct AgentTest : ::testing::Test {
  asio::io_context io;
  Pki pki{{"a.example", "b.example"}};
  Node a{io, pki, "a.example"};
  Node b{io, pki, "b.example"};
  presence::Address alice = address("alice@a.example");
  presence::Address bob = address("bob@b.example");
  AgentTest() {
    a.knows(b);
    b.knows(a);
  }
  bool go(asio::awaitable<void> work) { return run(io, std::move(work), {&a, &b}); }
};

TEST_F(AgentTest, OptionsIsAnsweredWithWhatWeSupport) {
  Response answer;
  ASSERT_TRUE(go([&]() -> asio::awaitable<void> {
    Request r = options_to_b(a.port(), "z9hG4bKopt1");
    auto sending = a.agent->send_request(std::move(r));
    answer = co_await std::move(sending);
  }()));
  EXPECT_EQ(answer.status, 200);
  EXPECT_NE(find_header(answer.other, "Allow"), nullptr);
  EXPECT_EQ(answer.contact.at(0).uri.host, "b.example");
  EXPECT_EQ(a.dns.lookups("_sipfederationtls._tcp.b.example"), 1);
}

TEST_F(AgentTest, PageMessageBothWays) {
  Response ab, ba;
  ASSERT_TRUE(go([&]() -> asio::awaitable<void> {
    auto to_bob = a.agent->send_page_message(alice, bob, text("hello bob"));
    ab = co_await std::move(to_bob);
    auto to_alice = b.agent->send_page_message(bob, alice, text("hi alice"));
    ba = co_await std::move(to_alice);
  }()));
  EXPECT_EQ(ab.status, 200);
  EXPECT_EQ(ba.status, 200);
  ASSERT_EQ(b.events.messages.size(), 1u);
  EXPECT_EQ(b.events.messages[0].request.body, "hello bob");
  EXPECT_EQ(b.events.messages[0].parties.from, address("alice@a.example"));
  EXPECT_EQ(b.events.messages[0].parties.to, address("bob@b.example"));
  // RFC 3261 §18.2.1: Via sent-by "a.example" is not the source address.
  EXPECT_EQ(b.events.messages[0].request.via.front().received(), "127.0.0.1");
  ASSERT_EQ(a.events.messages.size(), 1u);
  EXPECT_EQ(a.events.messages[0].request.body, "hi alice");
}

TEST_F(AgentTest, PublishIsAnsweredWithTheHeadersOfTheLayerAbove) {
  b.events.answer.headers = {{"SIP-ETag", "e1"}, {"Expires", "600"}};
  Request publish = options_to_b(a.port(), "z9hG4bKpub1");
  publish.method = publish.cseq.method = Method::publish;
  Response r;
  ASSERT_TRUE(go([&]() -> asio::awaitable<void> {
    auto sending = a.agent->send_request(publish);
    r = co_await std::move(sending);
  }()));
  EXPECT_EQ(r.status, 200);
  ASSERT_NE(find_header(r.other, "SIP-ETag"), nullptr);
  EXPECT_EQ(find_header(r.other, "SIP-ETag")->value, "e1");
  EXPECT_EQ(b.events.publishes.size(), 1u);
}

TEST_F(AgentTest, RefusalOfTheLayerAboveReachesTheSender) {
  b.events.answer = Answer{403, "Forbidden", {}, SubState::terminated};
  Response r;
  ASSERT_TRUE(go([&]() -> asio::awaitable<void> {
    auto sending = a.agent->send_page_message(alice, address("eve@b.example"), text("let me in"));
    r = co_await std::move(sending);
  }()));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(b.events.messages.size(), 1u);
}

TEST_F(AgentTest, UnknownDomainIs404AndUnreachableHopIs503) {
  a.dns.set_srv("_sipfederationtls._tcp.dead.example",
                std::vector<gateway::SrvTarget>{{"127.0.0.1", 1, 0, 0, 60}});  // nothing listens
  Response unknown, dead;
  ASSERT_TRUE(go([&]() -> asio::awaitable<void> {
    auto to_nowhere = a.agent->send_page_message(alice, address("x@nowhere.example"), text("?"));
    unknown = co_await std::move(to_nowhere);
    auto to_dead = a.agent->send_page_message(alice, address("x@dead.example"), text("?"));
    dead = co_await std::move(to_dead);
  }()));
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(dead.status, 503);
  EXPECT_EQ(
      a.registry.value("fedgate_sip_agent_transaction_failures_total", {{"reason", "no_route"}}),
      1);
}

TEST_F(AgentTest, MaxForwardsZeroIsAnswered483AndUnknownDialog481) {
  Response hops, unknown;
  ASSERT_TRUE(go([&]() -> asio::awaitable<void> {
    Request r = options_to_b(a.port(), "z9hG4bKmf0");
    r.method = Method::message;
    r.cseq.method = Method::message;
    r.max_forwards = 0;
    auto first = a.agent->send_request(r);
    hops = co_await std::move(first);
    r.method = r.cseq.method = Method::bye;
    r.max_forwards = 70;
    set_param(r.via.front().params, "branch", std::string("z9hG4bKbye1"));
    set_param(r.to.params, "tag", std::string("nope"));
    auto second = a.agent->send_request(r);
    unknown = co_await std::move(second);
  }()));
  EXPECT_EQ(hops.status, 483);
  EXPECT_EQ(unknown.status, 481);
  EXPECT_EQ(b.registry.value("fedgate_sip_agent_refusals_total", {{"reason", "too_many_hops"}}), 1);
}

TEST_F(AgentTest, OwnViaIsALoop482AndUnknownRequireIs420) {
  Response loop, bad_extension;
  Request looped = options_to_b(a.port(), "z9hG4bKloop1");
  Via ours = Via::parse("SIP/2.0/TLS b.example:" + std::to_string(b.port())).value();
  set_param(ours.params, "branch", std::string("z9hG4bKearlier"));
  looped.via.push_back(ours);  // we forwarded it once already (RFC 3261 §16.3 item 4)
  Request strict = options_to_b(a.port(), "z9hG4bKreq1");
  strict.require = {"100rel", "ms-benotify"};
  ASSERT_TRUE(go([&]() -> asio::awaitable<void> {
    auto first = a.agent->send_request(looped);
    loop = co_await std::move(first);
    auto second = a.agent->send_request(strict);
    bad_extension = co_await std::move(second);
  }()));
  EXPECT_EQ(loop.status, 482);
  EXPECT_EQ(bad_extension.status, 420);
  const Header* unsupported = find_header(bad_extension.other, "Unsupported");
  ASSERT_NE(unsupported, nullptr);
  EXPECT_EQ(unsupported->value, "100rel");
}

TEST_F(AgentTest, SubscribeGetsPidfNotifiesUntilUnsubscribed) {
  b.events.first_body = pidf("In a meeting");
  std::optional<DialogId> sub;
  std::function<bool()> first_notify = [&] { return a.events.notifies.size() == 1; };
  std::function<bool()> second_notify = [&] { return a.events.notifies.size() == 2; };
  std::function<bool()> both_ended = [&] {
    return !b.events.gone.empty() && !a.events.ended.empty();
  };
  ASSERT_TRUE(go([&]() -> asio::awaitable<void> {
    auto subscribing = a.agent->subscribe(SubscribeRequest(alice, bob));
    auto id = co_await std::move(subscribing);
    sub = id.value();
    auto waiting = wait_for(first_notify);
    co_await std::move(waiting);
    auto notifying =
        b.agent->notify(b.events.subscribes.at(0).dialog, SubState::active, pidf("Out to lunch"));
    auto sent = co_await std::move(notifying);
    EXPECT_EQ(sent.value().status, 200);
    auto waiting2 = wait_for(second_notify);
    co_await std::move(waiting2);
    auto unsubscribing = a.agent->unsubscribe(*sub);
    auto un = co_await std::move(unsubscribing);
    EXPECT_TRUE(un.has_value());
    auto waiting3 = wait_for(both_ended);
    co_await std::move(waiting3);
  }()));
  ASSERT_EQ(a.events.notifies.size(), 2u);
  EXPECT_NE(a.events.notifies[0].notification.body.bytes.find("In a meeting"), std::string::npos);
  EXPECT_NE(a.events.notifies[1].notification.body.bytes.find("Out to lunch"), std::string::npos);
  EXPECT_EQ(a.events.notifies[1].dialog.call_id, sub->call_id);
  EXPECT_EQ(b.events.subscribes.at(0).parties.from, address("alice@a.example"));
  EXPECT_EQ(b.events.gone.size(), 1u);
  EXPECT_EQ(a.events.ended.size(), 1u);
}

TEST_F(AgentTest, RefusedSubscribeEndsTheSubscription) {
  b.events.answer = Answer{403, "Forbidden", {}, SubState::terminated};
  result<DialogId> id = make_error_code(DialogErrc::unknown_dialog);
  ASSERT_TRUE(go([&]() -> asio::awaitable<void> {
    auto subscribing = a.agent->subscribe(SubscribeRequest(alice, bob));
    id = co_await std::move(subscribing);
  }()));
  EXPECT_FALSE(id.has_value());
  ASSERT_EQ(a.events.ended.size(), 1u);
  EXPECT_EQ(a.events.ended[0].end.status, 403);
}

// The closures passed to run()/go() live until the call returns, which outlives the work.
TEST(AgentKeepAlive, ConfiguredPeersArePingedAndReportedUpOrDown) {
  asio::io_context io;
  Pki pki{{"a.example", "b.example"}};
  Node b{io, pki, "b.example"};
  AgentConfig config;
  config.keepalive_peers = {{"b.example", b.port(), "b.example"}, {"127.0.0.1", 1, "dead.example"}};
  config.keepalive_interval = std::chrono::milliseconds(200);
  Node a{io, pki, "a.example", config};
  a.knows(b);
  std::function<bool()> both = [&] { return a.events.peers.size() >= 2; };
  ASSERT_TRUE(run(io, until(both), {&a, &b}));
  ASSERT_GE(a.events.peers.size(), 2u);
  for (const auto& p : a.events.peers) {
    EXPECT_EQ(p.up, p.peer.starts_with("b.example")) << p.peer;
    EXPECT_EQ(p.status, p.up ? 200 : 503);
  }
  EXPECT_EQ(a.registry.value("fedgate_sip_agent_keepalive_peers_up"), 1);
  EXPECT_GE(b.registry.value("fedgate_sip_agent_requests_total",
                             {{"method", "OPTIONS"}, {"direction", "in"}}),
            1);
}

TEST(AgentKeepAlive, PeersSetAfterStartArePinged) {  // policy reloads change the list
  asio::io_context io;
  Pki pki{{"a.example", "b.example"}};
  Node b{io, pki, "b.example"};
  AgentConfig config;
  config.keepalive_interval = std::chrono::milliseconds(200);
  Node a{io, pki, "a.example", config};
  a.knows(b);
  a.agent->set_keepalive_peers({{"b.example", b.port(), "b.example"}});
  std::function<bool()> pinged = [&] { return !a.events.peers.empty(); };
  ASSERT_TRUE(run(io, until(pinged), {&a, &b}));
  EXPECT_TRUE(a.events.peers.front().up);
  EXPECT_EQ(a.registry.value("fedgate_sip_agent_keepalive_peers_up"), 1);
}

}  // namespace
}  // namespace fedgate::sip::test
