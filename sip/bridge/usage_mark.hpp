// What the SipAgent remembers of each subscription usage besides the usage itself: what its
// last exported record held (so a NOTIFY that only moves CSeqs is not exported) and whether
// its dialog is decoded (hot). Owned by sip_net; plain values on the agent's strand.
// RFC 3261 §12.2.1.1 / §12.2.2 (CSeq order), RFC 6665 §4.1.2.1 / §4.2.2 (restart).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gateway/base/clock.hpp"
#include "sip/dialog/dialog.hpp"

namespace fedgate::sip {

// The export rule. A record is exported when the usage is new to the sink, when something a
// restart needs changed (the usage's durable_revision()), or when the local CSeq has moved
// more than kCseqWriteStep past the exported one. Why CSeqs alone need no write:
//  * remote CSeq: a restored value older than the peer's last only lets later requests in
//    (§12.2.2 refuses requests numbered at or below it; the peer's next ones are higher);
//  * local CSeq: a restored usage skips kRestartCseqGap ahead of the stored value. The stored
//    value trails the CSeqs sent by at most kCseqWriteStep (half the gap), so the restored
//    numbering starts above every request sent, with the other half left for requests sent
//    while the export is on its way to the store.
inline constexpr std::uint32_t kCseqWriteStep = kRestartCseqGap / 2;

struct UsageMark {
  std::optional<std::uint64_t> exported_revision;  // nullopt: never exported
  std::uint32_t exported_cseq = 0;                 // its local CSeq
  bool hot = false;      // listed for the next compaction sweep
  bool touched = false;  // used since the last sweep

  // Whether a record of a usage now at (`revision`, `local_cseq`) must be exported.
  bool needs_export(std::uint64_t revision, std::uint32_t local_cseq) const {
    return !exported_revision || *exported_revision != revision ||
           local_cseq - exported_cseq > kCseqWriteStep;
  }
  void exported(std::uint64_t revision, std::uint32_t local_cseq) {
    exported_revision = revision;
    exported_cseq = local_cseq;
  }
};

// How long a usage stays decoded after its last event: it is compacted by the first sweep
// that finds it untouched since the one before (so after one to two periods).
inline constexpr Duration kHotPeriod = std::chrono::seconds(2);

// The agent's usages with UsageMark::hot set, by key (a key may repeat; the sweep copes).
struct HotUsages {
  std::vector<std::pair<std::string, std::string>> subscribers;  // Call-ID, our tag
  std::vector<DialogId> notifiers;
  TimePoint next_sweep{};
  bool empty() const { return subscribers.empty() && notifiers.empty(); }
};

}  // namespace fedgate::sip
