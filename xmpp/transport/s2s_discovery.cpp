#include "xmpp/transport/s2s_discovery.hpp"

#include "xmpp/codec/jid.hpp"

namespace fedgate::xmpp {
namespace {

namespace asio = boost::asio;

// Appends the ordered targets of one SRV answer; returns whether the name had an answer
// at all ("." included: a definite "no service", RFC 6120 §3.2.1 step 3 stops there).
bool append(std::vector<S2sCandidate>& out, const result<std::vector<gateway::SrvTarget>>& answer,
            bool direct_tls, const gateway::SrvRandom& random) {
  if (!answer || answer->empty()) {
    return false;
  }
  for (auto& target : gateway::order_srv_targets(*answer, random)) {
    out.push_back({target.host, target.port, direct_tls});
  }
  return true;
}

}  // namespace

asio::awaitable<std::vector<S2sCandidate>> discover(std::string domain, const S2sConfig& config,
                                                    gateway::Resolver& resolver,
                                                    gateway::SrvRandom random) {
  std::vector<S2sCandidate> out;
  if (config.static_route) {
    if (auto route = config.static_route(domain)) {
      out.push_back({route->host, route->port, route->direct_tls});
      co_return out;
    }
  }
  domain = dns_name(domain);  // RFC 7622 §3.2: DNS sees A-labels
  bool answered = false;
  if (config.client_tls) {  // XEP-0368 §3: Direct TLS targets first when we speak TLS
    auto name = gateway::srv_name(gateway::SrvService::xmpps_server, domain);
    auto lookup = resolver.resolve_srv(std::move(name));
    auto xmpps = co_await std::move(lookup);
    answered = append(out, xmpps, true, random);
  }
  auto name = gateway::srv_name(gateway::SrvService::xmpp_server, domain);
  auto lookup = resolver.resolve_srv(std::move(name));
  auto xmpp = co_await std::move(lookup);
  answered = append(out, xmpp, false, random) || answered;
  if (!answered) {
    out.push_back({domain, config.default_port, false});  // RFC 6120 §3.2.2 fallback
  }
  co_return out;
}

}  // namespace fedgate::xmpp
