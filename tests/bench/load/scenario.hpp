// Scenario: the load generator's script and both outer parties of Case 1 (the home's
// StanzaHandler, the partner's AgentEvents): N x N subscriptions and IM sessions through
// fedgate, then the timed phases a-d, each arrival matched to its send by a tag. Owned by
// main; every handler runs on the generator's single thread. RFC 7248, RFC 7572, MS-PRES.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sip/bridge/agent.hpp"
#include "tests/bench/load/home_server.hpp"
#include "tests/bench/load/lean_sip.hpp"
#include "tests/bench/load/msrtc_reader.hpp"
#include "tests/bench/load/pacer.hpp"
#include "tests/bench/load/partner_server.hpp"
#include "tests/bench/load/probe.hpp"
#include "xmpp/transport/s2s_config.hpp"

namespace fedgate::load {

class Scenario final : public xmpp::StanzaHandler, public sip::AgentEvents, public LeanEvents {
 public:
  Scenario(boost::asio::io_context& io, LoadPlan plan);
  void attach(HomeServer& home, PartnerServer& partner);
  // Measures each timed phase's CPU split; `meter` must outlive the scenario (null: none).
  void set_cpu_meter(CpuMeter* meter) { meter_ = meter; }

  // Setup, then every phase of plan.phases; `failure` says why setup did not complete.
  boost::asio::awaitable<std::vector<PhaseStats>> run();
  std::string failure;

  boost::asio::awaitable<void> on_stanza(xmpp::Element stanza) override;
  // Every stanza is handled synchronously: taken at once, no coroutine. Not marked override:
  // it overrides StanzaHandler::take_now where the transport has that fast path.
  bool take_now(xmpp::Element& stanza);
  boost::asio::awaitable<sip::Answer> on_page_message(sip::PageMessageEvent e) override;
  boost::asio::awaitable<sip::Answer> on_subscribe(sip::SubscribeEvent e) override;
  boost::asio::awaitable<sip::Answer> on_publish(sip::PublishEvent e) override;
  boost::asio::awaitable<sip::Answer> on_invite(sip::InviteEvent e) override;
  void on_notify(sip::NotifyEvent e) override;
  void on_subscription_ended(sip::SubscriptionEndedEvent e) override;
  void on_watcher_gone(sip::WatcherGoneEvent e) override;
  void on_session_message(sip::SessionMessageEvent e) override;
  void on_session_ended(sip::SessionEndedEvent e) override;
  void on_peer_status(sip::PeerStatusEvent) override {}

  void lean_answered(std::size_t seq, std::size_t serial, int status) override;
  void lean_notify(std::size_t j, const sip::Request& notify) override;
  void lean_message(std::size_t j, const sip::Request& message) override;

  // Unexpected events (refusals, bounces, ended dialogs), by name, for the report.
  const std::vector<std::pair<std::string, std::size_t>>& anomalies() const { return anomalies_; }
  // SIP sends still waiting for their answer (0 once every coroutine has finished).
  std::size_t sending() const;

 private:
  // scenario_setup.cpp
  boost::asio::awaitable<bool> setup();
  boost::asio::awaitable<bool> setup_step(const char* name, std::function<void(std::size_t)> start,
                                          const std::vector<std::uint8_t>& done);
  boost::asio::awaitable<void> partner_subscribe(std::size_t j);
  boost::asio::awaitable<void> partner_open_session(std::size_t j);
  void home_subscribe(std::size_t j);
  void home_first_message(std::size_t j);

  // scenario_phases.cpp
  boost::asio::awaitable<PhaseStats> run_phase(char phase);
  void send_one(char phase, std::size_t seq);
  void answered(std::size_t seq, std::size_t serial, int status);
  char phase_for(std::size_t serial) const;
  void on_arrival(char phase, std::size_t seq, bool mapped_ok);

  // scenario_events.cpp
  void home_presence(const xmpp::Element& stanza);
  void home_message(const xmpp::Element& stanza);
  void partner_text(const presence::Address& from, const presence::Address& to,
                    const std::string& text);
  void anomaly(const std::string& name);
  // Phase b arrivals: the tag and whether the document says what the <show> sent maps to.
  bool read_notify_body(std::size_t j, const sip::Request& notify, std::string& tag_text,
                        bool& state_ok);

  bool is_user(std::string_view address, char prefix, std::size_t j) const;
  bool is_user(const sip::Uri& uri, char prefix, std::size_t j) const;
  std::string home_user(std::size_t j) const;
  std::string partner_user(std::size_t j) const;

  boost::asio::io_context& io_;
  LoadPlan plan_;
  HomeServer* home_ = nullptr;
  PartnerServer* partner_ = nullptr;
  Pacer pacer_;

  std::vector<sip::DialogId> notifier_;  // partner notifier per pair (fedgate watches p_j)
  std::vector<sip::DialogId> session_;   // partner-opened IM session per pair
  std::vector<std::uint8_t> partner_sees_home_, home_sees_partner_, session_up_, home_got_im_,
      partner_got_im_;
  std::vector<presence::Address> home_address_, partner_address_;  // h_j, p_j
  MsrtcReader msrtc_;     // phase b: fedgate's NOTIFY documents
  MsrtcReading reading_;  // reused per document

  Probe* probe_ = nullptr;
  char phase_ = 0;
  std::size_t phase_serial_ = 0;  // 1 for the first phase run, ...
  std::string serial_phase_;      // the phase letter of each run, by serial - 1
  CpuMeter* meter_ = nullptr;
  std::vector<std::pair<std::string, std::size_t>> anomalies_;
};

}  // namespace fedgate::load
