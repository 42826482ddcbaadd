// Reading msrtc-event-categories documents (MS-PRES §2.2.2.x) in one streaming pass over the
// reused expat parser: no element tree. It reads exactly what the tree reader did: per
// category the first state / note / contactCard child in its namespace, and in those the
// first child of each name the converter uses (availability, activity, device, body,
// identity/name/displayName, email, title, company), with their direct text.
#include <array>
#include <charconv>
#include <initializer_list>

#include "sip/codec/msrtc_categories.hpp"
#include "sip/codec/parse_error.hpp"
#include "sip/codec/xml_sax.hpp"

namespace fedgate::sip {
namespace {

enum class Role : std::uint8_t {
  ignore, root, category, state, availability, activity, device, note, note_body,
  card, identity, identity_name, display_name, email, title, company
};

std::string str(std::optional<std::string_view> v) { return std::string(v.value_or("")); }

// One flag per role: the first child of that name wins (XmlElement::child semantics).
struct Seen {
  std::uint32_t bits = 0;
  bool first(Role r) {
    std::uint32_t bit = 1u << static_cast<unsigned>(r);
    bool fresh = (bits & bit) == 0;
    bits |= bit;
    return fresh;
  }
};

class MsrtcReader final : public detail::XmlSaxHandler {
 public:
  MsrtcCategories doc;
  bool root_ok = false;
  bool bad_state = false;

  void start(std::string_view ns, std::string_view local, const char** attrs) override {
    Role parent = depth_ == 0 ? Role::ignore : role_at(depth_ - 1);
    Role r = depth_ == 0 ? enter_root(ns, local, attrs) : enter(parent, ns, local, attrs);
    if (depth_ < roles_.size()) {
      roles_[depth_] = r;
    }
    ++depth_;
  }

  void end() override {
    --depth_;
    if (role_at(depth_) == Role::availability) {
      finish_availability();
    }
  }

  void text(std::string_view piece) override {
    if (std::string* target = text_target(role_at(depth_ - 1))) {
      target->append(piece);
    }
  }

 private:
  Role role_at(std::size_t depth) const {
    return depth < roles_.size() ? roles_[depth] : Role::ignore;
  }
  MsrtcCategory& cat() { return doc.categories.back(); }

  Role enter_root(std::string_view ns, std::string_view local, const char** attrs) {
    root_ok = local == "categories" && ns == kMsrtcCategoriesNs;
    doc.uri = str(detail::xml_attribute(attrs, "uri"));
    return Role::root;
  }

  Role enter(Role parent, std::string_view ns, std::string_view local, const char** attrs) {
    switch (parent) {
      case Role::root: return enter_category(ns, local, attrs);
      case Role::category: return enter_category_child(ns, local, attrs);
      case Role::state: return enter_state_child(local, attrs);
      case Role::note: return enter_note_child(local, attrs);
      case Role::card: return enter_first(local, {{"identity", Role::identity},
                                                  {"title", Role::title},
                                                  {"company", Role::company}});
      case Role::identity: return enter_first(local, {{"name", Role::identity_name},
                                                      {"email", Role::email}});
      case Role::identity_name: return enter_first(local, {{"displayName", Role::display_name}});
      default: return Role::ignore;
    }
  }

  Role enter_category(std::string_view ns, std::string_view local, const char** attrs) {
    if (!root_ok || local != "category" || ns != kMsrtcCategoriesNs) {
      return Role::ignore;
    }
    MsrtcCategory& c = doc.categories.emplace_back();
    c.name = str(detail::xml_attribute(attrs, "name"));
    c.instance = str(detail::xml_attribute(attrs, "instance"));
    c.container = str(detail::xml_attribute(attrs, "container"));
    c.publish_time = str(detail::xml_attribute(attrs, "publishTime"));
    seen_ = Seen{};
    return Role::category;
  }

  Role enter_category_child(std::string_view ns, std::string_view local, const char** attrs) {
    if (ns == kMsrtcStateNs && local == "state" && seen_.first(Role::state)) {
      MsrtcState& s = cat().state.emplace();
      s.type = str(detail::xml_attribute(attrs, "type"));
      s.manual = detail::xml_attribute(attrs, "manual") == "true";
      return Role::state;
    }
    if (ns == kMsrtcNoteNs && local == "note" && seen_.first(Role::note)) {
      cat().note.emplace();
      return Role::note;
    }
    if (ns == kMsrtcContactCardNs && local == "contactCard" && seen_.first(Role::card)) {
      cat().contact_card.emplace();
      return Role::card;
    }
    return Role::ignore;
  }

  Role enter_state_child(std::string_view local, const char** attrs) {
    if (local == "availability" && seen_.first(Role::availability)) {
      availability_.clear();
      return Role::availability;
    }
    if (local == "activity" && seen_.first(Role::activity)) {
      cat().state->activity_token = str(detail::xml_attribute(attrs, "token"));
      return Role::activity;
    }
    if (local == "device" && seen_.first(Role::device)) {
      return Role::device;
    }
    return Role::ignore;
  }

  Role enter_note_child(std::string_view local, const char** attrs) {
    if (local != "body" || !seen_.first(Role::note_body)) {
      return Role::ignore;
    }
    cat().note->type = str(detail::xml_attribute(attrs, "type"));  // "" when absent, as before
    return Role::note_body;
  }

  struct Choice {
    std::string_view local;
    Role role;
  };
  Role enter_first(std::string_view local, std::initializer_list<Choice> choices) {
    for (const auto& c : choices) {
      if (c.local == local) {
        return seen_.first(c.role) ? c.role : Role::ignore;
      }
    }
    return Role::ignore;
  }

  std::string* text_target(Role r) {
    switch (r) {
      case Role::availability: return &availability_;
      case Role::device: return &cat().state->device;
      case Role::note_body: return &cat().note->text;
      case Role::display_name: return &cat().contact_card->display_name;
      case Role::email: return &cat().contact_card->email;
      case Role::title: return &cat().contact_card->title;
      case Role::company: return &cat().contact_card->company;
      default: return nullptr;
    }
  }

  void finish_availability() {
    std::uint32_t n = 0;
    const char* last = availability_.data() + availability_.size();
    auto [p, ec] = std::from_chars(availability_.data(), last, n);
    if (ec != std::errc{} || p != last) {
      bad_state = true;
      return;
    }
    cat().state->availability = n;
  }

  std::array<Role, 8> roles_{};
  std::size_t depth_ = 0;
  Seen seen_;
  std::string availability_;
};

}  // namespace

result<MsrtcCategories> parse_msrtc_categories(std::string_view xml, const XmlLimits& limits) {
  MsrtcReader reader;
  if (ParseErrc e = detail::run_xml_sax(xml, limits, reader); e != ParseErrc{}) {
    return make_error_code(e);
  }
  if (!reader.root_ok || reader.bad_state) {
    return make_error_code(ParseErrc::bad_body);
  }
  return std::move(reader.doc);
}

}  // namespace fedgate::sip
