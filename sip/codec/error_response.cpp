// Responses to refused requests (RFC 3261 §8.2.6), including stateless answers to requests
// that did not parse (§8.2.2, RFC 4475 §3.1.2: "respond 400 Bad Request").
#include "sip/codec/error_response.hpp"

#include "sip/codec/grammar.hpp"
#include "sip/codec/header_parser.hpp"
#include "sip/codec/parse_error.hpp"

namespace fedgate::sip {

Response make_error_response(const Request& request, int status, std::string reason,
                             std::string_view to_tag) {
  Response r;
  r.status = status;
  r.reason = std::move(reason);
  r.via = request.via;
  r.from = request.from;
  r.to = request.to;
  r.call_id = request.call_id;
  r.cseq = request.cseq;
  if (!to_tag.empty() && !r.to.tag()) {
    set_param(r.to.params, "tag", std::string(to_tag));
  }
  return r;
}

namespace {

// Which of the five copied headers a field is: 0 Via, 1 From, 2 To, 3 Call-ID, 4 CSeq, -1.
int copied_index(std::string_view name) {
  constexpr std::string_view kLong[] = {"Via", "From", "To", "Call-ID", "CSeq"};
  constexpr std::string_view kShort[] = {"v", "f", "t", "i", ""};
  for (int i = 0; i < 5; ++i) {
    if (grammar::iequals(name, kLong[i]) || (!kShort[i].empty() && grammar::iequals(name, kShort[i]))) {
      return i;
    }
  }
  return -1;
}

void append_clean(std::string& out, std::string_view text) {
  for (char ch : text) {
    auto u = static_cast<unsigned char>(ch);
    out.push_back((u < 0x20 && ch != '\t') || u == 0x7f ? ' ' : ch);
  }
}

}  // namespace

result<std::string> make_error_response(std::string_view raw_request, int status,
                                        std::string_view reason, std::string_view to_tag) {
  std::size_t nl = raw_request.find('\n');
  if (nl == std::string_view::npos || grammar::iequals(raw_request.substr(0, 4), "SIP/")) {
    return make_error_code(ParseErrc::bad_start_line);
  }
  std::string lines[5];
  std::string scratch;
  std::string_view line;
  for (std::size_t pos = nl + 1; pos < raw_request.size();) {
    pos = detail::next_line(raw_request, pos, line, scratch);
    if (pos == std::string_view::npos || line.empty()) {
      break;
    }
    std::size_t colon = line.find(':');
    int i = colon == std::string_view::npos ? -1 : copied_index(detail::trim(line.substr(0, colon)));
    if (i >= 0 && (i == 0 || lines[i].empty())) {
      std::string_view names[] = {"Via", "From", "To", "Call-ID", "CSeq"};
      lines[i] += names[i];
      lines[i] += ": ";
      append_clean(lines[i], detail::trim(line.substr(colon + 1)));
      lines[i] += "\r\n";
    }
  }
  for (const auto& l : lines) {
    if (l.empty()) {
      return make_error_code(ParseErrc::missing_header);
    }
  }
  if (!to_tag.empty() && lines[2].find("tag=") == std::string::npos) {
    lines[2].insert(lines[2].size() - 2, std::string(";tag=") + std::string(to_tag));
  }
  std::string out = "SIP/2.0 " + std::to_string(status) + " ";
  append_clean(out, reason);
  out += "\r\n";
  for (const auto& l : lines) {
    out += l;
  }
  out += "Content-Length: 0\r\n\r\n";
  return out;
}

}  // namespace fedgate::sip
