// Test helpers for sip_codec unit tests: reading the corpus files under tests/data/sip
// (bytes exact) and converting RFC 5118's archive form (bare LF) to wire form.
#pragma once

#include <fstream>
#include <iterator>
#include <string>

namespace fedgate::sip::test {

inline std::string data_path(const std::string& relative) {
  return std::string(FEDGATE_SIP_TEST_DATA) + "/" + relative;
}

inline std::string read_file(const std::string& relative) {
  std::ifstream in(data_path(relative), std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// RFC 5118's archive uses bare LF, two files lack the empty line after the headers, and two
// Content-Length values do not match their bodies (tests/data/sip/torture/INDEX.md). Wire
// form: CRLF line ends, a closing empty line, Content-Length recomputed.
std::string rfc5118_wire_form(const std::string& archive);

// Turns the LF-only, example-style messages into CRLF wire form with a recomputed
// Content-Length (everything after the first empty line is the body).
std::string crlf_with_length(const std::string& text);

}  // namespace fedgate::sip::test
