// RFC 4662 §5 list notifications (multipart/related + RLMI) → per-resource neutral presence.
#include "sip/bridge/convert_rlmi.hpp"

#include <utility>

#include "sip/bridge/convert_address.hpp"
#include "sip/bridge/convert_errc.hpp"
#include "sip/codec/body_part.hpp"
#include "sip/codec/rlmi.hpp"

namespace fedgate::sip {
namespace {

std::string unbracket(std::string id) {
  if (id.size() >= 2 && id.front() == '<' && id.back() == '>') {
    return id.substr(1, id.size() - 2);
  }
  return id;
}

const BodyPart* root_part(const std::vector<BodyPart>& parts, const MediaType& type) {
  const std::string start = unbracket(type.param("start").value_or(""));
  for (const auto& p : parts) {
    if (!start.empty() && p.content_id == start) {
      return &p;
    }
  }
  for (const auto& p : parts) {
    if (p.content_type && p.content_type->is(kRlmiType)) {
      return &p;
    }
  }
  return nullptr;
}

const BodyPart* part_with_id(const std::vector<BodyPart>& parts, std::string_view cid) {
  for (const auto& p : parts) {
    if (!cid.empty() && p.content_id == cid) {
      return &p;
    }
  }
  return nullptr;
}

// The state of the resource: its first instance's (Lync lists carry one instance each).
void take_instance(ResourceNotice& out, const RlmiResource& r) {
  if (!r.instances.empty()) {
    out.state = r.instances.front().state;
    out.reason = r.instances.front().reason;
  }
  out.resubscribe = r.needs_resubscribe();
}

void read_resource(const RlmiResource& r, const std::vector<BodyPart>& parts, RlmiNotice& out) {
  auto address = address_from_document_uri(r.uri);
  if (!address) {
    ++out.skipped_resources;
    return;
  }
  ResourceNotice notice;
  notice.resource = std::move(*address);
  take_instance(notice, r);
  for (const auto& instance : r.instances) {
    const BodyPart* part = part_with_id(parts, instance.cid);
    if (part == nullptr) {
      continue;
    }
    auto doc = presence_from_body(part->content_type, part->body, notice.resource);
    if (doc) {
      notice.document = std::move(*doc);
      break;
    }
    ++out.unreadable_parts;
  }
  out.resources.push_back(std::move(notice));
}

}  // namespace

result<RlmiNotice> presence_from_rlmi(const std::optional<MediaType>& type, std::string_view body) {
  if (!type || !type->is(kMultipartRelatedType)) {
    return make_error_code(ConvertErrc::unsupported_media_type);
  }
  const auto boundary = type->param("boundary");
  if (!boundary || boundary->empty()) {
    return make_error_code(ConvertErrc::bad_multipart);
  }
  auto parts = parse_multipart(body, *boundary);
  if (!parts) {
    return make_error_code(ConvertErrc::bad_multipart);
  }
  const BodyPart* root = root_part(*parts, *type);
  if (root == nullptr) {
    return make_error_code(ConvertErrc::bad_multipart);
  }
  auto list = parse_rlmi(root->body);
  if (!list) {
    return make_error_code(ConvertErrc::bad_body);
  }
  RlmiNotice out{list->uri, list->version, list->full_state, {}, 0, 0};
  for (const auto& r : list->resources) {
    read_resource(r, *parts, out);
  }
  return out;
}

result<PresenceNotice> presence_from_notify_body(const std::optional<MediaType>& type,
                                                 std::string_view body,
                                                 const presence::Address& entity) {
  if (type && type->is(kMultipartRelatedType)) {
    auto list = presence_from_rlmi(type, body);
    if (!list) {
      return list.error();
    }
    return PresenceNotice{std::move(*list)};
  }
  auto doc = presence_from_body(type, body, entity);
  if (!doc) {
    return doc.error();
  }
  return PresenceNotice{std::move(*doc)};
}

}  // namespace fedgate::sip
