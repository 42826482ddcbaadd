// Stream framing by Content-Length (RFC 3261 §18.3) with RFC 5626 §3.5.1 CRLF keep-alives.
#include "sip/codec/framer.hpp"

#include "sip/codec/grammar.hpp"
#include "sip/codec/header_parser.hpp"
#include "sip/codec/parser.hpp"

namespace fedgate::sip {
namespace {

constexpr std::size_t kSlack = 64 * 1024;  // one read's worth beyond a maximal message

// The Content-Length of a header section (start line included, final CRLF CRLF excluded).
result<std::size_t> content_length(std::string_view head) {
  std::string scratch;
  std::string_view line;
  std::optional<std::uint64_t> found;
  std::size_t pos = head.find('\n');
  pos = pos == std::string_view::npos ? head.size() : pos + 1;
  while (pos < head.size()) {
    pos = detail::next_line(head, pos, line, scratch);
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      continue;
    }
    std::string_view name = detail::trim(line.substr(0, colon));
    if (grammar::iequals(name, "Content-Length") || grammar::iequals(name, "l")) {
      grammar::Cursor c{detail::trim(line.substr(colon + 1))};
      std::uint64_t n = 0;
      if (found || !grammar::scan_digits(c, n) || !c.done()) {
        return make_error_code(ParseErrc::bad_content_length);  // RFC 4475 §3.1.2.3, §3.3.9
      }
      found = n;
    }
  }
  if (!found) {
    return make_error_code(ParseErrc::missing_content_length);
  }
  return static_cast<std::size_t>(*found);
}

// Built in place: moving a result<Frame> that holds an error trips GCC 12's
// -Wmaybe-uninitialized inside std::variant at -O1.
std::optional<result<Frame>> popped_error(error_code ec) {
  return std::optional<result<Frame>>(std::in_place, boost::system::in_place_error, ec);
}

std::optional<result<Frame>> popped_frame(Frame f) {
  return std::optional<result<Frame>>(std::in_place, boost::system::in_place_value, std::move(f));
}

}  // namespace

void Framer::feed(std::string_view bytes) {
  if (failed_) {
    return;
  }
  compact();
  if (buffered() + bytes.size() > limits_.max_header_bytes + limits_.max_body_bytes + kSlack) {
    failed_ = true;
    pending_error_ = ParseErrc::header_too_long;
    return;
  }
  buffer_.append(bytes);
}

void Framer::compact() {
  if (start_ > 0 && (start_ == buffer_.size() || start_ > 4096)) {
    buffer_.erase(0, start_);
    scan_from_ = scan_from_ > start_ ? scan_from_ - start_ : 0;
    start_ = 0;
  }
}

std::optional<result<Frame>> Framer::fail(ParseErrc e) {
  failed_ = true;
  buffer_.clear();
  start_ = 0;
  return popped_error(make_error_code(e));
}

std::optional<result<Frame>> Framer::pop_keep_alive(bool& wait) {
  std::string_view b = std::string_view(buffer_).substr(start_);
  wait = false;
  if (b.empty() || b[0] != '\r') {
    return std::nullopt;
  }
  if (b.size() >= 4 && b.substr(0, 4) == "\r\n\r\n") {
    start_ += 4;
    return popped_frame(KeepAlivePing{});
  }
  if (b.size() == 1 || (b.size() == 3 && b.substr(0, 3) == "\r\n\r")) {
    wait = true;  // the rest of a keep-alive is still in flight
    return std::nullopt;
  }
  if (b.substr(0, 2) == "\r\n") {
    start_ += 2;
    return popped_frame(KeepAlivePong{});
  }
  return std::nullopt;
}

ParseErrc Framer::measure() {
  std::size_t end = buffer_.find("\r\n\r\n", std::max(start_, scan_from_));
  if (end == std::string::npos) {
    scan_from_ = buffer_.size() > 3 ? buffer_.size() - 3 : 0;
    return buffered() > limits_.max_header_bytes ? ParseErrc::header_too_long : ParseErrc{};
  }
  std::size_t head = end + 4 - start_;
  if (head > limits_.max_header_bytes) {
    return ParseErrc::header_too_long;
  }
  auto length = content_length(std::string_view(buffer_).substr(start_, head - 2));
  if (!length) {
    return static_cast<ParseErrc>(length.error().value());
  }
  if (*length > limits_.max_body_bytes) {
    return ParseErrc::body_too_long;
  }
  message_size_ = head + *length;
  return {};
}

std::optional<result<Frame>> Framer::pop() {
  if (failed_) {
    if (pending_error_ == ParseErrc{}) {
      return std::nullopt;
    }
    return popped_error(make_error_code(std::exchange(pending_error_, ParseErrc{})));
  }
  if (!message_size_) {
    bool wait = false;
    if (auto ka = pop_keep_alive(wait); ka || wait) {
      return ka;
    }
    if (ParseErrc e = measure(); e != ParseErrc{}) {
      return fail(e);
    }
    if (!message_size_) {
      return std::nullopt;
    }
  }
  if (buffered() < *message_size_) {
    return std::nullopt;
  }
  std::string_view slice = std::string_view(buffer_).substr(start_, *message_size_);
  start_ += *message_size_;
  scan_from_ = start_;
  message_size_.reset();
  auto m = parse_message(slice, limits_);
  if (!m) {
    rejected_.assign(slice);
    return popped_error(m.error());
  }
  rejected_.clear();
  return popped_frame(Frame{std::move(*m)});
}

result<Frame> parse_datagram(std::string_view datagram, const Limits& limits) {
  if (datagram == "\r\n\r\n") {
    return Frame{KeepAlivePing{}};
  }
  if (datagram == "\r\n") {
    return Frame{KeepAlivePong{}};
  }
  auto m = parse_message(datagram, limits);
  if (!m) {
    return m.error();
  }
  return Frame{std::move(*m)};
}

}  // namespace fedgate::sip
