// Adapters from the corpus' printed forms to wire bytes (see corpus.hpp).
#include "corpus.hpp"

#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "sip/codec/parser.hpp"

namespace fedgate::sip::test {
namespace {

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> lines;
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    lines.push_back(line);
  }
  return lines;
}

std::string assemble(const std::vector<std::string>& lines) {
  std::string head;
  std::string body;
  bool in_body = false;
  for (const auto& l : lines) {
    if (!in_body && l.empty()) {
      in_body = true;
      continue;
    }
    (in_body ? body : head) += l + "\r\n";
  }
  if (!body.empty()) {
    body.resize(body.size() - 2);  // the last line has no CRLF of its own
  }
  std::string out;
  for (const auto& l : lines_of(head)) {
    if (!l.starts_with("Content-Length:")) {
      out += l + "\r\n";
    }
  }
  return out + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

}  // namespace

std::string read_data(std::string_view relative) {
  std::ifstream in(std::string(SIP_BRIDGE_DATA_DIR) + "/" + std::string(relative),
                   std::ios::binary);
  if (!in) {
    throw std::runtime_error("missing test data " + std::string(relative));
  }
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string rfc_figure_wire(std::string_view relative) {
  std::vector<std::string> lines;
  for (auto& l : lines_of(read_data(relative))) {
    lines.push_back(l.size() >= 3 ? l.substr(3) : std::string{});
  }
  return assemble(lines);
}

Request rfc_request(std::string_view relative) {
  return parse_request(rfc_figure_wire(relative)).value();
}

std::string wire(std::string_view lf_text) { return assemble(lines_of(lf_text)); }

Request request_from(std::string_view lf_text) { return parse_request(wire(lf_text)).value(); }

Response response_from(std::string_view lf_text) { return parse_response(wire(lf_text)).value(); }

std::string ms_sip_multipart(std::string_view relative, std::string_view from) {
  std::string out;
  bool started = false;
  bool in_part_headers = false;
  for (const auto& l : lines_of(read_data(relative))) {
    started = started || l.starts_with(from);
    if (!started) {
      continue;
    }
    if (l.starts_with("--")) {
      in_part_headers = true;
    } else if (in_part_headers && l.starts_with("<")) {
      out += "\r\n";
      in_part_headers = false;
    }
    out += l + "\r\n";
  }
  return out;
}

}  // namespace fedgate::sip::test
