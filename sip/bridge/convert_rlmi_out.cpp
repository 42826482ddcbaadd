// RFC 4662 §5 list notifications that fedgate sends for a batched subscription (MS-PRES
// §3.7.5.4): the RLMI root part, then one presence document part per active instance.
#include <fmt/format.h>

#include <utility>

#include "sip/bridge/convert_rlmi.hpp"
#include "sip/codec/body_part.hpp"
#include "sip/codec/rlmi.hpp"

namespace fedgate::sip {
namespace {

constexpr std::string_view kRootId = "resourceList";

MediaType media_type(std::string_view text) { return MediaType::parse(text).value(); }

}  // namespace

Body rlmi_body_for(std::string_view list_uri, std::uint32_t version, bool full_state,
                   const std::vector<ResourceInstance>& resources, std::string_view boundary) {
  RlmiList list{std::string(list_uri), std::to_string(version), full_state, {}};
  std::vector<BodyPart> parts(1);
  for (std::size_t i = 0; i < resources.size(); ++i) {
    const ResourceInstance& r = resources[i];
    RlmiInstance instance{"0", r.state, r.state == "terminated" ? r.reason : "", ""};
    if (r.document && r.state == "active") {
      instance.cid = fmt::format("{}.{}", i, r.resource.bare());
      BodyPart part;
      part.content_type = r.document->type;
      part.content_id = instance.cid;
      part.body = r.document->bytes;
      parts.push_back(std::move(part));
    }
    list.resources.push_back(
        RlmiResource{fmt::format("sip:{}", r.resource.bare()), {std::move(instance)}});
  }
  parts[0].content_type = media_type(kRlmiType);
  parts[0].content_id = std::string(kRootId);
  parts[0].body = write_rlmi(list);
  Body body;
  body.type = media_type(
      fmt::format("multipart/related;type=\"application/rlmi+xml\";start=\"<{}>\";boundary={}",
                  kRootId, boundary));
  body.bytes = write_multipart(parts, boundary);
  return body;
}

}  // namespace fedgate::sip
