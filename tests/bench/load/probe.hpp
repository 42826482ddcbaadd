// Probe: the send and arrival book of one measured phase of the load generator — send times by
// sequence number, arrivals matched to them on one monotonic clock, duplicates, unmatched and
// mis-mapped arrivals, and the latency percentiles. Owned by the Scenario; generator thread only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "gateway/base/clock.hpp"
#include "tests/bench/load/cpu_meter.hpp"

namespace fedgate::load {

// What a phase reports (README: "Reading the report").
struct PhaseStats {
  std::string name;
  std::size_t sent = 0;
  std::size_t delivered = 0;
  std::size_t lost = 0;         // sent, never arrived before the drain timeout ended
  std::size_t send_failed = 0;  // the sending side got an error and nothing arrived
  std::size_t error_delivered = 0;  // the sending side got an error, yet the tag arrived
  std::size_t unanswered = 0;       // a SIP request with no final response at the end
  std::size_t duplicates = 0;
  std::size_t mismapped = 0;   // arrived with the wrong addresses or state mapping
  double offered_per_s = 0;    // configured rate (0: max mode, window-driven)
  double sent_per_s = 0;       // sent / send duration
  double delivered_per_s = 0;  // delivered / (last arrival - first send)
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;
  double answer_p50_ms = 0, answer_p99_ms = 0;  // SIP sends: send -> final response
  // Open loop: due (start + seq / rate) -> handed to the transport; coordinated omission shows
  // here (0 in max mode, where nothing is due).
  double lag_p50_ms = 0, lag_p99_ms = 0, lag_max_ms = 0;
  CpuUsage cpu;  // who used the cores from the first send to the end of the drain
};

class Probe {
 public:
  Probe(std::string name, std::size_t count);

  // Open loop: seq is due at start + seq / rate (rate 0: max mode, no schedule).
  void schedule(TimePoint start, double rate);
  // Records the send of `seq` (0 <= seq < count), provisionally timed now.
  void sent(std::size_t seq);
  // [first, last) were handed to the transports now: their send time, and their schedule lag.
  void written(std::size_t first, std::size_t last);
  // A SIP send: the unit also waits for the request's final response (answered()).
  void expect_answer(std::size_t seq);
  // The final response of `seq`'s request (or its failure: transport, timeout, no dialog).
  void answered(std::size_t seq, bool ok);
  void send_failed(std::size_t seq) { answered(seq, false); }
  // An arrival carrying `seq`; `mapped_ok` is the caller's check of addresses and mapping.
  void arrived(std::size_t seq, bool mapped_ok);
  // Tags: "L<phase letter>:<seq>"; parse returns false when `text` carries none.
  static std::string tag(char phase, std::size_t seq);
  static bool parse_tag(std::string_view text, char& phase, std::size_t& seq);

  std::size_t count() const { return send_ns_.size(); }
  std::size_t sent_count() const { return sent_; }
  // Units not finished: neither arrived nor failed, or still awaiting their SIP answer.
  std::size_t in_flight() const { return sent_ - done_; }
  bool settled() const { return sent_ == count() && done_ == sent_; }
  PhaseStats stats(double offered_per_s) const;

 private:
  bool finished(std::uint8_t state) const;
  void settle(std::size_t seq, std::uint8_t before);

  std::string name_;
  std::vector<std::int64_t> send_ns_;  // 0: not sent
  std::vector<std::uint8_t> state_;   // kSent, kArrived, kAwaiting, kAnswerOk, kAnswerError bits
  std::vector<std::uint32_t> latency_us_, answer_us_, lag_us_;
  std::int64_t schedule_start_ns_ = 0;
  double rate_ = 0;
  std::size_t sent_ = 0, delivered_ = 0, done_ = 0, errors_ = 0, error_delivered_ = 0;
  std::size_t awaiting_ = 0, duplicates_ = 0, mismapped_ = 0;
  std::size_t unknown_ = 0;
  std::int64_t first_send_ns_ = 0, last_send_ns_ = 0, last_arrival_ns_ = 0;
};

}  // namespace fedgate::load
