// multipart bodies (RFC 2046 §5.1.1): delimiters are CRLF "--" boundary.
#include "sip/codec/body_part.hpp"

#include <algorithm>

#include "sip/codec/grammar.hpp"
#include "sip/codec/parse_error.hpp"

namespace fedgate::sip {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && grammar::is_ws(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && grammar::is_ws(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

bool read_part_header(std::string_view line, BodyPart& part) {
  std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) {
    return false;
  }
  std::string_view name = trim(line.substr(0, colon));
  std::string_view value = trim(line.substr(colon + 1));
  // RFC 2045 §3 / RFC 5322 §2.2: a field name is a token; a value holds no bare CR, LF or NUL
  // (else the part could not be written back unchanged: a value could forge a delimiter line).
  if (name.empty() || !std::all_of(name.begin(), name.end(), grammar::is_token_char)) {
    return false;
  }
  if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) {
    return false;
  }
  if (grammar::iequals(name, "Content-Type")) {
    auto mt = MediaType::parse(value);
    if (!mt) {
      return false;
    }
    part.content_type = std::move(*mt);
  } else if (grammar::iequals(name, "Content-ID")) {
    if (value.size() >= 2 && value.front() == '<' && value.back() == '>') {
      value = value.substr(1, value.size() - 2);
    }
    part.content_id.assign(value);
  } else {
    part.headers.push_back(Header{std::string(name), std::string(value)});
  }
  return true;
}

result<BodyPart> read_part(std::string_view raw) {
  BodyPart part;
  std::size_t pos = 0;
  while (true) {
    std::size_t eol = raw.find("\r\n", pos);
    if (eol == std::string_view::npos) {
      return make_error_code(ParseErrc::bad_body);
    }
    if (eol == pos) {
      part.body.assign(raw.substr(eol + 2));
      return part;
    }
    if (!read_part_header(raw.substr(pos, eol - pos), part)) {
      return make_error_code(ParseErrc::bad_body);
    }
    pos = eol + 2;
  }
}

}  // namespace

result<std::vector<BodyPart>> parse_multipart(std::string_view body, std::string_view boundary,
                                              std::size_t max_parts) {
  if (boundary.empty()) {
    return make_error_code(ParseErrc::bad_body);
  }
  std::string delimiter = "\r\n--" + std::string(boundary);
  std::string padded = "\r\n" + std::string(body);  // a body may start with the delimiter
  std::size_t pos = padded.find(delimiter);
  std::vector<BodyPart> parts;
  while (pos != std::string::npos) {
    pos += delimiter.size();
    if (padded.compare(pos, 2, "--") == 0) {
      return parts;
    }
    std::size_t eol = padded.find("\r\n", pos);
    std::size_t next = eol == std::string::npos ? eol : padded.find(delimiter, eol);
    if (next == std::string::npos || next < eol + 2) {
      break;
    }
    if (parts.size() >= max_parts) {
      return make_error_code(ParseErrc::too_many_headers);
    }
    auto part = read_part(std::string_view(padded).substr(eol + 2, next - eol - 2));
    if (!part) {
      return part.error();
    }
    parts.push_back(std::move(*part));
    pos = next;
  }
  return make_error_code(ParseErrc::bad_body);
}

std::string write_multipart(const std::vector<BodyPart>& parts, std::string_view boundary) {
  std::string out;
  for (const auto& p : parts) {
    out += "--";
    out += boundary;
    out += "\r\n";
    if (p.content_type) {
      out += "Content-Type: " + p.content_type->str() + "\r\n";
    }
    if (!p.content_id.empty()) {
      out += "Content-ID: <" + p.content_id + ">\r\n";
    }
    for (const auto& h : p.headers) {
      out += h.name + ": " + h.value + "\r\n";
    }
    out += "\r\n";
    out += p.body;
    out += "\r\n";
  }
  out += "--";
  out += boundary;
  out += "--\r\n";
  return out;
}

}  // namespace fedgate::sip
