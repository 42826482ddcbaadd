// AgentConfig: what a SipAgent needs to know about itself — the federation routing FQDN (Via
// sent-by, Contact, Record-Route), limits, and the peers it keeps alive with OPTIONS.
// Owned by the Node (config), read-only for the agent; any thread. RFC 3261 §8.1.1, §11.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "gateway/base/clock.hpp"

namespace fedgate::sip {

struct KeepAlivePeer {
  std::string host;        // FQDN (resolved like any destination) or IP literal
  std::uint16_t port = 0;  // 0: located by DNS (RFC 3263)
  std::string domain;      // for From/To/Request-URI of the OPTIONS; empty: host
};

struct AgentConfig {
  std::string routing_fqdn = "localhost";  // Settings::federation_routing_fqdn
  std::uint16_t port = 5061;               // where we listen (Contact, Via)
  std::string local_domain;                // From of keep-alive OPTIONS; empty: routing_fqdn
  std::uint32_t max_subscription_expires = 3600;
  std::uint32_t subscribe_expires = 3600;  // what our SUBSCRIBEs ask for
  std::vector<KeepAlivePeer> keepalive_peers;
  Duration keepalive_interval = std::chrono::seconds(30);
  std::string user_agent = "fedgate";
};

}  // namespace fedgate::sip
