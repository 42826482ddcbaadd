// Internal to sip_codec: the value parsers writing straight into their destination (a
// member of the message being parsed), so the parser moves no Uri / NameAddr / Via around.
// The destination must be default-constructed; on failure it holds a partial value.
// Pure, any thread. Grammar as in Uri::parse, NameAddr::parse, Via::parse, MediaType::parse.
#pragma once

#include <string_view>

#include "sip/codec/media_type.hpp"
#include "sip/codec/name_addr.hpp"
#include "sip/codec/uri.hpp"
#include "sip/codec/via.hpp"

namespace fedgate::sip::detail {

bool parse_uri_into(std::string_view text, Uri& out);
bool parse_name_addr_into(std::string_view text, NameAddr& out);
bool parse_via_into(std::string_view text, Via& out);
bool parse_media_type_into(std::string_view text, MediaType& out);

}  // namespace fedgate::sip::detail
