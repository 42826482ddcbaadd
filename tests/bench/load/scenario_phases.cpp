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
  ++phase_serial_;
  serial_phase_ += phase;
  if (meter_ != nullptr) {
    meter_->start();
  }
  auto running = pacer_.run(
      probe, [this, phase](std::size_t seq) { send_one(phase, seq); },
      [this] { partner_->lean().flush(); });
  co_await std::move(running);
  probe_ = nullptr;
  PhaseStats stats = probe.stats(plan_.rate);
  if (meter_ != nullptr) {
    stats.cpu = meter_->stop();
  }
  co_return stats;
}

// Phases a and d go through LeanSip (pre-encoded requests in the dialogs of setup, one write
// per pacer batch); b and c through the home's s2s pool.
void Scenario::send_one(char phase, std::size_t seq) {
  const std::size_t j = seq % plan_.users;
  const std::size_t k = seq / plan_.users;
  LeanSip& lean = partner_->lean();
  switch (phase) {
    case 'a': {
      probe_->expect_answer(seq);
      const sip::Body body =
          msrtc_body(partner_address_[j], lync_availability_for(k), Probe::tag('a', seq) + " note");
      if (!lean.send_notify(j, seq, phase_serial_, body.bytes)) {
        answered(seq, phase_serial_, 0);
      }
      break;
    }
    case 'b':
      home_->send(presence_stanza(home_user(j) + "/load", partner_user(j), "", xmpp_show_for(k),
                                  Probe::tag(phase, seq) + " presence from home"));
      break;
    case 'c':
      home_->send(
          chat_stanza(home_user(j) + "/load", partner_user(j), Probe::tag(phase, seq) + " IM"));
      break;
    case 'd':
      probe_->expect_answer(seq);
      if (!session_up_[j] ||
          !lean.send_message(j, seq, phase_serial_, Probe::tag('d', seq) + " IM")) {
        answered(seq, phase_serial_, 0);
      }
      break;
    default:
      probe_->send_failed(seq);
  }
}

// The final answer of a SIP send, to the phase that sent it (if it still runs).
void Scenario::answered(std::size_t seq, std::size_t serial, int status) {
  const bool ok = status >= 200 && status < 300;
  if (!ok) {
    // e.g. "a_notify_503": the phase, what was sent, the final status (0: no dialog).
    anomaly(std::string(1, phase_for(serial)) + (phase_for(serial) == 'a' ? "_notify_" : "_message_") +
            (status == 0 ? std::string("no_dialog") : std::to_string(status)));
  }
  if (probe_ != nullptr && serial == phase_serial_) {
    probe_->answered(seq, ok);
  } else {
    anomaly("late_answer");
  }
}

void Scenario::lean_answered(std::size_t seq, std::size_t serial, int status) {
  answered(seq, serial, status);
}

std::size_t Scenario::sending() const {
  return partner_ != nullptr ? partner_->lean().pending() : 0;
}

char Scenario::phase_for(std::size_t serial) const {
  return serial >= 1 && serial <= serial_phase_.size() ? serial_phase_[serial - 1] : '?';
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
