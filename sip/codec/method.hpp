// SIP request methods: RFC 3261 §7.1 and extensions (RFC 3265/6665, 3428, 3903, 3515, 6086),
// plus Microsoft's BENOTIFY and SERVICE (MS-SIP §2.2). Owned by sip_codec; any thread.
// Method names are case-sensitive: "invite" is an extension method, not INVITE.
#pragma once

#include <string>
#include <string_view>

namespace fedgate::sip {

enum class Method {
  invite,
  ack,
  bye,
  cancel,
  register_,
  options,
  info,
  message,
  subscribe,
  notify,
  publish,
  refer,
  prack,
  update,
  benotify,
  service,
  other,  // the name is in the message's method_text
};

// The known method for a token, or Method::other.
Method method_from_token(std::string_view token);
// The wire name of a known method; empty for Method::other.
std::string_view to_string(Method m);
// The wire name: to_string(m), or `text` for Method::other.
std::string_view method_name(Method m, std::string_view text);

}  // namespace fedgate::sip
