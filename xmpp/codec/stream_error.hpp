// StreamErrc: the RFC 6120 §4.9.3 stream error conditions as an error_code enum, with their
// wire names. Owned by xmpp_codec (parser refusals) and used by xmpp_stream; any executor.
#pragma once

#include <boost/system/error_code.hpp>
#include <optional>
#include <string_view>
#include <type_traits>

namespace fedgate::xmpp {

// RFC 6120 §4.9.3.1–§4.9.3.25, in the RFC's order.
enum class StreamErrc {
  bad_format = 1,
  bad_namespace_prefix,
  conflict,
  connection_timeout,
  host_gone,
  host_unknown,
  improper_addressing,
  internal_server_error,
  invalid_from,
  invalid_namespace,
  invalid_xml,
  not_authorized,
  not_well_formed,
  policy_violation,
  remote_connection_failed,
  reset,
  resource_constraint,
  restricted_xml,
  see_other_host,
  system_shutdown,
  undefined_condition,
  unsupported_encoding,
  unsupported_feature,
  unsupported_stanza_type,
  unsupported_version,
};

const boost::system::error_category& stream_category() noexcept;
boost::system::error_code make_error_code(StreamErrc e) noexcept;

// The defined-condition element name, e.g. "not-well-formed".
std::string_view condition_name(StreamErrc e) noexcept;
// Inverse of condition_name(); nullopt for names RFC 6120 does not define.
std::optional<StreamErrc> stream_condition_from_name(std::string_view name) noexcept;

}  // namespace fedgate::xmpp

template <>
struct boost::system::is_error_code_enum<fedgate::xmpp::StreamErrc> : std::true_type {};
