// A complete SIP request or response, parsed eagerly (RFC 3261 §7, STYLE.md B3). Owns all of
// its bytes; cheap to move. Headers fedgate interprets are typed; every other header is kept
// verbatim and in order in `other`; the body is raw bytes. Owned by sip_codec; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sip/codec/cseq.hpp"
#include "sip/codec/event_header.hpp"
#include "sip/codec/header.hpp"
#include "sip/codec/media_type.hpp"
#include "sip/codec/method.hpp"
#include "sip/codec/name_addr.hpp"
#include "sip/codec/subscription_state.hpp"
#include "sip/codec/uri.hpp"
#include "sip/codec/via.hpp"

namespace fedgate::sip {

// The headers requests and responses share. Content-Length is not stored: it is checked
// when parsing and always written as body.size() (RFC 3261 §20.14).
struct MessageHeaders {
  std::vector<Via> via;                  // topmost first
  NameAddr from;
  NameAddr to;
  std::string call_id;
  CSeq cseq;
  std::vector<NameAddr> contact;
  bool contact_star = false;             // "Contact: *" (REGISTER, RFC 3261 §10.2.2)
  std::vector<NameAddr> route;
  std::vector<NameAddr> record_route;
  std::optional<std::uint32_t> max_forwards;
  std::optional<std::uint32_t> expires;  // values above 2^32-1 are clamped (§20.19)
  std::optional<EventHeader> event;
  std::optional<SubscriptionState> subscription_state;
  std::optional<MediaType> content_type;
  std::vector<std::string> require;      // option tags, in order
  std::vector<std::string> supported;
  HeaderList other;                      // everything else, verbatim, in order
  std::string body;                      // raw bytes (may contain NULs)

  friend bool operator==(const MessageHeaders&, const MessageHeaders&) = default;
};

struct Request : MessageHeaders {
  Method method = Method::other;
  std::string method_text;  // only for Method::other (extension methods)
  Uri request_uri;

  std::string_view method_name() const { return sip::method_name(method, method_text); }
  friend bool operator==(const Request&, const Request&) = default;
};

struct Response : MessageHeaders {
  int status = 0;      // 100..699
  std::string reason;  // may be empty (RFC 4475 §3.1.1.13) or UTF-8 (§3.1.1.12)

  friend bool operator==(const Response&, const Response&) = default;
};

using Message = std::variant<Request, Response>;

inline const MessageHeaders& headers_of(const Message& m) {
  return std::visit([](const auto& v) -> const MessageHeaders& { return v; }, m);
}
inline MessageHeaders& headers_of(Message& m) {
  return std::visit([](auto& v) -> MessageHeaders& { return v; }, m);
}

}  // namespace fedgate::sip
