// Scenario, timed phases: open loop at plan.rate (sends due by the clock, 1 ms ticks) or max
// mode (plan.window tags in flight); then a drain until every send arrived or failed, or the
// drain timeout ends (what is still missing is lost).
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "tests/bench/load/scenario.hpp"
#include "tests/bench/load/stanzas.hpp"

// GCC 12 (-O1, ASan): Asio coroutine frame new/delete false positive (see sip_net).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace fedgate::load {

namespace asio = boost::asio;

asio::awaitable<PhaseStats> Scenario::run_phase(char phase) {
  Probe probe(phase_name(phase), plan_.count);
  probe_ = &probe;
  phase_ = phase;
  auto running = pacer_.run(probe, [this, phase](std::size_t seq) { send_one(phase, seq); });
  co_await std::move(running);
  probe_ = nullptr;
  co_return probe.stats(plan_.rate);
}

void Scenario::send_one(char phase, std::size_t seq) {
  const std::size_t j = seq % plan_.users;
  const std::size_t k = seq / plan_.users;
  const std::string tag = Probe::tag(phase, seq);
  probe_->sent(seq);
  switch (phase) {
    case 'a':
      asio::co_spawn(io_, send_notify(seq), asio::detached);
      break;
    case 'b':
      home_->send(presence_stanza(home_user(j) + "/load", partner_user(j), "", xmpp_show_for(k),
                                  tag + " presence from home"));
      break;
    case 'c':
      home_->send(chat_stanza(home_user(j) + "/load", partner_user(j), tag + " IM from home"));
      break;
    case 'd':
      asio::co_spawn(io_, send_in_session(seq), asio::detached);
      break;
    default:
      probe_->send_failed(seq);
  }
}

asio::awaitable<void> Scenario::send_notify(std::size_t seq) {
  const std::size_t j = seq % plan_.users;
  const std::size_t k = seq / plan_.users;
  sip::Body body =
      msrtc_body(partner_user(j), lync_availability_for(k), Probe::tag('a', seq) + " note");
  sip::DialogId dialog = notifier_[j];
  auto notifying =
      partner_->agent().notify(std::move(dialog), sip::SubState::active, std::move(body));
  auto response = co_await std::move(notifying);
  if (!response || response->status >= 300) {
    anomaly(response ? "notify_" + std::to_string(response->status) : "notify_no_dialog");
    if (probe_ != nullptr && phase_ == 'a') {
      probe_->send_failed(seq);
    }
  }
}

asio::awaitable<void> Scenario::send_in_session(std::size_t seq) {
  const std::size_t j = seq % plan_.users;
  if (!session_up_[j]) {
    probe_->send_failed(seq);
    co_return;
  }
  sip::DialogId dialog = session_[j];
  auto sending =
      partner_->agent().send_in_session(std::move(dialog), text_body(Probe::tag('d', seq) + " IM"));
  auto result = co_await std::move(sending);
  if (result.outcome != sip::MessageOutcome::delivered) {
    anomaly("session_message_" + std::to_string(result.status));
    if (probe_ != nullptr && phase_ == 'd') {
      probe_->send_failed(seq);
    }
  }
}

void Scenario::on_arrival(char phase, std::size_t seq, bool mapped_ok) {
  if (probe_ == nullptr || phase != phase_) {
    anomaly("late_arrival");
    return;
  }
  probe_->arrived(seq, mapped_ok);
  pacer_.arrived(*probe_);
}

}  // namespace fedgate::load
