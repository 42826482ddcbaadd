// Content-Type media types (RFC 3261 §20.15, §25.1 media-type).
#include "sip/codec/media_type.hpp"

#include "sip/codec/grammar.hpp"
#include "sip/codec/parse_error.hpp"
#include "sip/codec/parse_into.hpp"

namespace fedgate::sip {

using namespace grammar;

namespace detail {

bool parse_media_type_into(std::string_view text, MediaType& mt) {
  Cursor c{text};
  c.skip_ws();
  std::string_view type = scan_token(c);
  if (type.empty() || !c.eat('/')) {
    return false;
  }
  std::string_view subtype = scan_token(c);
  if (subtype.empty()) {
    return false;
  }
  mt.type.assign(type);
  mt.subtype.assign(subtype);
  lower_in_place(mt.type);
  lower_in_place(mt.subtype);
  if (!parse_header_params(c, mt.params) || !c.done()) {
    return false;
  }
  return true;
}

}  // namespace detail

result<MediaType> MediaType::parse(std::string_view text) {
  result<MediaType> out(boost::system::in_place_value);
  if (!detail::parse_media_type_into(text, *out)) {
    out = make_error_code(ParseErrc::bad_content_type);
  }
  return out;
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
