// The compact text form of a Dialog (see Dialog::encode): what an idle subscription keeps in
// memory and what the switchboard persists, so a refresh after a restart continues the dialog.
#include <utility>
#include <vector>

#include "sip/dialog/dialog.hpp"
#include "sip/dialog/field_codec.hpp"

namespace fedgate::sip {
namespace {

constexpr std::string_view kVersion = "D1";

result<Dialog> corrupt() { return make_error_code(DialogErrc::corrupt_state); }

std::string tag_or_empty(const NameAddr& a) { return a.tag().value_or(std::string{}); }

// A dialog tag equal to the name-addr's own tag is written empty (it is always so).
void put_tag(std::string& out, const std::string& tag, const NameAddr& a) {
  fields::put(out, tag == tag_or_empty(a) ? std::string_view{} : std::string_view{tag});
}

std::optional<NameAddr> take_name_addr(std::string_view& in) {
  auto field = fields::take(in);
  if (!field) {
    return std::nullopt;
  }
  if (field->empty()) {
    return NameAddr{};
  }
  auto parsed = NameAddr::parse(*field);
  return parsed ? std::optional<NameAddr>{std::move(*parsed)} : std::nullopt;
}

// Every field of a dialog, read and checked before the Dialog is assembled.
struct Fields {
  std::string call_id;
  std::string local_tag;
  std::string remote_tag;
  bool early = false;
  NameAddr local;
  NameAddr remote;
  NameAddr local_contact;
  Uri remote_target;
  std::vector<NameAddr> route_set;
  std::uint32_t local_cseq = 0;
  std::optional<std::uint32_t> remote_cseq;
};

bool take_identity(std::string_view& in, Fields& f) {
  auto call_id = fields::take(in);
  auto local_tag = fields::take(in);
  auto remote_tag = fields::take(in);
  auto state = fields::take(in);
  auto local = take_name_addr(in);
  auto remote = take_name_addr(in);
  if (!call_id || !local_tag || !remote_tag || !state || !local || !remote) {
    return false;
  }
  f.call_id = *call_id;
  f.local_tag = *local_tag;
  f.remote_tag = *remote_tag;
  f.early = *state == "e";
  f.local = std::move(*local);
  f.remote = std::move(*remote);
  return true;
}

bool take_targets(std::string_view& in, const NameAddr* shared_contact, Fields& f) {
  auto contact = fields::take(in);
  auto target = fields::take(in);
  if (!contact || !target || (*contact == "*" && shared_contact == nullptr)) {
    return false;
  }
  if (*contact == "*") {
    f.local_contact = *shared_contact;
  } else if (!contact->empty()) {
    auto parsed = NameAddr::parse(*contact);
    if (!parsed) {
      return false;
    }
    f.local_contact = std::move(*parsed);
  }
  auto uri = Uri::parse(*target);
  if (!uri) {
    return false;
  }
  f.remote_target = std::move(*uri);
  return true;
}

bool take_routes_and_cseqs(std::string_view& in, Fields& f) {
  auto routes = fields::take_number<std::uint32_t>(in);
  if (!routes || *routes > 64) {
    return false;
  }
  for (std::uint32_t i = 0; i < *routes; ++i) {
    auto route = take_name_addr(in);
    if (!route || route->uri.scheme.empty()) {
      return false;
    }
    f.route_set.push_back(std::move(*route));
  }
  auto local_cseq = fields::take_number<std::uint32_t>(in);
  auto remote_cseq = fields::take(in);
  if (!local_cseq || !remote_cseq) {
    return false;
  }
  f.local_cseq = *local_cseq;
  if (!remote_cseq->empty()) {
    f.remote_cseq = fields::parse_number<std::uint32_t>(*remote_cseq);
    return f.remote_cseq.has_value();
  }
  return true;
}

std::optional<Fields> take_fields(std::string_view& in, const NameAddr* shared_contact) {
  Fields f;
  if (!take_identity(in, f) || !take_targets(in, shared_contact, f) ||
      !take_routes_and_cseqs(in, f)) {
    return std::nullopt;
  }
  return f;
}

}  // namespace

void Dialog::encode(std::string& out, const NameAddr* shared_contact) const {
  fields::put(out, id_.call_id);
  put_tag(out, id_.local_tag, local_);
  put_tag(out, id_.remote_tag, remote_);
  fields::put(out, state_ == DialogState::early ? "e" : "c");
  fields::put(out, local_.str());
  fields::put(out, remote_.str());
  const bool shared = shared_contact != nullptr && *shared_contact == local_contact_;
  fields::put(out, shared                              ? std::string{"*"}
                   : local_contact_.uri.scheme.empty() ? std::string{}
                                                       : local_contact_.str());
  fields::put(out, remote_target_.str());
  fields::put_number(out, static_cast<std::int64_t>(route_set_.size()));
  for (const auto& r : route_set_) {
    fields::put(out, r.str());
  }
  fields::put_number(out, local_cseq_);
  fields::put(out, remote_cseq_ ? std::to_string(*remote_cseq_) : std::string{});
}

result<Dialog> Dialog::decode(std::string_view& in, const NameAddr* shared_contact) {
  auto f = take_fields(in, shared_contact);
  if (!f) {
    return corrupt();
  }
  Dialog d;
  d.id_ = {std::move(f->call_id), f->local_tag.empty() ? tag_or_empty(f->local) : f->local_tag,
           f->remote_tag.empty() ? tag_or_empty(f->remote) : f->remote_tag};
  d.state_ = f->early ? DialogState::early : DialogState::confirmed;
  d.local_ = std::move(f->local);
  d.remote_ = std::move(f->remote);
  d.local_contact_ = std::move(f->local_contact);
  d.remote_target_ = std::move(f->remote_target);
  d.route_set_ = std::move(f->route_set);
  d.local_cseq_ = f->local_cseq;
  d.remote_cseq_ = f->remote_cseq;
  return d;
}

result<DialogId> Dialog::decode_id(std::string_view in) {
  Fields f;
  if (!take_identity(in, f)) {
    return make_error_code(DialogErrc::corrupt_state);
  }
  return DialogId{std::move(f.call_id),
                  f.local_tag.empty() ? tag_or_empty(f.local) : std::move(f.local_tag),
                  f.remote_tag.empty() ? tag_or_empty(f.remote) : std::move(f.remote_tag)};
}

std::string Dialog::serialize() const {
  std::string out;
  fields::put(out, kVersion);
  encode(out);
  return out;
}

result<Dialog> Dialog::restore(std::string_view data) {
  auto version = fields::take(data);
  if (!version || *version != kVersion) {
    return corrupt();
  }
  auto d = decode(data);
  if (!d || !data.empty()) {
    return corrupt();
  }
  return d;
}

}  // namespace fedgate::sip
