// A SipAgent on a real TLS listener for the interop tests (tests/interop/sip_agent): mutual
// TLS with the test CA, a TLS peer-subject allow-list, DNS through c-ares (the test DNS in
// the harness namespace), and a trivial event handler that accepts everything and prints
// one JSON line per event. Commands come one per line on stdin; each prints a JSON result:
//   options DOMAIN | message FROM TO TEXT... | subscribe WATCHER PRESENTITY | quit
// --keepalive DOMAIN pings DOMAIN with OPTIONS every 2 s (peer up/down events).
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "gateway/base/log.hpp"
#include "gateway/base/task_group.hpp"
#include "gateway/net/cares_resolver.hpp"
#include "sip/bridge/agent.hpp"
#include "sip/bridge/agent_peer_subjects.hpp"
#include "sip/bridge/options.hpp"
#include "sip/transport/listener.hpp"

// GCC 12 (-O1, ASan): Asio coroutine frame new/delete false positive (see sip_net).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace fedgate::sip {
namespace {

namespace asio = boost::asio;
using nlohmann::json;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

void print(json j) { std::cout << j.dump() << std::endl; }

// Built outside coroutines: GCC 12 mishandles aggregate braces in coroutine bodies.
Answer accept() { return Answer{}; }
// A SUBSCRIBE is accepted with a PIDF document for the presentity (the first NOTIFY).
Answer accept_subscribe(const presence::Address& presentity) {
  Answer a;
  a.body = Body{MediaType::parse("application/pidf+xml").value(),
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"sip:" +
                    presentity.str() +
                    "\"><tuple id=\"fg\"><status><basic>open</basic></status>"
                    "<note>Hello from fedgate</note></tuple></presence>"};
  return a;
}
KeepAlivePeer peer_of(const std::string& domain) { return KeepAlivePeer{domain, 0, domain}; }

json body_json(const Request& r) { return r.body; }

class PrintingEvents final : public AgentEvents {
 public:
  asio::awaitable<Answer> on_page_message(PageMessageEvent e) override {
    print({{"event", "message"},
           {"from", e.parties.from.str()},
           {"to", e.parties.to.str()},
           {"peer", e.parties.peer},
           {"body", body_json(e.request)}});
    co_return accept();
  }
  asio::awaitable<Answer> on_subscribe(SubscribeEvent e) override {
    print({{"event", "subscribe"}, {"from", e.parties.from.str()}, {"to", e.parties.to.str()}});
    co_return accept_subscribe(e.parties.to);
  }
  asio::awaitable<Answer> on_publish(PublishEvent e) override {
    print({{"event", "publish"}, {"from", e.parties.from.str()}});
    co_return accept();
  }
  asio::awaitable<Answer> on_invite(InviteEvent) override {
    Answer a;
    a.status = 488;
    a.reason = "Not Acceptable Here";
    co_return a;
  }
  void on_notify(NotifyEvent e) override {
    print({{"event", "notify"},
           {"presentity", e.parties.from.str()},
           {"state", to_string(e.notification.state)},
           {"type", e.notification.body.type.str()},
           {"body", e.notification.body.bytes}});
  }
  void on_subscription_ended(SubscriptionEndedEvent e) override {
    print({{"event", "subscription_ended"}, {"status", e.end.status}, {"reason", e.end.reason}});
  }
  void on_watcher_gone(WatcherGoneEvent e) override {
    print({{"event", "watcher_gone"}, {"reason", e.reason}});
  }
  void on_session_message(SessionMessageEvent) override {}
  void on_session_ended(SessionEndedEvent) override {}
  void on_peer_status(PeerStatusEvent e) override {
    print({{"event", "peer"}, {"peer", e.peer}, {"up", e.up}, {"status", e.status}});
  }
};

struct Forward final : MessageHandler {
  asio::awaitable<void> on_message(Message m, ConnectionHandle from) override {
    auto handling = agent->on_message(std::move(m), std::move(from));
    co_await std::move(handling);
  }
  SipAgent* agent = nullptr;
};

struct Args {
  std::string addr = "127.0.0.1", domain = "fedgate.test", cert, cafile;
  std::uint16_t port = 5061;
  std::vector<std::string> allow;
  std::vector<std::string> keepalive;  // domains pinged with OPTIONS every 2 s
  int lifetime = 120;
};

Args parse_args(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--addr")
      a.addr = v;
    else if (k == "--port")
      a.port = static_cast<std::uint16_t>(std::stoi(v));
    else if (k == "--domain")
      a.domain = v;
    else if (k == "--cert")
      a.cert = v;
    else if (k == "--cafile")
      a.cafile = v;
    else if (k == "--allow")
      a.allow.push_back(v);
    else if (k == "--lifetime")
      a.lifetime = std::stoi(v);
    else if (k == "--keepalive")
      a.keepalive.push_back(v);
    else
      throw std::runtime_error("unknown option " + k);
  }
  return a;
}

Body text_body(std::string text) {
  return Body{MediaType::parse("text/plain;charset=UTF-8").value(), std::move(text)};
}

asio::awaitable<void> run_command(SipAgent& agent, const AgentConfig& config, std::string line) {
  std::istringstream in(line);
  std::string cmd, a, b;
  in >> cmd >> a >> b;
  if (cmd == "options") {
    static int sent = 0;
    const std::string n = std::to_string(++sent);
    Request r = make_keepalive_options(peer_of(a), config, "z9hG4bKopt" + n, "opt" + n,
                                       "opt" + n + "-" + a + "@" + config.routing_fqdn);
    auto sending = agent.send_request(std::move(r));
    Response resp = co_await std::move(sending);
    const auto* allow = find_header(resp.other, "Allow");
    print({{"cmd", "options"}, {"status", resp.status}, {"allow", allow ? allow->value : ""}});
  } else if (cmd == "message") {
    std::string text;
    std::getline(in, text);
    auto sending = agent.send_page_message(presence::Address::parse(a).value(),
                                           presence::Address::parse(b).value(),
                                           text_body(text.empty() ? text : text.substr(1)));
    Response resp = co_await std::move(sending);
    print({{"cmd", "message"}, {"status", resp.status}});
  } else if (cmd == "subscribe") {
    SubscribeRequest s(presence::Address::parse(a).value(), presence::Address::parse(b).value());
    auto subscribing = agent.subscribe(std::move(s));
    auto id = co_await std::move(subscribing);
    print({{"cmd", "subscribe"}, {"ok", id.has_value()}});
  }
}

asio::awaitable<void> command_loop(SipAgent& agent, const AgentConfig& config, TaskGroup& tasks) {
  auto ex = co_await asio::this_coro::executor;
  asio::posix::stream_descriptor input(ex, ::dup(STDIN_FILENO));
  asio::streambuf buffer;
  for (;;) {
    auto reading = asio::async_read_until(input, buffer, '\n', kNoThrow);
    auto [ec, n] = co_await std::move(reading);
    if (ec) {
      co_return;
    }
    std::string line(asio::buffers_begin(buffer.data()), asio::buffers_begin(buffer.data()) + n);
    buffer.consume(n);
    line.erase(line.find_last_not_of("\r\n") + 1);
    if (line == "quit") {
      co_return;
    }
    tasks.spawn("command", run_command(agent, config, line));
  }
}

}  // namespace
}  // namespace fedgate::sip

int main(int argc, char** argv) {
  using namespace fedgate;
  using namespace fedgate::sip;
  namespace asio = boost::asio;
  Args args = parse_args(argc, argv);
  init_logging({LogLevel::info, "fedgate-interop", ""});
  asio::io_context io;
  auto resolver = gateway::CaresResolver::create(io.get_executor(), {}).value();
  TransportConfig transport;
  transport.allow_subject = subject_filter(args.allow);
  MetricsRegistry registry;
  SipTransportMetrics transport_metrics{registry};
  AgentMetrics agent_metrics{registry};
  PrintingEvents events;
  Forward forward;
  ConnectionDeps deps{transport, forward, transport_metrics,
                      Logger{}.with({{"node", args.domain}})};
  TaskGroup tasks(io.get_executor());
  gateway::TlsSettings tls;
  tls.identity = {args.cert + ".crt", args.cert + ".key"};
  tls.ca = args.cafile;
  tls.max_version = gateway::TlsVersion::tls1_2;  // Lync / Kamailio here speak TLS 1.2
  ConnectionPool pool(io.get_executor(), tasks, deps, *resolver,
                      gateway::TlsContext::client(tls).value());
  deps.pool = &pool;
  Listener listener(io.get_executor(), tasks, deps, gateway::TlsContext::server(tls).value());
  if (!listener.listen({asio::ip::make_address(args.addr), args.port})) {
    std::cerr << "cannot listen on " << args.addr << ":" << args.port << std::endl;
    return 1;
  }
  asio::co_spawn(listener.executor(), listener.run(), asio::detached);
  RouteResolver routes(*resolver, gateway::default_srv_random());
  AgentConfig config;
  config.routing_fqdn = "sip." + args.domain;
  config.local_domain = args.domain;
  config.port = args.port;
  for (const auto& domain : args.keepalive) {
    config.keepalive_peers.push_back(KeepAlivePeer{domain, 0, domain});
  }
  config.keepalive_interval = std::chrono::seconds(2);
  SipAgent agent(io.get_executor(), config, pool, routes, events, agent_metrics,
                 Logger{}.with({{"agent", args.domain}}));
  forward.agent = &agent;
  agent.start();
  print({{"event", "listening"}, {"addr", args.addr}, {"port", args.port}});
  asio::co_spawn(io, command_loop(agent, config, tasks), [&](std::exception_ptr) { io.stop(); });
  io.run_for(std::chrono::seconds(args.lifetime));
  agent.stop();
  listener.close();
  tasks.cancel();
  io.restart();
  io.run_for(std::chrono::seconds(2));
  return 0;
}
