// libFuzzer target: SIP framer + parser + serializer + error responses (STYLE.md B8).
// Checks the codec invariant parse(serialize(m)) == m on every message that parses, on both
// the datagram path and the stream path (input split in two feeds).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sip/codec/error_response.hpp"
#include "sip/codec/framer.hpp"
#include "sip/codec/parser.hpp"
#include "sip/codec/serializer.hpp"

namespace {

using namespace fedgate::sip;

void check_round_trip(const Message& m) {
  auto again = parse_message(serialize(m));
  if (!again || !(*again == m)) {
    std::abort();
  }
}

void drain(Framer& framer) {
  for (int i = 0; i < 10000; ++i) {
    auto next = framer.pop();
    if (!next) {
      return;
    }
    if (*next) {
      if (const auto* m = std::get_if<Message>(&next->value())) {
        check_round_trip(*m);
      }
    } else if (!framer.failed()) {
      (void)make_error_response(framer.rejected_bytes(), 400, "Bad Request");
    }
  }
  std::abort();  // pop() must make progress
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  Limits limits{.max_header_bytes = 8192, .max_header_count = 64, .max_body_bytes = 8192};
  if (auto m = parse_message(bytes, limits)) {
    check_round_trip(*m);
  } else {
    (void)make_error_response(bytes, 400, "Bad Request", "tag");
  }
  Framer framer(limits);
  std::size_t half = size / 2;
  framer.feed(bytes.substr(0, half));
  drain(framer);
  framer.feed(bytes.substr(half));
  drain(framer);
  return 0;
}
