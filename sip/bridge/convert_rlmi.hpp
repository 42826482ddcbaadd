// RLMI list notifications → neutral presence per resource: a multipart/related body
// (RFC 2387) whose root is application/rlmi+xml (RFC 4662 §5) and whose other parts hold one
// presence document per resource instance, as Lync sends for batched subscriptions, with
// Microsoft's "resubscribe" instance state (MS-PRES); and the same form for the notifications
// fedgate sends in a batched subscription's dialog. Owned by sip_net; pure, any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "gateway/base/result.hpp"
#include "sip/bridge/convert_presence_in.hpp"
#include "sip/codec/media_type.hpp"
#include "sip/dialog/usage.hpp"

namespace fedgate::sip {

inline constexpr std::string_view kRlmiType = "application/rlmi+xml";
inline constexpr std::string_view kMultipartRelatedType = "multipart/related";

struct ResourceNotice {
  presence::Address resource;  // the list member (bare)
  std::string state;           // instance state: active, pending, terminated, resubscribe
  std::string reason;          // for terminated instances (RFC 4662 §5.2)
  // MS-PRES: answer with a single subscription to this contact (a new SUBSCRIBE dialog).
  bool resubscribe = false;
  std::optional<SipPresenceDocument> document;  // the instance's part, when one was readable
  friend bool operator==(const ResourceNotice&, const ResourceNotice&) = default;
};

struct RlmiNotice {
  std::string list_uri;
  std::string version;
  bool full_state = false;
  std::vector<ResourceNotice> resources;
  // Resources left out: a URI that is no user@domain address. Parts whose document could not
  // be read (an unknown type, malformed XML) keep their resource without document.
  std::size_t skipped_resources = 0;
  std::size_t unreadable_parts = 0;
  friend bool operator==(const RlmiNotice&, const RlmiNotice&) = default;
};

// The root part is the one named by the Content-Type's start parameter, else the first
// application/rlmi+xml part. Errors: unsupported_media_type (not multipart/related),
// bad_multipart (no boundary, no root part, malformed MIME), bad_body (malformed RLMI).
result<RlmiNotice> presence_from_rlmi(const std::optional<MediaType>& type, std::string_view body);

// Any presence NOTIFY / BENOTIFY / piggy-backed 200 body: an RLMI list for multipart/related,
// else one document of `entity` (presence_from_body).
using PresenceNotice = std::variant<SipPresenceDocument, RlmiNotice>;
result<PresenceNotice> presence_from_notify_body(const std::optional<MediaType>& type,
                                                 std::string_view body,
                                                 const presence::Address& entity);

// One list member in a notification fedgate sends (RFC 4662 §5.2, MS-PRES batched
// subscriptions): its instance state and, for an active one, its presence document.
struct ResourceInstance {
  presence::Address resource;
  std::string state = "active";  // active, pending, terminated
  std::string reason;            // terminated only (RFC 4662 §5.2: rejected, noresource...)
  std::optional<Body> document;  // carried in its own part, named by the instance's cid
};

// multipart/related; type="application/rlmi+xml"; start="<resourceList>"; boundary=B: the
// RLMI root (list `list_uri`, `version`, fullState) first, then one part per document.
Body rlmi_body_for(std::string_view list_uri, std::uint32_t version, bool full_state,
                   const std::vector<ResourceInstance>& resources, std::string_view boundary);

}  // namespace fedgate::sip
