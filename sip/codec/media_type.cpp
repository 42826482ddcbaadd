// Content-Type media types (RFC 3261 §20.15, §25.1 media-type).
#include "sip/codec/media_type.hpp"

#include "sip/codec/grammar.hpp"
#include "sip/codec/parse_error.hpp"

namespace fedgate::sip {

using namespace grammar;

result<MediaType> MediaType::parse(std::string_view text) {
  Cursor c{text};
  c.skip_ws();
  MediaType mt;
  std::string_view type = scan_token(c);
  if (type.empty() || !c.eat('/')) {
    return make_error_code(ParseErrc::bad_content_type);
  }
  std::string_view subtype = scan_token(c);
  if (subtype.empty()) {
    return make_error_code(ParseErrc::bad_content_type);
  }
  mt.type.assign(type);
  mt.subtype.assign(subtype);
  lower_in_place(mt.type);
  lower_in_place(mt.subtype);
  if (!parse_header_params(c, mt.params) || !c.done()) {
    return make_error_code(ParseErrc::bad_content_type);
  }
  return mt;
}

void MediaType::append_to(std::string& out) const {
  out += type;
  out.push_back('/');
  out += subtype;
  append_params(out, params);
}

std::string MediaType::str() const {
  std::string out;
  append_to(out);
  return out;
}

bool MediaType::is(std::string_view type_subtype) const {
  std::size_t slash = type_subtype.find('/');
  if (slash == std::string_view::npos) {
    return false;
  }
  return iequals(type, type_subtype.substr(0, slash)) &&
         iequals(subtype, type_subtype.substr(slash + 1));
}

}  // namespace fedgate::sip
