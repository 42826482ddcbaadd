// The sip::ParseErrc category and its wire reason phrases.
#include "sip/codec/parse_error.hpp"

#include <string>

namespace fedgate::sip {
namespace {

class ParseCategory final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "sip.parse"; }
  std::string message(int ev) const override {
    return std::string(reason_phrase(static_cast<ParseErrc>(ev)));
  }
};

}  // namespace

const boost::system::error_category& parse_category() noexcept {
  static const ParseCategory category;
  return category;
}

int status_for(ParseErrc e) noexcept {
  switch (e) {
    case ParseErrc::bad_version:
      return 505;
    case ParseErrc::header_too_long:
    case ParseErrc::too_many_headers:
      return 513;
    case ParseErrc::body_too_long:
      return 413;
    default:
      return 400;
  }
}

std::string_view reason_phrase(ParseErrc e) noexcept {
  switch (e) {
    case ParseErrc::truncated: return "Bad Request - Truncated Message";
    case ParseErrc::bad_start_line: return "Bad Request - Malformed Start Line";
    case ParseErrc::bad_version: return "Version Not Supported";
    case ParseErrc::bad_status_code: return "Bad Request - Malformed Status Code";
    case ParseErrc::bad_request_uri: return "Bad Request - Malformed Request-URI";
    case ParseErrc::bad_uri: return "Bad Request - Malformed URI";
    case ParseErrc::bad_header: return "Bad Request - Malformed Header Line";
    case ParseErrc::bad_via: return "Bad Request - Malformed Via";
    case ParseErrc::bad_from: return "Bad Request - Malformed From";
    case ParseErrc::bad_to: return "Bad Request - Malformed To";
    case ParseErrc::bad_call_id: return "Bad Request - Malformed Call-ID";
    case ParseErrc::bad_cseq: return "Bad Request - Malformed CSeq";
    case ParseErrc::cseq_method_mismatch: return "Bad Request - CSeq Method Mismatch";
    case ParseErrc::bad_contact: return "Bad Request - Malformed Contact";
    case ParseErrc::bad_route: return "Bad Request - Malformed Route";
    case ParseErrc::bad_max_forwards: return "Bad Request - Malformed Max-Forwards";
    case ParseErrc::bad_expires: return "Bad Request - Malformed Expires";
    case ParseErrc::bad_event: return "Bad Request - Malformed Event";
    case ParseErrc::bad_subscription_state: return "Bad Request - Malformed Subscription-State";
    case ParseErrc::bad_content_type: return "Bad Request - Malformed Content-Type";
    case ParseErrc::bad_content_length: return "Bad Request - Malformed Content-Length";
    case ParseErrc::missing_content_length: return "Bad Request - Missing Content-Length";
    case ParseErrc::bad_option_tags: return "Bad Request - Malformed Option Tags";
    case ParseErrc::bad_date: return "Bad Request - Malformed Date";
    case ParseErrc::duplicate_header: return "Bad Request - Duplicate Single-Valued Header";
    case ParseErrc::missing_header: return "Bad Request - Missing Mandatory Header";
    case ParseErrc::too_many_headers: return "Message Too Large - Too Many Headers";
    case ParseErrc::header_too_long: return "Message Too Large - Header Section Too Long";
    case ParseErrc::body_too_long: return "Request Entity Too Large";
    case ParseErrc::bad_body: return "Bad Request - Malformed Body";
    case ParseErrc::xml_too_deep: return "Bad Request - XML Body Exceeds Limits";
    case ParseErrc::bad_xml: return "Bad Request - Malformed XML Body";
  }
  return "Bad Request";
}

}  // namespace fedgate::sip
