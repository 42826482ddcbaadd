// Resource list meta-information, application/rlmi+xml (RFC 4662 §5), as carried in the
// multipart/related NOTIFYs of list subscriptions (and Microsoft batched subscriptions,
// which add the instance state "resubscribe"). Owned by sip_codec; pure, any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "gateway/base/result.hpp"
#include "sip/codec/xml_dom.hpp"

namespace fedgate::sip {

struct RlmiInstance {
  std::string id;
  std::string state;   // "active", "pending", "terminated" or Microsoft's "resubscribe"
  std::string reason;  // for terminated instances
  std::string cid;     // Content-ID of the part holding this instance's document
  friend bool operator==(const RlmiInstance&, const RlmiInstance&) = default;
};

struct RlmiResource {
  std::string uri;
  std::vector<RlmiInstance> instances;
  // Microsoft: a single subscription to this contact must be sent (MS-PRES).
  bool needs_resubscribe() const;
  friend bool operator==(const RlmiResource&, const RlmiResource&) = default;
};

struct RlmiList {
  std::string uri;
  std::string version;
  bool full_state = false;
  std::vector<RlmiResource> resources;
  friend bool operator==(const RlmiList&, const RlmiList&) = default;
};

inline constexpr std::string_view kRlmiNs = "urn:ietf:params:xml:ns:rlmi";

result<RlmiList> parse_rlmi(std::string_view xml, const XmlLimits& limits = {});
std::string write_rlmi(const RlmiList& list);

}  // namespace fedgate::sip
