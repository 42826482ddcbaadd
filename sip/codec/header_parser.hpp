// Internal to sip_codec: typed parsing of one unfolded header field into MessageHeaders
// (RFC 3261 §20, RFC 6665 §8.2, §7.3.3 compact forms). Used by parser.cpp; any thread.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "sip/codec/message.hpp"
#include "sip/codec/parse_error.hpp"

namespace fedgate::sip::detail {

// What the header pass remembers across fields: which single-valued headers were seen,
// and the Content-Length value.
struct HeaderState {
  std::uint32_t seen = 0;  // bit per single-valued header
  std::optional<std::uint64_t> content_length;
  // Verbatim headers not yet copied into `other` (views into the message bytes), so that
  // `other` is allocated once: see flush_other().
  std::array<std::pair<std::string_view, std::string_view>, 16> pending{};
  std::size_t pending_count = 0;
};

// Adds the field `name: value` (value unfolded, trimmed) to `h`. ParseErrc{} on success.
// `stable`: name and value point into the message bytes (not into a folding scratch buffer),
// so a verbatim header may wait in state.pending.
ParseErrc add_header(std::string_view name, std::string_view value, MessageHeaders& h,
                     HeaderState& state, bool stable = false);
// Appends the pending verbatim headers to h.other, in order. Call at the end of the section.
void flush_other(MessageHeaders& h, HeaderState& state);

// Whether Via, From, To, Call-ID and CSeq were all present (RFC 3261 §8.1.1).
bool has_mandatory(const HeaderState& state, const MessageHeaders& h);

// Reads the header line at `pos`, joining continuation lines (RFC 3261 §7.3.1) into
// `scratch` when there are any. Returns the position after it, or npos at the end of bytes.
std::size_t next_line(std::string_view bytes, std::size_t pos, std::string_view& line,
                      std::string& scratch);
std::string_view trim(std::string_view s);

// The compact form's full name ("v" -> "Via"), or the name itself.
std::string_view expand_compact(std::string_view name);

}  // namespace fedgate::sip::detail
