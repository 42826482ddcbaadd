// Typed header parsing (RFC 3261 §20; RFC 6665 §8.2.1, §8.2.3; RFC 4475 §3.3.8, §3.3.9).
#include "sip/codec/header_parser.hpp"

#include <array>
#include <cstring>
#include <limits>
#include <utility>

#include "sip/codec/grammar.hpp"
#include "sip/codec/parse_into.hpp"

namespace fedgate::sip::detail {
namespace {

using namespace grammar;

enum class Id {
  via, from, to, call_id, cseq, contact, route, record_route, max_forwards, expires, event,
  subscription_state, content_type, content_length, require, supported, date, other
};

struct Known {
  std::string_view name;
  char compact;
  Id id;
};

constexpr std::array<Known, 17> kKnown{{
    {"Via", 'v', Id::via},
    {"From", 'f', Id::from},
    {"To", 't', Id::to},
    {"Call-ID", 'i', Id::call_id},
    {"CSeq", 0, Id::cseq},
    {"Contact", 'm', Id::contact},
    {"Route", 0, Id::route},
    {"Record-Route", 0, Id::record_route},
    {"Max-Forwards", 0, Id::max_forwards},
    {"Expires", 0, Id::expires},
    {"Event", 'o', Id::event},
    {"Subscription-State", 0, Id::subscription_state},
    {"Content-Type", 'c', Id::content_type},
    {"Content-Length", 'l', Id::content_length},
    {"Require", 0, Id::require},
    {"Supported", 'k', Id::supported},
    {"Date", 0, Id::date},
}};

// Compact forms of headers kept verbatim (RFC 3261 §7.3.3 and the IANA registry).
constexpr std::array<std::pair<char, std::string_view>, 13> kOtherCompact{{
    {'a', "Accept-Contact"}, {'b', "Referred-By"}, {'d', "Request-Disposition"},
    {'e', "Content-Encoding"}, {'j', "Reject-Contact"}, {'n', "Identity-Info"},
    {'r', "Refer-To"}, {'s', "Subject"}, {'u', "Allow-Events"}, {'x', "Session-Expires"},
    {'y', "Identity"}, {'k', "Supported"}, {'o', "Event"},
}};

Id classify(std::string_view name) {
  if (name.size() == 1) {
    char ch = to_lower(name[0]);
    for (const auto& k : kKnown) {
      if (k.compact == ch) {
        return k.id;
      }
    }
    return Id::other;
  }
  char first = to_lower(name[0]);
  for (const auto& k : kKnown) {  // cheap pre-checks before the case-insensitive compare
    if (k.name.size() == name.size() && to_lower(k.name[0]) == first && iequals(k.name, name)) {
      return k.id;
    }
  }
  return Id::other;
}

// Marks a single-valued header as seen; false if it was already there.
bool first_time(HeaderState& state, Id id) {
  std::uint32_t bit = 1u << static_cast<unsigned>(id);
  if ((state.seen & bit) != 0) {
    return false;
  }
  state.seen |= bit;
  return true;
}

bool parse_number(std::string_view value, std::uint64_t& out) {
  Cursor c{value};
  return scan_digits(c, out) && c.done();
}

ParseErrc parse_name_addrs(std::string_view value, std::vector<NameAddr>& out, ParseErrc err) {
  bool ok = for_each_comma_item(value, [&](std::string_view item) {
    return parse_name_addr_into(item, out.emplace_back());
  });
  return ok ? ParseErrc{} : err;
}

ParseErrc parse_cseq(std::string_view value, CSeq& cseq) {
  Cursor c{value};
  std::uint64_t n = 0;
  if (!scan_digits(c, n) || n > std::numeric_limits<std::uint32_t>::max()) {
    return ParseErrc::bad_cseq;
  }
  std::size_t before = c.pos;
  c.skip_ws();
  std::string_view method = scan_token(c);
  if (c.pos == before || method.empty() || !c.done()) {
    return ParseErrc::bad_cseq;
  }
  cseq.sequence = static_cast<std::uint32_t>(n);
  cseq.method = method_from_token(method);
  if (cseq.method == Method::other) {
    cseq.method_text.assign(method);
  }
  return {};
}

ParseErrc parse_call_id(std::string_view value, std::string& call_id) {
  std::size_t at = value.find('@');
  if (value.empty() || at == 0 || at + 1 == value.size() ||
      (at != std::string_view::npos && value.find('@', at + 1) != std::string_view::npos)) {
    return ParseErrc::bad_call_id;
  }
  for (char ch : value) {
    if (ch != '@' && !is_word_char(ch)) {
      return ParseErrc::bad_call_id;
    }
  }
  call_id.assign(value);
  return {};
}

ParseErrc parse_token_params(std::string_view value, std::string& token, Params& params,
                             ParseErrc err, bool lower) {
  Cursor c{value};
  std::string_view t = scan_token(c);
  if (t.empty() || !parse_header_params(c, params) || !c.done()) {
    return err;
  }
  token.assign(t);
  if (lower) {
    lower_in_place(token);
  }
  return {};
}

ParseErrc parse_option_tags(std::string_view value, std::vector<std::string>& out) {
  if (value.empty()) {
    return {};
  }
  bool ok = for_each_comma_item(value, [&](std::string_view item) {
    Cursor c{item};
    std::string_view tag = scan_token(c);
    if (tag.empty() || !c.done()) {
      return false;
    }
    out.emplace_back(tag);
    return true;
  });
  return ok ? ParseErrc{} : ParseErrc::bad_option_tags;
}

// rfc1123-date "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 3261 §20.17: only GMT).
bool valid_date(std::string_view value) {
  constexpr std::string_view kPattern = "Aaa, 00 Aaa 0000 00:00:00 GMT";
  if (value.size() != kPattern.size()) {
    return false;
  }
  for (std::size_t i = 0; i < value.size(); ++i) {
    char p = kPattern[i];
    bool ok = (p == 'A' || p == 'a') ? has(value[i], kAlnum) && !is_digit(value[i])
              : p == '0'             ? is_digit(value[i])
                                     : value[i] == p;
    if (!ok) {
      return false;
    }
  }
  return true;
}

ParseErrc parse_scalar(std::string_view value, std::uint64_t max, ParseErrc err,
                       std::optional<std::uint32_t>& out) {
  std::uint64_t n = 0;
  Cursor c{value};
  if (!scan_digits(c, n) || !c.done()) {
    return err;
  }
  if (n > max) {
    if (err == ParseErrc::bad_max_forwards) {
      return err;
    }
    n = max;  // Expires above 2^32-1 is clamped (RFC 3261 §20.19, RFC 4475 §3.1.2.4)
  }
  out = static_cast<std::uint32_t>(n);
  return {};
}

// Headers that may appear at most once (RFC 4475 §3.3.8).
ParseErrc add_single(Id id, std::string_view value, MessageHeaders& h, HeaderState& state) {
  if (!first_time(state, id)) {
    return id == Id::content_length ? ParseErrc::bad_content_length : ParseErrc::duplicate_header;
  }
  switch (id) {
    case Id::from: return parse_name_addr_into(value, h.from) ? ParseErrc{} : ParseErrc::bad_from;
    case Id::to: return parse_name_addr_into(value, h.to) ? ParseErrc{} : ParseErrc::bad_to;
    case Id::call_id: return parse_call_id(value, h.call_id);
    case Id::cseq: return parse_cseq(value, h.cseq);
    case Id::max_forwards: return parse_scalar(value, 255, ParseErrc::bad_max_forwards, h.max_forwards);
    case Id::expires:
      return parse_scalar(value, std::numeric_limits<std::uint32_t>::max(),
                          ParseErrc::bad_expires, h.expires);
    case Id::event:
      h.event.emplace();
      return parse_token_params(value, h.event->package, h.event->params, ParseErrc::bad_event,
                                false);
    case Id::subscription_state:
      h.subscription_state.emplace();
      return parse_token_params(value, h.subscription_state->state, h.subscription_state->params,
                                ParseErrc::bad_subscription_state, true);
    case Id::content_type:
      return parse_media_type_into(value, h.content_type.emplace()) ? ParseErrc{}
                                                                     : ParseErrc::bad_content_type;
    default: {
      std::uint64_t n = 0;
      if (!parse_number(value, n)) {
        return ParseErrc::bad_content_length;  // includes negative values (RFC 4475 §3.1.2.3)
      }
      state.content_length = n;
      return {};
    }
  }
}

ParseErrc add_list(Id id, std::string_view value, MessageHeaders& h) {
  switch (id) {
    case Id::via: {
      bool ok = for_each_comma_item(
          value, [&](std::string_view item) { return parse_via_into(item, h.via.emplace_back()); });
      return ok ? ParseErrc{} : ParseErrc::bad_via;
    }
    case Id::contact:
      if (value == "*") {
        h.contact_star = true;
        return h.contact.empty() ? ParseErrc{} : ParseErrc::bad_contact;
      }
      if (h.contact_star) {
        return ParseErrc::bad_contact;
      }
      return parse_name_addrs(value, h.contact, ParseErrc::bad_contact);
    case Id::route: return parse_name_addrs(value, h.route, ParseErrc::bad_route);
    case Id::record_route: return parse_name_addrs(value, h.record_route, ParseErrc::bad_route);
    case Id::require: return parse_option_tags(value, h.require);
    default: return parse_option_tags(value, h.supported);
  }
}

// A verbatim header: kept as a view while the bytes are stable, else copied now (after the
// ones waiting, to keep the order).
void add_other(std::string_view name, std::string_view value, MessageHeaders& h,
               HeaderState& state, bool stable) {
  if (!stable || state.pending_count == state.pending.size()) {
    flush_other(h, state);
  }
  if (!stable) {
    h.other.push_back(Header{std::string(name), std::string(value)});
    return;
  }
  state.pending[state.pending_count++] = {name, value};
}

}  // namespace

void flush_other(MessageHeaders& h, HeaderState& state) {
  if (state.pending_count == 0) {
    return;
  }
  h.other.reserve(h.other.size() + state.pending_count);
  for (std::size_t i = 0; i < state.pending_count; ++i) {
    Header& added = h.other.emplace_back();
    added.name.assign(state.pending[i].first);
    added.value.assign(state.pending[i].second);
  }
  state.pending_count = 0;
}

ParseErrc add_header(std::string_view name, std::string_view value, MessageHeaders& h,
                     HeaderState& state, bool stable) {
  Id id = classify(name);
  switch (id) {
    case Id::via:
    case Id::contact:
    case Id::route:
    case Id::record_route:
    case Id::require:
    case Id::supported:
      return add_list(id, value, h);
    case Id::date:
      if (!valid_date(value)) {
        return ParseErrc::bad_date;
      }
      add_other("Date", value, h, state, stable);
      return {};
    case Id::other:
      add_other(expand_compact(name), value, h, state, stable);
      return {};
    default:
      return add_single(id, value, h, state);
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_ws(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && is_ws(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

std::size_t next_line(std::string_view bytes, std::size_t pos, std::string_view& line,
                      std::string& scratch) {
  bool folded = false;
  std::size_t start = pos;
  while (true) {
    const void* nl = std::memchr(bytes.data() + pos, '\n', bytes.size() - pos);
    if (nl == nullptr) {
      line = {};
      return std::string_view::npos;
    }
    std::size_t end = static_cast<std::size_t>(static_cast<const char*>(nl) - bytes.data());
    std::size_t content_end = (end > pos && bytes[end - 1] == '\r') ? end - 1 : end;
    std::string_view piece = bytes.substr(pos, content_end - pos);
    bool more = end + 1 < bytes.size() && is_ws(bytes[end + 1]) && end > start + 1;
    if (!folded && !more) {
      line = piece;
      return end + 1;
    }
    if (!folded) {
      scratch.assign(piece);
      folded = true;
    } else {
      scratch.push_back(' ');
      scratch.append(trim(piece));
    }
    pos = end + 1;
    if (!more) {
      line = scratch;
      return pos;
    }
  }
}


bool has_mandatory(const HeaderState& state, const MessageHeaders& h) {
  std::uint32_t need = 0;
  for (Id id : {Id::from, Id::to, Id::call_id, Id::cseq}) {
    need |= 1u << static_cast<unsigned>(id);
  }
  return !h.via.empty() && (state.seen & need) == need;
}

std::string_view expand_compact(std::string_view name) {
  if (name.size() != 1) {
    return name;
  }
  char ch = to_lower(name[0]);
  for (const auto& k : kKnown) {
    if (k.compact == ch) {
      return k.name;
    }
  }
  for (const auto& [c, full] : kOtherCompact) {
    if (c == ch) {
      return full;
    }
  }
  return name;
}

}  // namespace fedgate::sip::detail
