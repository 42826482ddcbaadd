// Test data for the bridge conversion tests: byte copies of shared-corpus examples in data/
// (RFC 8048/7248/7572 figures with their "|  " prefixes, MS-SIP section 4 spec text) and the
// adapters that turn them into wire messages. Owned by tests/unit/sip/bridge; single-threaded.
#pragma once

#include <string>
#include <string_view>

#include "sip/codec/message.hpp"

namespace fedgate::sip::test {

// data/<relative>, bytes exact.
std::string read_data(std::string_view relative);
// An RFC figure ("|  " prefixed lines, LF) as wire bytes: prefix removed, CRLF line ends,
// Content-Length recomputed from the body after the first empty line.
std::string rfc_figure_wire(std::string_view relative);
Request rfc_request(std::string_view relative);
// Any LF text message (a hand-written transcript) as wire bytes, Content-Length recomputed.
std::string wire(std::string_view lf_text);
Request request_from(std::string_view lf_text);
Response response_from(std::string_view lf_text);
// MS-SIP spec text (no empty lines): the lines from the first one starting with `from`,
// with an empty line inserted before each XML body of a MIME part and CRLF line ends.
std::string ms_sip_multipart(std::string_view relative, std::string_view from);

}  // namespace fedgate::sip::test
