// Jid: an XMPP address (RFC 7622): [localpart@]domainpart[/resourcepart], validated and
// normalised once by parse(); afterwards equality is plain string equality. Owned by
// xmpp_codec; a plain value, any executor. What normalisation covers (IDNA2008 domainparts
// through libidn2, no PRECIS library): see jid.cpp's header comment.
#pragma once

#include <boost/system/error_code.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

#include "gateway/base/result.hpp"

namespace fedgate::xmpp {

enum class JidErrc {
  empty = 1,
  localpart_empty,
  localpart_too_long,
  localpart_forbidden,
  domainpart_empty,
  domainpart_too_long,
  domainpart_invalid,
  resourcepart_empty,
  resourcepart_too_long,
  resourcepart_forbidden,
  bad_utf8,
  domainpart_idna,  // a label IDNA2008 refuses (RFC 5891 §5.4, RFC 5892), bad A-labels too
};

const boost::system::error_category& jid_category() noexcept;
boost::system::error_code make_error_code(JidErrc e) noexcept;

class Jid {
 public:
  static constexpr std::size_t kMaxPartBytes = 1023;  // RFC 7622 §3.3.1, §3.2.1, §3.4.1

  // Parses and normalises (RFC 7622 §3): domain case-folded, trailing dot removed and
  // A-labels converted to U-labels (the compared form), localpart case-mapped, resourcepart
  // kept as is.
  static result<Jid> parse(std::string_view text);
  // A domain-only JID from a domain name (same rules as the domainpart).
  static result<Jid> from_domain(std::string_view domain);

  std::string_view local() const { return std::string_view(str_).substr(0, local_len_); }
  std::string_view domain_part() const {
    return std::string_view(str_).substr(domain_start(), domain_len_);
  }
  std::string_view resource() const {
    const std::size_t start = domain_start() + domain_len_;
    return start < str_.size() ? std::string_view(str_).substr(start + 1) : std::string_view();
  }
  bool has_local() const { return local_len_ > 0; }
  bool has_resource() const { return domain_start() + domain_len_ < str_.size(); }
  bool is_bare() const { return !has_resource(); }

  Jid bare() const;    // localpart@domainpart
  Jid domain() const;  // domainpart only
  const std::string& str() const { return str_; }
  // The domainpart with every U-label as its A-label: the form for DNS queries, TLS SNI and
  // certificate name matching (RFC 7622 §3.2, RFC 6125 §6.4.2).
  std::string domain_ascii() const;

  friend bool operator==(const Jid& a, const Jid& b) { return a.str_ == b.str_; }
  friend auto operator<=>(const Jid& a, const Jid& b) { return a.str_ <=> b.str_; }

 private:
  std::size_t domain_start() const { return local_len_ > 0 ? local_len_ + 1u : 0u; }
  std::string str_;
  std::uint16_t local_len_ = 0;
  std::uint16_t domain_len_ = 0;
};

// The normalised domainpart alone (RFC 7622 §3.2, U-labels), e.g. for stream headers and
// dialback.
result<std::string> normalize_domain(std::string_view domain);
// The normalised domainpart in its ASCII form (A-labels): for DNS, SNI and certificates.
result<std::string> to_ascii_domain(std::string_view domain);
// to_ascii_domain(domain), or `domain` unchanged when it is not a valid domainpart: the name
// to put in SRV/A queries and TLS SNI for a domain that came from elsewhere.
std::string dns_name(std::string_view domain);

}  // namespace fedgate::xmpp

template <>
struct boost::system::is_error_code_enum<fedgate::xmpp::JidErrc> : std::true_type {};
