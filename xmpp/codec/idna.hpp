// IDNA2008 conversions of a domain name through libidn2 (RFC 5891 §5.3-5.5 with the UTS #46
// non-transitional mapping, which covers RFC 5895's case and width mapping and NFC). Used by
// Jid (RFC 7622 §3.2: U-labels are the compared form, A-labels go to DNS, SNI and certificate
// matching). Pure functions in xmpp_codec, any executor.
#pragma once

#include <string>
#include <string_view>

#include "gateway/base/result.hpp"

namespace fedgate::xmpp {

// True when `domain` has a non-ASCII byte or an "xn--" label (any case): only such domains
// need libidn2; all-LDH domains are handled by the caller's fast path.
bool needs_idna(std::string_view domain);

// Every label as a U-label (A-labels decoded and checked, U-labels mapped and checked);
// ASCII labels as given. JidErrc::domainpart_idna for a label IDNA2008 refuses.
result<std::string> idna_to_unicode(std::string_view domain);

// Every label as an A-label ("xn--..."); ASCII labels as given. Same errors.
result<std::string> idna_to_ascii(std::string_view domain);

}  // namespace fedgate::xmpp
