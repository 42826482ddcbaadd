// S2sMetrics: every metric of the XMPP s2s transport in one place (STYLE.md B7: every refusal
// is a stat, a flag and a reason). Owned by the node, shared by the listener, the sessions
// and the pool; updated lock-free from any strand. Labels: direction, reason, condition.
#pragma once

#include <string_view>

#include "gateway/base/metrics.hpp"

namespace fedgate::xmpp {

enum class S2sDirection { inbound, outbound };

class S2sMetrics {
 public:
  explicit S2sMetrics(MetricsRegistry& registry);

  // fedgate_xmpp_s2s_streams_total / fedgate_xmpp_s2s_streams (gauge), per direction.
  void opened(S2sDirection d);
  // fedgate_xmpp_s2s_closed_total{direction,reason}.
  void closed(S2sDirection d, std::string_view reason);
  // fedgate_xmpp_s2s_refused_total{reason}: connect, TLS, certificate, authentication.
  void refused(std::string_view reason);
  // fedgate_xmpp_s2s_stanzas_total{direction}.
  void stanza(S2sDirection d);
  // fedgate_xmpp_s2s_delivered_total, _resent_total, _bounced_total{condition}.
  void delivered();
  void resent();
  void bounced(std::string_view condition);
  // fedgate_xmpp_s2s_held_total: stanzas neither delivered nor bounced at node shutdown (their
  // messages stay pending in the outbox and go out again at the next start).
  void held();

  MetricsRegistry& registry() { return registry_; }

 private:
  static const char* name(S2sDirection d) { return d == S2sDirection::inbound ? "in" : "out"; }
  MetricsRegistry& registry_;
  Counter* opened_[2] = {};
  Gauge* active_[2] = {};
  Counter* stanzas_[2] = {};
  Counter* delivered_ = nullptr;
  Counter* resent_ = nullptr;
  Counter* held_ = nullptr;
};

}  // namespace fedgate::xmpp
