#include "tests/bench/load/stanzas.hpp"

#include <array>
#include <charconv>
#include <chrono>

#include "presence/model/address.hpp"
#include "sip/bridge/convert_presence_out.hpp"
#include "xmpp/codec/namespaces.hpp"

namespace fedgate::load {
namespace {

xmpp::Element leaf(std::string name, std::string_view text) {
  xmpp::Element e(std::move(name), std::string(xmpp::kNsServer));
  e.text = std::string(text);
  return e;
}

// Available, away, busy, be right back, inactive, do not disturb (never offline: that would
// end the presence the next change replaces).
constexpr std::array<int, 6> kLyncCycle = {3500, 15500, 6500, 12500, 4600, 9500};
constexpr std::array<std::string_view, 5> kShowCycle = {"", "away", "dnd", "xa", "chat"};

}  // namespace

xmpp::Element presence_stanza(const std::string& from, const std::string& to, std::string_view type,
                              std::string_view show, std::string_view status) {
  xmpp::Element p("presence", std::string(xmpp::kNsServer));
  p.set("from", from).set("to", to);
  if (!type.empty()) {
    p.set("type", type);
  }
  if (!show.empty()) {
    p.add_child(leaf("show", show));
  }
  if (!status.empty()) {
    p.add_child(leaf("status", status));
  }
  return p;
}

xmpp::Element chat_stanza(const std::string& from, const std::string& to, std::string_view body) {
  xmpp::Element m("message", std::string(xmpp::kNsServer));
  m.set("from", from).set("to", to).set("type", "chat");
  m.add_child(leaf("body", body));
  return m;
}

sip::Body text_body(std::string text) {
  return sip::Body{sip::MediaType::parse("text/plain;charset=UTF-8").value(), std::move(text)};
}

sip::Body msrtc_body(const std::string& entity, int availability, const std::string& note) {
  return msrtc_body(presence::Address::parse(entity).value(), availability, note);
}

sip::Body msrtc_body(const presence::Address& entity, int availability, const std::string& note) {
  sip::MsrtcStateForm form;
  form.availability = availability;
  form.note = note;
  form.publish_time = std::chrono::system_clock::now();
  return sip::msrtc_body_for(entity, form);
}

std::string_view bare(std::string_view jid) { return jid.substr(0, jid.find('/')); }

std::optional<std::size_t> user_index(std::string_view address, char prefix) {
  if (address.size() < 2 || address[0] != prefix) {
    return std::nullopt;
  }
  std::size_t index = 0;
  const char* first = address.data() + 1;
  const char* last = address.data() + address.size();
  auto [end, ec] = std::from_chars(first, last, index);
  if (ec != std::errc{} || end == first || end == last || *end != '@') {
    return std::nullopt;
  }
  return index;
}

int lync_availability_for(std::size_t k) { return kLyncCycle[k % kLyncCycle.size()]; }

std::string_view expected_show_for_lync(int availability) {
  return availability >= 3000 && availability < 4500 ? "" : "away";
}

std::string_view xmpp_show_for(std::size_t k) { return kShowCycle[k % kShowCycle.size()]; }

presence::Availability expected_availability_for_show(std::string_view show) {
  if (show == "away" || show == "xa") {
    return presence::Availability::away;
  }
  if (show == "dnd") {
    return presence::Availability::busy;
  }
  return presence::Availability::available;
}

}  // namespace fedgate::load

namespace fedgate::load {

bool lync_number_matches_show(std::string_view show, std::uint32_t number) {
  switch (expected_availability_for_show(show)) {
    case presence::Availability::away:
      return number >= 15000 && number < 18000;
    case presence::Availability::busy:
      return number >= 6000 && number < 9000;
    default:
      return number >= 3000 && number < 4500;
  }
}

}  // namespace fedgate::load
