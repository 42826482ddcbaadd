// The sip::ConvertErrc category and its status mapping (RFC 3261 §21.4, RFC 6665 §8.3.1).
#include "sip/bridge/convert_errc.hpp"

#include <string>

namespace fedgate::sip {
namespace {

class ConvertCategory final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "sip.convert"; }
  std::string message(int ev) const override {
    return std::string(reason_for(static_cast<ConvertErrc>(ev)));
  }
};

}  // namespace

const boost::system::error_category& convert_category() noexcept {
  static const ConvertCategory category;
  return category;
}

int status_for(ConvertErrc e) noexcept {
  switch (e) {
    case ConvertErrc::unsupported_media_type:
    case ConvertErrc::unsupported_charset:
      return 415;
    case ConvertErrc::bad_event:
      return 489;
    case ConvertErrc::bad_body:
    case ConvertErrc::bad_address:
    case ConvertErrc::missing_body:
    case ConvertErrc::missing_header:
    case ConvertErrc::bad_multipart:
      return 400;
  }
  return 400;
}

std::string_view reason_for(ConvertErrc e) noexcept {
  switch (e) {
    case ConvertErrc::unsupported_media_type:
      return "Unsupported Media Type";
    case ConvertErrc::unsupported_charset:
      return "Unsupported Media Type - Charset";
    case ConvertErrc::bad_body:
      return "Bad Request - Malformed Body";
    case ConvertErrc::bad_address:
      return "Bad Request - Address Not Representable";
    case ConvertErrc::missing_body:
      return "Bad Request - Missing Body";
    case ConvertErrc::missing_header:
      return "Bad Request - Missing Header";
    case ConvertErrc::bad_event:
      return "Bad Event";
    case ConvertErrc::bad_multipart:
      return "Bad Request - Malformed Multipart Body";
  }
  return "Bad Request";
}

}  // namespace fedgate::sip
