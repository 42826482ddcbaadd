// Microsoft batched category subscriptions: the body of a SUBSCRIBE with
// `Require: adhoclist, categoryList`, Content-Type application/msrtc-adrl-categorylist+xml
// (MS-PRES §2.2.2.4.1): <batchSub><action><adhocList/><categoryList/></action></batchSub>.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "gateway/base/result.hpp"
#include "sip/codec/xml_dom.hpp"

namespace fedgate::sip {

struct BatchSubscribe {
  std::string uri;                      // the subscriber
  std::string action = "subscribe";     // <action name=...>
  std::string action_id;
  std::vector<std::string> resources;   // adhocList <resource uri=.../>
  std::vector<std::string> categories;  // categoryList <category name=.../>
  friend bool operator==(const BatchSubscribe&, const BatchSubscribe&) = default;
};

inline constexpr std::string_view kBatchSubscribeNs = "http://schemas.microsoft.com/2006/01/sip/batch-subscribe";
inline constexpr std::string_view kCategoryListNs = "http://schemas.microsoft.com/2006/09/sip/categorylist";

result<BatchSubscribe> parse_batch_subscribe(std::string_view xml, const XmlLimits& limits = {});
std::string write_batch_subscribe(const BatchSubscribe& doc);

}  // namespace fedgate::sip
