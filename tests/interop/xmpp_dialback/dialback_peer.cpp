// Interop test peer: one fedgate s2s transport (S2sListener + S2sPool) serving DOMAIN with
// Server Dialback only (XEP-0220, no TLS), as an echo bot: every chat message it receives
// goes back to its sender as "echo <body>". Exits 0 once an echo is delivered (written on an
// authenticated stream and acknowledged, XEP-0198, or the stream stayed up), 1 on a bounce
// or when SECONDS pass. Used by xmpp_dialback.sh against a real Prosody.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "gateway/net/fake_resolver.hpp"
#include "xmpp/codec/jid.hpp"
#include "xmpp/codec/namespaces.hpp"
#include "xmpp/transport/s2s_listener.hpp"
#include "xmpp/transport/s2s_pool.hpp"

namespace {

namespace asio = boost::asio;
using namespace fedgate;
using namespace fedgate::xmpp;

struct Args {
  std::string domain, listen_addr, peer_domain, peer_addr;
  int seconds = 60;
};

std::shared_ptr<const StreamConfig> stream_config(const std::string& domain) {
  auto c = std::make_shared<StreamConfig>();
  c->security.tls_mode = TlsMode::no_tls;
  c->security.dialback_secret = "interop-dialback-secret";
  c->tls_available = false;
  c->serves = [domain](std::string_view d) { return d == domain; };
  c->new_stream_id = [n = 0]() mutable { return "fedgate-interop-" + std::to_string(++n); };
  return c;
}

class EchoBot final : public StanzaHandler {
 public:
  explicit EchoBot(S2sPool*& pool) : pool_(pool) {}
  asio::awaitable<void> on_stanza(Element stanza) override {
    const Element* body = stanza.child("body");
    std::printf("received %s from=%s to=%s body=%s\n", stanza.name.c_str(),
                std::string(stanza.attr("from")).c_str(), std::string(stanza.attr("to")).c_str(),
                body != nullptr ? body->text.c_str() : "");
    std::fflush(stdout);
    if (stanza.name != "message" || body == nullptr || stanza.attr("type") == "error") {
      co_return;
    }
    Element reply("message", std::string(kNsServer));
    reply.set("from", stanza.attr("to")).set("to", stanza.attr("from")).set("type", "chat");
    reply.set("id", "echo-" + std::to_string(++echoes));
    Element text("body", std::string(kNsServer));
    text.text = "echo " + body->text;
    reply.add_child(std::move(text));
    auto local = Jid::parse(stanza.attr("to"));
    auto remote = Jid::parse(stanza.attr("from"));
    if (local && remote) {
      pool_->send({std::string(local->domain_part()), std::string(remote->domain_part())},
                  std::move(reply));
    }
  }
  int echoes = 0;

 private:
  S2sPool*& pool_;
};

int run(const Args& args) {
  asio::io_context io;
  MetricsRegistry registry;
  S2sMetrics metrics(registry);
  S2sConfig config;
  config.stream = stream_config(args.domain);
  gateway::FakeResolver resolver;
  const auto peer_addr = asio::ip::make_address(args.peer_addr);
  resolver.set_srv(gateway::srv_name(gateway::SrvService::xmpp_server, args.peer_domain),
                   std::vector{gateway::SrvTarget{"xmpp." + args.peer_domain, 5269, 0, 0, 60}});
  resolver.set_host("xmpp." + args.peer_domain, std::vector{gateway::AddressRecord{peer_addr, 60}});
  int bounced = 0;
  auto bounce = [&](Element stanza, StanzaErrc condition) {
    std::printf("bounced id=%s condition=%s\n", std::string(stanza.attr("id")).c_str(),
                std::string(condition_name(condition)).c_str());
    ++bounced;
  };
  S2sPool* pool_ptr = nullptr;
  EchoBot bot(pool_ptr);
  S2sPool pool(io.get_executor(), config, resolver, metrics, bounce, Logger{});
  pool_ptr = &pool;
  InboundDeps deps{config, bot, metrics, Logger{}, &pool};
  S2sListener listener(io.get_executor(), deps, false);
  auto bound = listener.listen({asio::ip::make_address(args.listen_addr), 5269});
  if (!bound) {
    std::printf("listen failed: %s\n", bound.error().message().c_str());
    return 1;
  }
  asio::co_spawn(io, listener.run(), asio::detached);
  const auto deadline = Clock::now() + std::chrono::seconds(args.seconds);
  while (Clock::now() < deadline && bounced == 0 &&
         registry.value("fedgate_xmpp_s2s_delivered_total", {}) < 1) {
    io.run_one_for(std::chrono::milliseconds(50));
  }
  const bool ok = bounced == 0 && registry.value("fedgate_xmpp_s2s_delivered_total", {}) >= 1;
  std::printf("%s echoes=%d bounced=%d\n", ok ? "PASS" : "FAIL", bot.echoes, bounced);
  listener.stop();
  pool.shutdown();
  io.run_for(std::chrono::seconds(2));
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: %s DOMAIN LISTEN_ADDR PEER_DOMAIN PEER_ADDR SECONDS\n", argv[0]);
    return 2;
  }
  return run(Args{argv[1], argv[2], argv[3], argv[4], std::atoi(argv[5])});
}
