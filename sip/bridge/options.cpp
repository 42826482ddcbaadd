// OPTIONS answers and keep-alive OPTIONS (RFC 3261 §11, MS-CONMGMT ms-keep-alive).
#include "sip/bridge/options.hpp"

#include <fmt/format.h>

#include "sip/codec/error_response.hpp"

namespace fedgate::sip {

NameAddr agent_contact(const AgentConfig& config) {
  return NameAddr::parse(fmt::format("<sip:{}:{};transport=tls>", config.routing_fqdn, config.port))
      .value();
}

Via agent_via(const AgentConfig& config) {
  Via via;
  via.transport = "TLS";
  via.host = config.routing_fqdn;
  via.port = config.port;
  return via;
}

Response make_options_answer(const Request& options, const AgentConfig& config,
                             std::string_view to_tag) {
  Response r = make_error_response(options, 200, "OK", to_tag);
  r.contact.push_back(agent_contact(config));
  for (auto tag : kSupported) {
    r.supported.emplace_back(tag);
  }
  r.other.push_back({"Allow", std::string(kAllow)});
  r.other.push_back({"Accept", std::string(kAccept)});
  r.other.push_back({"Server", config.user_agent});
  return r;
}

Request make_keepalive_options(const KeepAlivePeer& peer, const AgentConfig& config,
                               std::string branch, std::string tag, std::string call_id) {
  const std::string& domain = peer.domain.empty() ? peer.host : peer.domain;
  const std::string& ours = config.local_domain.empty() ? config.routing_fqdn : config.local_domain;
  Request r;
  r.method = Method::options;
  r.request_uri =
      Uri::parse(peer.port ? fmt::format("sip:{}:{};transport=tls", peer.host, peer.port)
                           : fmt::format("sip:{};transport=tls", peer.host))
          .value();
  Via via = agent_via(config);
  set_param(via.params, "branch", std::move(branch));
  r.via.push_back(std::move(via));
  r.from = NameAddr::parse(fmt::format("<sip:{}>", ours)).value();
  set_param(r.from.params, "tag", std::move(tag));
  r.to = NameAddr::parse(fmt::format("<sip:{}>", domain)).value();
  r.call_id = std::move(call_id);
  r.cseq = CSeq{1, Method::options, {}};
  r.max_forwards = 70;
  r.contact.push_back(agent_contact(config));
  r.other.push_back({"Accept", std::string(kAccept)});
  r.other.push_back({"User-Agent", config.user_agent});
  return r;
}

}  // namespace fedgate::sip
