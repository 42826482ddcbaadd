// libFuzzer target: SIP body parsers (XML tree, PIDF, msrtc categories, batchSub, RLMI,
// isComposing, KeyboardActivity, multipart, IM SDP, ms-text-format, ms-diagnostics, Warning).
// Every document that parses must be written and read back to an equal value, and the
// streaming msrtc reader must agree with the tree reader (msrtc_reference.hpp).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sip/codec/batch_subscribe.hpp"
#include "sip/codec/body_part.hpp"
#include "sip/codec/im_sdp.hpp"
#include "sip/codec/is_composing.hpp"
#include "sip/codec/ms_diagnostics.hpp"
#include "sip/codec/ms_text_format.hpp"
#include "sip/codec/msrtc_categories.hpp"
#include "sip/codec/pidf.hpp"
#include "sip/codec/rlmi.hpp"
#include "sip/codec/warning_value.hpp"
#include "tests/fuzz/sip/msrtc_reference.hpp"

namespace {

using namespace fedgate::sip;

template <class Parse, class Write>
void check(std::string_view input, Parse parse, Write write) {
  auto first = parse(input);
  if (!first) {
    return;
  }
  auto again = parse(write(*first));
  if (!again || !(*again == *first)) {
    std::abort();
  }
}

const XmlLimits kLimits{.max_bytes = 64 * 1024, .max_depth = 16, .max_elements = 2000};

void check_msrtc_against_tree(std::string_view input) {
  auto streamed = parse_msrtc_categories(input, kLimits);
  auto tree = reference::parse_msrtc_categories(input, kLimits);
  if (streamed.has_value() != tree.has_value() ||
      (tree ? !(*streamed == *tree) : streamed.error() != tree.error())) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  check(in, [](auto s) { return parse_pidf(s, kLimits); }, write_pidf);
  check(in, [](auto s) { return parse_msrtc_categories(s, kLimits); }, write_msrtc_categories);
  check_msrtc_against_tree(in);
  check(in, [](auto s) { return parse_batch_subscribe(s, kLimits); }, write_batch_subscribe);
  check(in, [](auto s) { return parse_rlmi(s, kLimits); }, write_rlmi);
  check(in, [](auto s) { return parse_is_composing(s, kLimits); }, write_is_composing);
  (void)parse_keyboard_activity(in, kLimits);
  check(in, parse_im_sdp, write_im_sdp);
  check(in, parse_ms_text_format, write_ms_text_format);
  check(in, parse_ms_diagnostics, write_ms_diagnostics);
  check(in, parse_warning, write_warning);
  check(in, [](auto s) { return parse_multipart(s, "b", 64); },
        [](const auto& parts) { return write_multipart(parts, "b"); });
  return 0;
}
