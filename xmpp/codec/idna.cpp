#include "xmpp/codec/idna.hpp"

#include <idn2.h>

#include <memory>

#include "xmpp/codec/jid.hpp"

namespace fedgate::xmpp {
namespace {

struct IdnFree {
  void operator()(char* p) const { idn2_free(p); }
};
using IdnString = std::unique_ptr<char, IdnFree>;

// RFC 5891 §5: NFC input, UTS #46 non-transitional mapping (ß and ς stay themselves);
// A-labels in the input are decoded and their U-labels checked like any other.
constexpr int kFlags = IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL;

bool ascii_equal_ci(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    const char c = (a[i] >= 'A' && a[i] <= 'Z') ? static_cast<char>(a[i] + 32) : a[i];
    if (c != b[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool needs_idna(std::string_view domain) {
  for (std::size_t start = 0; start < domain.size();) {
    const auto dot = std::min(domain.find('.', start), domain.size());
    const auto label = domain.substr(start, dot - start);
    if (label.size() >= 4 && ascii_equal_ci(label.substr(0, 4), "xn--")) {
      return true;
    }
    for (char c : label) {
      if (static_cast<unsigned char>(c) >= 0x80) {
        return true;
      }
    }
    start = dot + 1;
  }
  return false;
}

result<std::string> idna_to_ascii(std::string_view domain) {
  const std::string input(domain);  // libidn2 wants a NUL-terminated string
  char* out = nullptr;
  if (idn2_to_ascii_8z(input.c_str(), &out, kFlags) != IDN2_OK || out == nullptr) {
    return JidErrc::domainpart_idna;
  }
  const IdnString ascii(out);
  return std::string(ascii.get());
}

result<std::string> idna_to_unicode(std::string_view domain) {
  auto ascii = idna_to_ascii(domain);  // checks every label, A-labels included
  if (!ascii) {
    return ascii.error();
  }
  char* out = nullptr;
  if (idn2_to_unicode_8z8z(ascii->c_str(), &out, 0) != IDN2_OK || out == nullptr) {
    return JidErrc::domainpart_idna;
  }
  const IdnString unicode(out);
  std::string u(unicode.get());
  // An A-label whose U-label libidn2 would map to something else (xn--cf-kyw decodes to
  // "cf" + U+24B2, which UTS #46 maps to "cf(w)") is not a valid IDNA2008 label: the
  // stored U-label must encode back to the same A-label, or the JID would not re-parse.
  auto again = idna_to_ascii(u);
  if (!again || *again != *ascii) {
    return JidErrc::domainpart_idna;
  }
  return u;
}

}  // namespace fedgate::xmpp
