// The SIP message parser: start line, header section with folding, body by Content-Length
// (RFC 3261 §7, §7.3.1, §18.3; RFC 4475 §3.1.2.x for what is refused and why).
#include "sip/codec/parser.hpp"

#include <algorithm>
#include <cstring>

#include "sip/codec/grammar.hpp"
#include "sip/codec/header_parser.hpp"
#include "sip/codec/parse_into.hpp"

namespace fedgate::sip {
namespace {

using namespace grammar;

constexpr std::string_view kVersion = "SIP/2.0";

ParseErrc check_version(std::string_view v) {
  if (iequals(v, kVersion)) {
    return {};
  }
  return v.size() > 4 && iequals(v.substr(0, 4), "SIP/") ? ParseErrc::bad_version
                                                          : ParseErrc::bad_start_line;
}

// Request-Line = Method SP Request-URI SP SIP-Version (single SPs, RFC 4475 §3.1.2.9/10).
ParseErrc parse_request_line(std::string_view line, Request& r) {
  std::size_t sp1 = line.find(' ');
  std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || sp1 == 0 || sp2 == sp1 + 1) {
    return ParseErrc::bad_start_line;
  }
  std::string_view method = line.substr(0, sp1);
  std::string_view uri = line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = line.substr(sp2 + 1);
  for (char ch : method) {
    if (!is_token_char(ch)) {
      return ParseErrc::bad_start_line;
    }
  }
  if (version.find(' ') != std::string_view::npos) {
    return ParseErrc::bad_start_line;
  }
  if (ParseErrc e = check_version(version); e != ParseErrc{}) {
    return e;
  }
  if (!detail::parse_uri_into(uri, r.request_uri) || !r.request_uri.headers.empty()) {
    return ParseErrc::bad_request_uri;  // includes <...> (§3.1.2.7) and headers (§3.1.2.11)
  }
  r.method = method_from_token(method);
  if (r.method == Method::other) {
    r.method_text.assign(method);
  }
  return {};
}

// Status-Line = SIP-Version SP Status-Code SP Reason-Phrase (RFC 3261 §7.2).
ParseErrc parse_status_line(std::string_view line, Response& r) {
  std::size_t sp = line.find(' ');
  if (sp == std::string_view::npos) {
    return ParseErrc::bad_start_line;
  }
  if (ParseErrc e = check_version(line.substr(0, sp)); e != ParseErrc{}) {
    return e;
  }
  std::string_view rest = line.substr(sp + 1);
  if (rest.size() < 3 || !is_digit(rest[0]) || !is_digit(rest[1]) || !is_digit(rest[2]) ||
      (rest.size() > 3 && rest[3] != ' ')) {
    return ParseErrc::bad_status_code;
  }
  r.status = (rest[0] - '0') * 100 + (rest[1] - '0') * 10 + (rest[2] - '0');
  if (r.status < 100 || r.status > 699) {
    return ParseErrc::bad_status_code;
  }
  std::string_view reason = rest.size() > 3 ? rest.substr(4) : std::string_view{};
  for (char ch : reason) {
    auto u = static_cast<unsigned char>(ch);
    if ((u < 0x20 && ch != '\t') || u == 0x7f) {
      return ParseErrc::bad_start_line;
    }
  }
  r.reason.assign(reason);
  return {};
}

}  // namespace
}  // namespace fedgate::sip

namespace fedgate::sip {
namespace {

ParseErrc parse_header_section(std::string_view bytes, std::size_t& pos, const Limits& limits,
                               MessageHeaders& h, detail::HeaderState& state) {
  std::string scratch;
  std::string_view line;
  std::size_t count = 0;
  while (true) {
    std::size_t next = detail::next_line(bytes, pos, line, scratch);
    if (next == std::string_view::npos) {
      return bytes.size() > limits.max_header_bytes ? ParseErrc::header_too_long
                                                    : ParseErrc::truncated;
    }
    if (next > limits.max_header_bytes) {
      return ParseErrc::header_too_long;
    }
    pos = next;
    if (line.empty()) {
      detail::flush_other(h, state);
      return {};
    }
    if (is_ws(line[0])) {
      return ParseErrc::bad_header;
    }
    if (++count > limits.max_header_count) {
      return ParseErrc::too_many_headers;
    }
    std::size_t colon = line.find(':');
    std::string_view name = colon == std::string_view::npos ? "" : detail::trim(line.substr(0, colon));
    if (name.empty() || !std::all_of(name.begin(), name.end(), is_token_char)) {
      return ParseErrc::bad_header;
    }
    const bool stable = line.data() != scratch.data();  // not a folded line
    if (ParseErrc e = detail::add_header(name, detail::trim(line.substr(colon + 1)), h, state,
                                         stable);
        e != ParseErrc{}) {
      return e;
    }
  }
}

ParseErrc parse_start_line(std::string_view line, Request& r) { return parse_request_line(line, r); }
ParseErrc parse_start_line(std::string_view line, Response& r) { return parse_status_line(line, r); }

ParseErrc check_semantics(const Message& m, const detail::HeaderState& state) {
  const MessageHeaders& h = headers_of(m);
  if (!detail::has_mandatory(state, h)) {
    return ParseErrc::missing_header;
  }
  if (const auto* r = std::get_if<Request>(&m); r != nullptr) {
    if (r->method_name() != h.cseq.name()) {
      return ParseErrc::cseq_method_mismatch;
    }
  }
  return {};
}

ParseErrc take_body(std::string_view bytes, std::size_t pos, const Limits& limits,
                    const detail::HeaderState& state, MessageHeaders& h) {
  std::size_t remaining = bytes.size() - pos;
  std::size_t length = remaining;
  if (state.content_length) {
    if (*state.content_length > limits.max_body_bytes) {
      return ParseErrc::body_too_long;
    }
    if (*state.content_length > remaining) {
      return ParseErrc::truncated;  // RFC 4475 §3.1.2.2
    }
    length = static_cast<std::size_t>(*state.content_length);
  } else if (remaining > limits.max_body_bytes) {
    return ParseErrc::body_too_long;
  }
  h.body.assign(bytes.substr(pos, length));
  return {};
}

// The message is built in place inside the result (no move of the headers on return).
template <class T>
result<Message> parse_as(std::string_view bytes, std::string_view start_line, std::size_t pos,
                         const Limits& limits) {
  result<Message> out(boost::system::in_place_value, std::in_place_type<T>);
  Message& m = *out;
  ParseErrc e = parse_start_line(start_line, std::get<T>(m));
  detail::HeaderState state;
  if (e == ParseErrc{}) {
    e = parse_header_section(bytes, pos, limits, headers_of(m), state);
  }
  if (e == ParseErrc{}) {
    e = check_semantics(m, state);
  }
  if (e == ParseErrc{}) {
    e = take_body(bytes, pos, limits, state, headers_of(m));
  }
  if (e != ParseErrc{}) {
    out = make_error_code(e);
  }
  return out;
}

}  // namespace

result<Message> parse_message(std::string_view bytes, const Limits& limits) {
  std::size_t pos = 0;
  while (bytes.size() - pos >= 2 && bytes[pos] == '\r' && bytes[pos + 1] == '\n') {
    pos += 2;  // CRLFs before a start line are ignored (RFC 3261 §7.5)
  }
  std::size_t nl = bytes.find('\n', pos);
  if (nl == std::string_view::npos) {
    return make_error_code(bytes.size() > limits.max_header_bytes ? ParseErrc::header_too_long
                                                                  : ParseErrc::truncated);
  }
  std::size_t line_end = (nl > pos && bytes[nl - 1] == '\r') ? nl - 1 : nl;
  std::string_view start_line = bytes.substr(pos, line_end - pos);
  if (start_line.size() >= 4 && grammar::iequals(start_line.substr(0, 4), "SIP/")) {
    return parse_as<Response>(bytes, start_line, nl + 1, limits);
  }
  return parse_as<Request>(bytes, start_line, nl + 1, limits);
}

result<Request> parse_request(std::string_view bytes, const Limits& limits) {
  auto m = parse_message(bytes, limits);
  if (!m) {
    return m.error();
  }
  if (auto* r = std::get_if<Request>(&*m); r != nullptr) {
    return std::move(*r);
  }
  return make_error_code(ParseErrc::bad_start_line);
}

result<Response> parse_response(std::string_view bytes, const Limits& limits) {
  auto m = parse_message(bytes, limits);
  if (!m) {
    return m.error();
  }
  if (auto* r = std::get_if<Response>(&*m); r != nullptr) {
    return std::move(*r);
  }
  return make_error_code(ParseErrc::bad_start_line);
}

}  // namespace fedgate::sip
