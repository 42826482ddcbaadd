// Corpus conversions for sip_codec tests (see test_data.hpp).
#include "test_data.hpp"

#include <string_view>
#include <vector>

namespace fedgate::sip::test {
namespace {

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::size_t end = nl == std::string::npos ? text.size() : nl;
    std::string line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    lines.push_back(line);
    pos = end + 1;
  }
  return lines;
}

bool is_content_length(std::string_view line) {
  return line.rfind("Content-Length:", 0) == 0 || line.rfind("l:", 0) == 0;
}

std::string assemble(const std::vector<std::string>& lines) {
  std::string head;
  std::string body;
  bool in_body = false;
  for (const auto& line : lines) {
    if (!in_body && line.empty()) {
      in_body = true;
      continue;
    }
    if (in_body) {
      body += line + "\r\n";
    } else if (!is_content_length(line)) {
      head += line + "\r\n";
    }
  }
  return head + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

}  // namespace

std::string rfc5118_wire_form(const std::string& archive) { return assemble(split_lines(archive)); }

std::string crlf_with_length(const std::string& text) { return assemble(split_lines(text)); }

}  // namespace fedgate::sip::test
