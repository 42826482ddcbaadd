// RFC 7622 JIDs, IDNA2008 through libidn2, no PRECIS library. What is done:
// * domainpart: ASCII case-folded; one trailing dot removed; IDNA label separators U+3002,
//   U+FF0E, U+FF61 mapped to '.'; ASCII labels must be LDH (letters, digits, hyphen, no
//   leading/trailing hyphen) of 1..63 bytes; a domain with a non-ASCII byte or an xn-- label
//   goes through libidn2 (idna.hpp): A-labels are decoded to U-labels, which are the stored
//   and compared form, and every label is checked against IDNA2008 (RFC 5891, RFC 5892:
//   disallowed code points, bad Punycode, CONTEXTJ...; domainpart_idna otherwise); the
//   A-label form is computed on demand (domain_ascii); IPv6 literals in [..].
// * localpart (UsernameCaseMapped, RFC 8265 §3.3): RFC 7622 §3.3.1 forbidden ASCII
//   (" & ' / : < > @, space, controls) refused; non-ASCII spaces and C1 controls refused;
//   case mapping covers ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic capitals.
//   No Unicode normalisation (NFC) and no width mapping.
// * resourcepart (OpaqueString): controls refused, everything else kept byte for byte.
#include "xmpp/codec/jid.hpp"

#include <optional>

#include "xmpp/codec/idna.hpp"

namespace fedgate::xmpp {
namespace {

class JidCategory final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "xmpp.jid"; }
  std::string message(int ev) const override {
    switch (static_cast<JidErrc>(ev)) {
      case JidErrc::empty:
        return "empty JID";
      case JidErrc::localpart_empty:
        return "empty localpart";
      case JidErrc::localpart_too_long:
        return "localpart longer than 1023 bytes";
      case JidErrc::localpart_forbidden:
        return "forbidden character in localpart";
      case JidErrc::domainpart_empty:
        return "empty domainpart";
      case JidErrc::domainpart_too_long:
        return "domainpart longer than 1023 bytes";
      case JidErrc::domainpart_invalid:
        return "invalid domainpart";
      case JidErrc::resourcepart_empty:
        return "empty resourcepart";
      case JidErrc::resourcepart_too_long:
        return "resourcepart longer than 1023 bytes";
      case JidErrc::resourcepart_forbidden:
        return "forbidden character in resourcepart";
      case JidErrc::bad_utf8:
        return "invalid UTF-8";
      case JidErrc::domainpart_idna:
        return "domainpart label refused by IDNA2008";
    }
    return "unknown JID error";
  }
};

// Decodes one UTF-8 code point at s[i], advancing i; nullopt for malformed input
// (overlong forms, surrogates, > U+10FFFF, truncation).
std::optional<char32_t> decode(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int extra = 0;
  char32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0) {
    extra = 1;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    extra = 2;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    extra = 3;
    cp = b0 & 0x07;
  } else {
    return std::nullopt;
  }
  if (i + static_cast<std::size_t>(extra) >= s.size()) {
    return std::nullopt;
  }
  for (int k = 1; k <= extra; ++k) {
    const auto b = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
    if ((b & 0xC0) != 0x80) {
      return std::nullopt;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  constexpr char32_t kMin[] = {0, 0x80, 0x800, 0x10000};
  if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return std::nullopt;
  }
  i += static_cast<std::size_t>(extra) + 1;
  return cp;
}

void encode(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

char32_t to_lower(char32_t c) {
  const bool even = (c % 2) == 0;
  if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7) ||
      (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) || (c >= 0x410 && c <= 0x42F)) {
    return c + 0x20;
  }
  if (c >= 0x400 && c <= 0x40F) {
    return c + 0x50;
  }
  if (((c >= 0x100 && c <= 0x12F) || (c >= 0x132 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) &&
      even) {
    return c + 1;
  }
  if (((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) && !even) {
    return c + 1;
  }
  return c;
}

bool is_control(char32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

bool is_space(char32_t c) {
  return c == 0x20 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
         c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

bool forbidden_in_local(char32_t c) {
  switch (c) {
    case '"':
    case '&':
    case '\'':
    case '/':
    case ':':
    case '<':
    case '>':
    case '@':
      return true;
    default:
      return is_control(c) || is_space(c);
  }
}

result<std::string> normalize_local(std::string_view in) {
  if (in.empty()) {
    return JidErrc::localpart_empty;
  }
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size();) {
    const auto cp = decode(in, i);
    if (!cp) {
      return JidErrc::bad_utf8;
    }
    if (forbidden_in_local(*cp)) {
      return JidErrc::localpart_forbidden;
    }
    encode(to_lower(*cp), out);
  }
  if (out.size() > Jid::kMaxPartBytes) {
    return JidErrc::localpart_too_long;
  }
  return out;
}

result<std::string> normalize_resource(std::string_view in) {
  if (in.empty()) {
    return JidErrc::resourcepart_empty;
  }
  if (in.size() > Jid::kMaxPartBytes) {
    return JidErrc::resourcepart_too_long;
  }
  for (std::size_t i = 0; i < in.size();) {
    const auto cp = decode(in, i);
    if (!cp) {
      return JidErrc::bad_utf8;
    }
    if (is_control(*cp)) {
      return JidErrc::resourcepart_forbidden;
    }
  }
  return std::string(in);
}

bool valid_ipv6_literal(std::string_view d) {
  if (d.size() < 4 || d.back() != ']') {
    return false;
  }
  for (char c : d.substr(1, d.size() - 2)) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    if (!hex && c != ':' && c != '.') {
      return false;
    }
  }
  return d.find(':') != std::string_view::npos;
}

// An LDH label of 1..63 bytes, or a U-label (non-ASCII bytes, already checked by libidn2,
// whose A-label form it limited to 63 bytes) whose ASCII characters are LDH.
bool valid_label(std::string_view label) {
  if (label.empty() || label.front() == '-' || label.back() == '-') {
    return false;
  }
  bool ascii = true;
  for (char ch : label) {
    const auto c = static_cast<unsigned char>(ch);
    const bool ldh = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ldh && c < 0x80) {
      return false;
    }
    ascii = ascii && c < 0x80;
  }
  return !ascii || label.size() <= 63;
}

bool valid_labels(std::string_view d) {
  for (std::size_t start = 0; start <= d.size();) {
    const auto dot = std::min(d.find('.', start), d.size());
    if (!valid_label(d.substr(start, dot - start))) {
      return false;
    }
    start = dot + 1;
  }
  return true;
}

// Lower-cases and maps the IDNA dot variants; refuses controls and spaces.
result<std::string> fold_domain(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size();) {
    const auto cp = decode(in, i);
    if (!cp) {
      return JidErrc::bad_utf8;
    }
    if (is_control(*cp) || is_space(*cp)) {
      return JidErrc::domainpart_invalid;
    }
    const bool dot = *cp == 0x3002 || *cp == 0xFF0E || *cp == 0xFF61;
    encode(dot ? U'.' : to_lower(*cp), out);
  }
  return out;
}

}  // namespace

const boost::system::error_category& jid_category() noexcept {
  static const JidCategory category;
  return category;
}

boost::system::error_code make_error_code(JidErrc e) noexcept {
  return {static_cast<int>(e), jid_category()};
}

result<std::string> normalize_domain(std::string_view in) {
  if (in.empty()) {
    return JidErrc::domainpart_empty;
  }
  auto folded = fold_domain(in);
  if (!folded) {
    return folded.error();
  }
  std::string d = std::move(*folded);
  if (!d.empty() && d.back() == '.') {  // RFC 7622 §3.2: a trailing dot is removed
    d.pop_back();
  }
  if (d.empty()) {
    return JidErrc::domainpart_empty;
  }
  if (d.size() > Jid::kMaxPartBytes) {
    return JidErrc::domainpart_too_long;
  }
  if (d.front() == '[') {
    return valid_ipv6_literal(d) ? result<std::string>(std::move(d))
                                 : result<std::string>(JidErrc::domainpart_invalid);
  }
  if (!valid_labels(d)) {  // empty labels, non-LDH ASCII: refused before libidn2 sees them
    return JidErrc::domainpart_invalid;
  }
  if (!needs_idna(d)) {
    return d;
  }
  auto unicode = idna_to_unicode(d);  // RFC 7622 §3.2: A-labels compare as U-labels
  if (!unicode) {
    return unicode.error();
  }
  if (unicode->size() > Jid::kMaxPartBytes) {
    return JidErrc::domainpart_too_long;
  }
  if (!valid_labels(*unicode)) {
    return JidErrc::domainpart_invalid;
  }
  return std::move(*unicode);
}

result<std::string> to_ascii_domain(std::string_view domain) {
  auto d = normalize_domain(domain);
  if (!d || !needs_idna(*d) || d->front() == '[') {
    return d;
  }
  return idna_to_ascii(*d);
}

result<Jid> Jid::parse(std::string_view text) {
  if (text.empty()) {
    return JidErrc::empty;
  }
  const auto slash = text.find('/');
  const std::string_view head = text.substr(0, slash);
  const auto at = head.find('@');
  Jid jid;
  if (at != std::string_view::npos) {
    auto local = normalize_local(head.substr(0, at));
    if (!local) {
      return local.error();
    }
    jid.str_ = std::move(*local);
    jid.local_len_ = static_cast<std::uint16_t>(jid.str_.size());
    jid.str_.push_back('@');
  }
  auto domain = normalize_domain(at == std::string_view::npos ? head : head.substr(at + 1));
  if (!domain) {
    return domain.error();
  }
  jid.domain_len_ = static_cast<std::uint16_t>(domain->size());
  jid.str_.append(*domain);
  if (slash != std::string_view::npos) {
    auto resource = normalize_resource(text.substr(slash + 1));
    if (!resource) {
      return resource.error();
    }
    jid.str_.push_back('/');
    jid.str_.append(*resource);
  }
  return jid;
}

result<Jid> Jid::from_domain(std::string_view domain) {
  auto d = normalize_domain(domain);
  if (!d) {
    return d.error();
  }
  Jid jid;
  jid.domain_len_ = static_cast<std::uint16_t>(d->size());
  jid.str_ = std::move(*d);
  return jid;
}

std::string dns_name(std::string_view domain) {
  auto ascii = to_ascii_domain(domain);
  return ascii ? std::move(*ascii) : std::string(domain);
}

std::string Jid::domain_ascii() const {
  const std::string_view d = domain_part();
  if (!needs_idna(d)) {
    return std::string(d);
  }
  auto ascii = idna_to_ascii(d);  // cannot fail: parse() checked the same labels
  return ascii ? std::move(*ascii) : std::string(d);
}

Jid Jid::bare() const {
  Jid j;
  j.local_len_ = local_len_;
  j.domain_len_ = domain_len_;
  j.str_ = str_.substr(0, domain_start() + domain_len_);
  return j;
}

Jid Jid::domain() const {
  Jid j;
  j.domain_len_ = domain_len_;
  j.str_ = std::string(domain_part());
  return j;
}

}  // namespace fedgate::xmpp
