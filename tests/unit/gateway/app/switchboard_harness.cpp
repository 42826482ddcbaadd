#include "switchboard_harness.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <variant>

#include "xmpp/codec/stream_parser.hpp"

namespace fedgate::gateway::test {

namespace asio = boost::asio;

presence::PolicyRows default_rows() {
  presence::PolicyRows rows;
  rows.version = 1;
  rows.local_domains.push_back({"home.test", presence::Protocol::xmpp, "127.0.0.1", 5269, {}});
  rows.sip_federated_domains.push_back({"lync.test", presence::SipIntegration::s4b, ""});
  return rows;
}

Bench::Bench(presence::PolicyRows r, SwitchboardConfig config)
    : rows(std::make_shared<const presence::PolicyRows>(std::move(r))) {
  SwitchboardDeps deps{io.get_executor(),
                       io.get_executor(),
                       outbox,
                       subscriptions,
                       flaky,
                       xmpp,
                       tasks,
                       metrics,
                       Logger{},
                       [this] { return rows; },
                       {}};
  switchboard = std::make_unique<Switchboard>(std::move(deps), config);
}

Bench::~Bench() {
  tasks.cancel();
  run_until([this] { return tasks.size() == 0; }, std::chrono::seconds(2));
}

bool Bench::run(asio::awaitable<void> work) {
  bool done = false;
  asio::co_spawn(io, std::move(work), [&done](std::exception_ptr) { done = true; });
  return run_until([&done] { return done; });
}

bool Bench::run_until(const std::function<bool()>& done, Duration limit) {
  const auto deadline = Clock::now() + limit;
  while (!done() && Clock::now() < deadline) {
    if (io.stopped()) {
      io.restart();
    }
    io.run_one_for(std::chrono::milliseconds(10));
  }
  return done();
}

void Bench::stanza_in(std::string_view xml) {
  (void)run(switchboard->on_stanza(parse_stanza(xml)));
}

double Bench::metric(const std::string& name, const Labels& labels) const {
  return metrics.value(name, labels);
}

xmpp::Element parse_stanza(std::string_view xml) {
  xmpp::StreamParser parser;
  parser.feed(
      "<stream:stream xmlns='jabber:server' "
      "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>");
  parser.feed(xml);
  while (auto event = parser.next()) {
    if (auto* e = std::get_if<xmpp::Element>(&*event)) {
      return std::move(*e);
    }
  }
  return {};
}

std::string wire(const xmpp::Element& e) {
  return xmpp::to_string(e, xmpp::SerializeContext{"jabber:server"});
}

}  // namespace fedgate::gateway::test
