// The exact bytes fedgate writes on s2s streams for negotiation elements: features,
// STARTTLS (RFC 6120 §5.4), SASL (§6.4), stream errors (§4.9), dialback (XEP-0220 §2),
// stream management (XEP-0198 §3–§4) and pings (XEP-0199). Owned by xmpp_stream; pure.
// Assumes our header declared xmlns:stream and (for db: elements) xmlns:db.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "xmpp/codec/stanza.hpp"
#include "xmpp/codec/stream_error.hpp"

namespace fedgate::xmpp {

struct FeatureSet {
  bool starttls = false;
  bool starttls_required = false;
  bool sasl_external = false;
  bool dialback = false;
  bool sm = false;
};

std::string features_bytes(const FeatureSet& f);
// <stream:error><condition/>[app_element]</stream:error></stream:stream>
std::string stream_error_bytes(StreamErrc condition, std::string_view app_element = {});
// RFC 6120 §4.9.3.19: <see-other-host>host[:port]</see-other-host>, then the close tag.
std::string see_other_host_bytes(std::string_view host);
inline constexpr std::string_view kStreamClose = "</stream:stream>";

inline constexpr std::string_view kStartTls = "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>";
inline constexpr std::string_view kProceed = "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>";
inline constexpr std::string_view kTlsFailure =
    "<failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>";

std::string sasl_auth_external(std::string_view authzid);  // base64 of authzid, "=" if empty
inline constexpr std::string_view kSaslSuccess =
    "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>";
std::string sasl_failure(std::string_view condition);  // RFC 6120 §6.5 condition name

// <db:result from to>key</db:result> (XEP-0220 §2.1.1 step 1).
std::string db_result_request(std::string_view from, std::string_view to, std::string_view key);
// <db:result from to type='valid|invalid'/> (§2.1.1 step 4).
std::string db_result_answer(std::string_view from, std::string_view to, bool valid);
// <db:verify from to id>key</db:verify> (§2.1.2 step 2).
std::string db_verify_request(std::string_view from, std::string_view to, std::string_view id,
                              std::string_view key);
// <db:verify from to id type='valid|invalid'/> (§2.2.2 step 3).
std::string db_verify_answer(std::string_view from, std::string_view to, std::string_view id,
                             bool valid);
// <db:{result|verify} from to [id] type='error'><error type='cancel'><cond/></error>..>
// (§2.4, examples 10 and 14). `element` is "result" or "verify"; `id` empty for result.
std::string db_error(std::string_view element, std::string_view from, std::string_view to,
                     std::string_view id, StanzaErrc condition);

inline constexpr std::string_view kSmFeature = "<sm xmlns='urn:xmpp:sm:3'/>";
inline constexpr std::string_view kSmEnable = "<enable xmlns='urn:xmpp:sm:3'/>";
inline constexpr std::string_view kSmEnabled = "<enabled xmlns='urn:xmpp:sm:3'/>";
inline constexpr std::string_view kSmRequest = "<r xmlns='urn:xmpp:sm:3'/>";
std::string sm_failed(StanzaErrc condition);
std::string sm_answer(std::uint32_t h);  // <a xmlns='urn:xmpp:sm:3' h='N'/>
// XEP-0198 §4: the <handled-count-too-high/> application condition (goes with
// <undefined-condition/>).
std::string sm_handled_too_high(std::uint32_t h, std::uint32_t send_count);

// XEP-0199 §4.2: <iq from to id type='get'><ping xmlns='urn:xmpp:ping'/></iq>.
std::string ping(std::string_view from, std::string_view to, std::string_view id);

}  // namespace fedgate::xmpp
