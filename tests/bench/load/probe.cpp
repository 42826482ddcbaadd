#include "tests/bench/load/probe.hpp"

#include <algorithm>
#include <charconv>

namespace fedgate::load {
namespace {

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

double percentile_ms(const std::vector<std::uint32_t>& sorted, double q) {
  if (sorted.empty()) {
    return 0;
  }
  auto index = static_cast<std::size_t>(q * static_cast<double>(sorted.size() - 1) + 0.5);
  return static_cast<double>(sorted[std::min(index, sorted.size() - 1)]) / 1000.0;
}

}  // namespace

// Per-sequence state bits.
constexpr std::uint8_t kSent = 1, kArrived = 2, kAwaiting = 4, kAnswered = 8, kAnswerError = 16;

Probe::Probe(std::string name, std::size_t count)
    : name_(std::move(name)), send_ns_(count, 0), state_(count, 0) {
  latency_us_.reserve(count);
  lag_us_.reserve(count);
}

// A unit is finished when it arrived or its request failed, and no SIP answer is pending.
bool Probe::finished(std::uint8_t state) const {
  return (state & kAwaiting) == 0 && (state & (kArrived | kAnswerError)) != 0;
}

void Probe::settle(std::size_t seq, std::uint8_t before) {
  if (!finished(before) && finished(state_[seq])) {
    ++done_;
  }
}

void Probe::schedule(TimePoint start, double rate) {
  schedule_start_ns_ =
      std::chrono::duration_cast<std::chrono::nanoseconds>(start.time_since_epoch()).count();
  rate_ = rate;
}

void Probe::sent(std::size_t seq) {
  const auto ns = now_ns();
  send_ns_[seq] = ns;
  state_[seq] = kSent;
  if (sent_++ == 0) {
    first_send_ns_ = ns;
  }
  last_send_ns_ = ns;
}

void Probe::written(std::size_t first, std::size_t last) {
  const auto ns = now_ns();
  last = std::min(last, send_ns_.size());
  for (std::size_t seq = first; seq < last; ++seq) {
    send_ns_[seq] = ns;
    if (rate_ > 0) {
      const auto due = schedule_start_ns_ +
                       static_cast<std::int64_t>(static_cast<double>(seq) * 1e9 / rate_);
      lag_us_.push_back(static_cast<std::uint32_t>(std::max<std::int64_t>(0, ns - due) / 1000));
    }
  }
  if (first == 0 && last > 0) {
    first_send_ns_ = ns;
  }
  last_send_ns_ = ns;
}

void Probe::expect_answer(std::size_t seq) {
  if (seq < state_.size() && state_[seq] == kSent) {
    state_[seq] |= kAwaiting;
    ++awaiting_;
  }
}

void Probe::answered(std::size_t seq, bool ok) {
  if (seq >= state_.size() || (state_[seq] & kSent) == 0 || (state_[seq] & kAnswered) != 0) {
    return;
  }
  const std::uint8_t before = state_[seq];
  if ((before & kAwaiting) != 0) {
    --awaiting_;
    answer_us_.push_back(static_cast<std::uint32_t>((now_ns() - send_ns_[seq]) / 1000));
  }
  state_[seq] = static_cast<std::uint8_t>((before & ~kAwaiting) | kAnswered |
                                          (ok ? 0 : kAnswerError));
  if (!ok) {
    ++errors_;
    if ((before & kArrived) != 0) {
      ++error_delivered_;  // told it failed after it had arrived
    }
  }
  settle(seq, before);
}

void Probe::arrived(std::size_t seq, bool mapped_ok) {
  if (seq >= state_.size() || state_[seq] == 0) {
    ++unknown_;
    return;
  }
  const std::uint8_t before = state_[seq];
  if ((before & kArrived) != 0) {
    ++duplicates_;
    return;
  }
  auto now = now_ns();
  state_[seq] |= kArrived;
  ++delivered_;
  if ((before & kAnswerError) != 0) {
    ++error_delivered_;  // told it failed, then it arrived
  }
  if (!mapped_ok) {
    ++mismapped_;
  }
  last_arrival_ns_ = now;
  latency_us_.push_back(static_cast<std::uint32_t>((now - send_ns_[seq]) / 1000));
  settle(seq, before);
}

std::string Probe::tag(char phase, std::size_t seq) {
  std::string t = "L";
  t += phase;
  t += ':';
  t += std::to_string(seq);
  return t;
}

bool Probe::parse_tag(std::string_view text, char& phase, std::size_t& seq) {
  auto at = text.find('L');
  while (at != std::string_view::npos) {
    if (at + 3 < text.size() && text[at + 2] == ':') {
      const char* first = text.data() + at + 3;
      const char* last = text.data() + text.size();
      auto [end, ec] = std::from_chars(first, last, seq);
      if (ec == std::errc{} && end != first) {
        phase = text[at + 1];
        return true;
      }
    }
    at = text.find('L', at + 1);
  }
  return false;
}

PhaseStats Probe::stats(double offered_per_s) const {
  PhaseStats s;
  s.name = name_;
  s.sent = sent_;
  s.delivered = delivered_;
  s.send_failed = errors_ - error_delivered_;
  s.error_delivered = error_delivered_;
  s.unanswered = awaiting_;
  s.lost = sent_ - delivered_ - s.send_failed;
  s.duplicates = duplicates_ + unknown_;
  s.mismapped = mismapped_;
  s.offered_per_s = offered_per_s;
  auto send_span = static_cast<double>(last_send_ns_ - first_send_ns_) / 1e9;
  auto span = static_cast<double>(last_arrival_ns_ - first_send_ns_) / 1e9;
  s.sent_per_s = send_span > 0 ? static_cast<double>(sent_) / send_span : 0;
  s.delivered_per_s = span > 0 ? static_cast<double>(delivered_) / span : 0;
  auto sorted = latency_us_;
  std::sort(sorted.begin(), sorted.end());
  s.p50_ms = percentile_ms(sorted, 0.50);
  s.p90_ms = percentile_ms(sorted, 0.90);
  s.p99_ms = percentile_ms(sorted, 0.99);
  s.max_ms = sorted.empty() ? 0 : static_cast<double>(sorted.back()) / 1000.0;
  auto answers = answer_us_;
  std::sort(answers.begin(), answers.end());
  s.answer_p50_ms = percentile_ms(answers, 0.50);
  s.answer_p99_ms = percentile_ms(answers, 0.99);
  auto lags = lag_us_;
  std::sort(lags.begin(), lags.end());
  s.lag_p50_ms = percentile_ms(lags, 0.50);
  s.lag_p99_ms = percentile_ms(lags, 0.99);
  s.lag_max_ms = lags.empty() ? 0 : static_cast<double>(lags.back()) / 1000.0;
  return s;
}

}  // namespace fedgate::load
