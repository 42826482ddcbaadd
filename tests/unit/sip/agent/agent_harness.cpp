#include "agent_harness.hpp"

// GCC 12 (-O1, ASan): Asio coroutine frame new/delete false positive (see sip_net).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <utility>

namespace fedgate::sip::test {

namespace asio = boost::asio;

asio::awaitable<Answer> RecordingEvents::on_page_message(PageMessageEvent e) {
  messages.push_back(std::move(e));
  co_return answer;
}

asio::awaitable<Answer> RecordingEvents::on_subscribe(SubscribeEvent e) {
  subscribes.push_back(std::move(e));
  Answer a = answer;
  a.body = first_body;
  co_return a;
}

asio::awaitable<Answer> RecordingEvents::on_publish(PublishEvent e) {
  publishes.push_back(std::move(e));
  co_return answer;
}

asio::awaitable<Answer> RecordingEvents::on_invite(InviteEvent e) {
  invites.push_back(std::move(e));
  if (invite_delay > Duration::zero()) {
    asio::steady_timer timer(co_await asio::this_coro::executor, invite_delay);
    auto waiting = timer.async_wait(asio::use_awaitable);
    co_await std::move(waiting);
  }
  co_return invite_answer;
}

asio::awaitable<Answer> RecordingEvents::decide_session_message(SessionMessageEvent e) {
  in_session.push_back(std::move(e));
  co_return session_answer;
}

bool RecordingEvents::decide_session_message_now(SessionMessageEvent& e,
                                                 std::function<void(Answer)>& done) {
  if (!decide_now) {
    return false;
  }
  in_session.push_back(std::move(e));
  std::exchange(done, nullptr)(session_answer);
  return true;
}

Pki::Pki(std::vector<std::string> names) {
  auto created = gateway::TestCa::create(dir.path());
  if (created) {
    ca = std::move(*created);
    for (const auto& name : names) {
      auto issued = ca->issue(name, gateway::good_spec(name));
      (void)issued;
    }
  }
}

gateway::TlsSettings Pki::settings(const std::string& name) const {
  gateway::TlsSettings s;
  s.identity = {dir.path() / (name + ".pem"), dir.path() / (name + ".key")};
  s.ca = ca->cert_pem();
  return s;
}

struct Node::Forward final : MessageHandler {
  asio::awaitable<void> on_message(Message m, ConnectionHandle from) override {
    auto handling = agent->on_message(std::move(m), std::move(from));  // GCC 12: no temps
    co_await std::move(handling);
  }
  bool take_messages(std::vector<Message>& batch, const ConnectionHandle& from) override {
    return agent->take_messages(batch, from);
  }
  SipAgent* agent = nullptr;
};

Node::Node(asio::io_context& io, const Pki& pki, std::string d, AgentConfig config,
           std::uint16_t port)
    : domain(std::move(d)), tasks(io.get_executor()), forward_(std::make_unique<Forward>()) {
  deps_ = std::make_unique<ConnectionDeps>(
      ConnectionDeps{transport_, *forward_, transport_metrics_, Logger{}.with({{"node", domain}})});
  auto tls = pki.settings(domain);
  pool_ = std::make_unique<ConnectionPool>(io.get_executor(), tasks, *deps_, dns,
                                           gateway::TlsContext::client(tls).value());
  deps_->pool = pool_.get();
  listener_ = std::make_unique<Listener>(io.get_executor(), tasks, *deps_,
                                         gateway::TlsContext::server(tls).value());
  if (listener_->listen({asio::ip::make_address("127.0.0.1"), port})) {
    port_ = listener_->local_endpoint().port();
    asio::co_spawn(listener_->executor(), listener_->run(), asio::detached);
  }
  routes_ = std::make_unique<RouteResolver>(dns, [](std::uint32_t) { return 0u; });
  config.routing_fqdn = domain;
  config.local_domain = domain;
  config.port = port_;
  agent = std::make_unique<SipAgent>(io.get_executor(), config, *pool_, *routes_, events,
                                     agent_metrics_, Logger{}.with({{"agent", domain}}));
  forward_->agent = agent.get();
  agent->start();
}

Node::~Node() = default;

void Node::knows(const Node& other) {
  dns.set_srv("_sipfederationtls._tcp." + other.domain,
              std::vector<gateway::SrvTarget>{{other.domain, other.port(), 0, 0, 60}});
  dns.set_host(other.domain,
               std::vector<gateway::AddressRecord>{{asio::ip::make_address("127.0.0.1"), 60}});
}

void Node::stop() {
  agent->stop();
  listener_->close();
  tasks.cancel();
}

asio::awaitable<bool> wait_for(std::function<bool()> done, Duration limit) {
  auto ex = co_await asio::this_coro::executor;
  asio::steady_timer timer(ex);
  auto deadline = Clock::now() + limit;
  while (!done() && Clock::now() < deadline) {
    timer.expires_after(std::chrono::milliseconds(10));
    co_await timer.async_wait(asio::use_awaitable);
  }
  co_return done();
}

asio::awaitable<void> until(std::function<bool()> done) {
  auto waiting = wait_for(std::move(done));
  co_await std::move(waiting);
}

bool run(asio::io_context& io, asio::awaitable<void> work, std::vector<Node*> nodes) {
  bool finished = false;
  std::exception_ptr failure;
  asio::co_spawn(io, std::move(work), [&](std::exception_ptr e) {
    finished = true;
    failure = e;
    io.stop();
  });
  io.run_for(std::chrono::seconds(20));
  for (auto* node : nodes) {
    node->stop();
  }
  io.restart();
  for (int i = 0; i < 300; ++i) {
    bool busy = std::any_of(nodes.begin(), nodes.end(), [](Node* n) {
      return n->tasks.size() > 0 || n->agent->running_tasks() > 0;
    });
    if (!busy) {
      break;
    }
    io.run_for(std::chrono::milliseconds(10));
  }
  io.run_for(std::chrono::milliseconds(50));
  if (failure) {
    std::rethrow_exception(failure);
  }
  return finished;
}

presence::Address address(std::string_view text) { return presence::Address::parse(text).value(); }

}  // namespace fedgate::sip::test
