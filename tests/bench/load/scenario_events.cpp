// Scenario, what arrives: stanzas fedgate delivers to the home, requests it sends to the
// partner. Tagged arrivals go to the running phase's Probe with the check of their addresses
// and state mapping; untagged ones complete setup steps; anything else is an anomaly.
#include <charconv>

#include "gateway/base/log.hpp"
#include "sip/bridge/convert_presence_in.hpp"
#include "tests/bench/load/scenario.hpp"
#include "tests/bench/load/stanzas.hpp"

// GCC 12 (-O1, ASan): Asio coroutine frame new/delete false positive (see sip_net).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace fedgate::load {

namespace asio = boost::asio;

namespace {

std::string child_text(const xmpp::Element& e, std::string_view name) {
  const auto* c = e.child(name);
  return c != nullptr ? c->text_content() : std::string{};
}

sip::Answer accepted() { return sip::Answer{}; }

}  // namespace

void Scenario::anomaly(const std::string& name) {
  for (auto& [n, count] : anomalies_) {
    if (n == name) {
      ++count;
      return;
    }
  }
  anomalies_.emplace_back(name, 1);
}

asio::awaitable<void> Scenario::on_stanza(xmpp::Element stanza) {
  take_now(stanza);
  co_return;
}

bool Scenario::take_now(xmpp::Element& stanza) {
  if (stanza.name == "presence") {
    home_presence(stanza);
  } else if (stanza.name == "message") {
    home_message(stanza);
  } else {
    anomaly("home_got_" + stanza.name);
  }
  return true;
}

// "<prefix><j>@<domain of prefix>" without building the string (called per arrival).
bool Scenario::is_user(std::string_view address, char prefix, std::size_t j) const {
  auto index = user_index(address, prefix);
  if (!index || *index != j || (address[1] == '0' && address[2] != '@')) {
    return false;  // not j, or j spelled with a leading zero
  }
  const std::string& domain = prefix == 'h' ? plan_.home_domain : plan_.partner_domain;
  const auto at = address.find('@');
  return address.substr(at + 1) == domain;
}

// The same for a SIP URI: user "<prefix><j>" at the prefix's domain.
bool Scenario::is_user(const sip::Uri& uri, char prefix, std::size_t j) const {
  const std::string& domain = prefix == 'h' ? plan_.home_domain : plan_.partner_domain;
  const std::string& user = uri.user;
  if (user.size() < 2 || user[0] != prefix || uri.host != domain ||
      (user[1] == '0' && user.size() > 2)) {
    return false;
  }
  std::size_t index = 0;
  auto [end, ec] = std::from_chars(user.data() + 1, user.data() + user.size(), index);
  return ec == std::errc{} && end == user.data() + user.size() && index == j;
}

void Scenario::home_presence(const xmpp::Element& s) {
  const std::string_view type = s.attr("type");
  const std::string_view from = bare(s.attr("from")), to = bare(s.attr("to"));
  if (type == "subscribe" || type == "probe") {  // the home user approves / answers at once
    const std::string user(to), watcher(from);
    if (type == "subscribe") {
      home_->send(presence_stanza(user, watcher, "subscribed"));
    }
    home_->send(presence_stanza(user + "/load", watcher, "", "", "home here"));
    return;
  }
  if (type == "subscribed") {
    return;
  }
  if (!type.empty() && type != "unavailable") {
    anomaly("home_presence_" + std::string(type));
    return;
  }
  char phase = 0;
  std::size_t seq = 0;
  if (Probe::parse_tag(child_text(s, "status"), phase, seq)) {
    const std::size_t j = seq % plan_.users;
    const int sent = lync_availability_for(seq / plan_.users);
    const bool ok = type.empty() && is_user(from, 'p', j) && is_user(to, 'h', j) &&
                    child_text(s, "show") == expected_show_for_lync(sent);
    on_arrival(phase, seq, ok);
    return;
  }
  auto j = user_index(from, 'p');
  if (j && *j < plan_.users && is_user(to, 'h', *j) && !notifier_[*j].call_id.empty()) {
    home_sees_partner_[*j] = 1;
  }
}

void Scenario::home_message(const xmpp::Element& s) {
  if (s.attr("type") == "error") {
    anomaly("home_message_error");
    return;
  }
  const std::string_view from = bare(s.attr("from")), to = bare(s.attr("to"));
  char phase = 0;
  std::size_t seq = 0;
  if (Probe::parse_tag(child_text(s, "body"), phase, seq)) {
    const std::size_t j = seq % plan_.users;
    on_arrival(phase, seq, is_user(from, 'p', j) && is_user(to, 'h', j));
    return;
  }
  auto j = user_index(from, 'p');
  if (j && *j < plan_.users && is_user(to, 'h', *j)) {
    home_got_im_[*j] = 1;
  }
}

// The agent names a session message by the session's parties, in the order of the INVITE
// that opened it (ours from pJ, or fedgate's from hJ): either order is the right pair.
void Scenario::partner_text(const presence::Address& from, const presence::Address& to,
                            const std::string& text) {
  auto is_pair = [this, &from, &to](std::size_t j) {
    return (is_user(from.bare(), 'h', j) && is_user(to.bare(), 'p', j)) ||
           (is_user(from.bare(), 'p', j) && is_user(to.bare(), 'h', j));
  };
  char phase = 0;
  std::size_t seq = 0;
  if (Probe::parse_tag(text, phase, seq)) {
    on_arrival(phase, seq, is_pair(seq % plan_.users));
    return;
  }
  auto j = user_index(from.domain() == plan_.partner_domain ? from.str() : to.str(), 'p');
  if (j && *j < plan_.users && is_pair(*j)) {
    partner_got_im_[*j] = 1;
  }
}

asio::awaitable<sip::Answer> Scenario::on_page_message(sip::PageMessageEvent e) {
  anomaly("page_mode_message");  // a Microsoft partner gets session mode
  partner_text(e.parties.from, e.parties.to, e.request.body);
  co_return accepted();
}

asio::awaitable<sip::Answer> Scenario::on_subscribe(sip::SubscribeEvent e) {
  auto j = user_index(e.parties.to.str(), 'p');
  sip::Answer a;
  if (!j || *j >= plan_.users || e.parties.from.str() != home_user(*j)) {
    anomaly("subscribe_unknown_pair");
    a.status = 404;
    a.reason = "Not Found";
    co_return a;
  }
  notifier_[*j] = e.dialog;
  partner_->lean().add_notifier(*j, e.request, e.dialog);
  a.body = msrtc_body(partner_user(*j), 3500, "partner here");
  co_return a;
}

asio::awaitable<sip::Answer> Scenario::on_publish(sip::PublishEvent) {
  anomaly("publish");
  co_return accepted();
}

asio::awaitable<sip::Answer> Scenario::on_invite(sip::InviteEvent e) {
  if (e.first_message) {
    partner_text(e.parties.from, e.parties.to, e.first_message->bytes);
  }
  co_return accepted();
}

void Scenario::on_notify(sip::NotifyEvent e) {
  if (e.notification.state == sip::SubState::terminated) {
    anomaly("notify_terminated");
    return;
  }
  const auto& body = e.notification.body;
  if (body.bytes.empty()) {
    return;  // pending, or state only
  }
  auto doc = sip::presence_from_body(body.type, body.bytes, e.parties.from);
  if (!doc) {
    anomaly("notify_body_unreadable");
    return;
  }
  const std::string_view presentity = e.parties.from.bare();
  char phase = 0;
  std::size_t seq = 0;
  if (Probe::parse_tag(doc->presence.status_text, phase, seq)) {
    const std::size_t j = seq % plan_.users;
    auto expected = expected_availability_for_show(xmpp_show_for(seq / plan_.users));
    const bool ok = is_user(presentity, 'h', j) &&
                    (e.parties.to.empty() || is_user(e.parties.to.bare(), 'p', j)) &&
                    doc->presence.availability == expected;
    on_arrival(phase, seq, ok);
    return;
  }
  auto j = user_index(presentity, 'h');
  if (j && *j < plan_.users && e.notification.state == sip::SubState::active) {
    partner_sees_home_[*j] = 1;
  }
}

// A NOTIFY in our subscription to h_j (LeanSip answered it): the document decoded, its state
// checked against the <show> the home sent; From/To and the document's entity must be the pair.
void Scenario::lean_notify(std::size_t j, const sip::Request& notify) {
  if (notify.body.empty()) {
    return;  // state only
  }
  std::string text;
  bool state_ok = false;
  if (!read_notify_body(j, notify, text, state_ok)) {
    anomaly("notify_body_unreadable");
    return;
  }
  char phase = 0;
  std::size_t seq = 0;
  if (Probe::parse_tag(text, phase, seq)) {
    const bool ok = seq % plan_.users == j && is_user(notify.from.uri, 'h', j) &&
                    is_user(notify.to.uri, 'p', j) && state_ok;
    on_arrival(phase, seq, ok);
  }
}

// msrtc (what a Microsoft partner gets) through the generator's own MsrtcReader: every state
// availability in the range the show maps to, the document's uri sip:h_j@home; anything else
// (PIDF) through fedgate's presence_from_body. The expected show follows from the tag's seq.
bool Scenario::read_notify_body(std::size_t j, const sip::Request& notify, std::string& tag_text,
                                bool& state_ok) {
  char phase = 0;
  std::size_t seq = 0;
  if (notify.content_type && notify.content_type->is(sip::kMsrtcCategoriesType)) {
    reading_.uri.clear();
    reading_.availabilities.clear();
    reading_.note.clear();
    if (!msrtc_.read(notify.body, reading_)) {
      return false;
    }
    tag_text = reading_.note;
    const std::string_view uri = reading_.uri;
    state_ok = Probe::parse_tag(tag_text, phase, seq) && !reading_.availabilities.empty() &&
               uri.starts_with("sip:") && is_user(uri.substr(4), 'h', j);
    for (auto number : reading_.availabilities) {
      state_ok = state_ok && lync_number_matches_show(xmpp_show_for(seq / plan_.users), number);
    }
    return true;
  }
  auto doc = sip::presence_from_body(notify.content_type, notify.body, home_address_[j]);
  if (!doc) {
    return false;
  }
  tag_text = doc->presence.status_text;
  state_ok = Probe::parse_tag(tag_text, phase, seq) &&
             doc->presence.availability ==
                 expected_availability_for_show(xmpp_show_for(seq / plan_.users));
  return true;
}

// A MESSAGE in our session with h_j (LeanSip answered it): fedgate's side is h_j, ours p_j.
void Scenario::lean_message(std::size_t j, const sip::Request& message) {
  char phase = 0;
  std::size_t seq = 0;
  if (Probe::parse_tag(message.body, phase, seq)) {
    const bool ok = seq % plan_.users == j && is_user(message.from.uri, 'h', j) &&
                    is_user(message.to.uri, 'p', j);
    on_arrival(phase, seq, ok);
  } else {
    anomaly("session_message_untagged");
  }
}

void Scenario::on_subscription_ended(sip::SubscriptionEndedEvent e) {
  anomaly("subscription_ended_" + e.end.reason);
}

void Scenario::on_watcher_gone(sip::WatcherGoneEvent e) { anomaly("watcher_gone_" + e.reason); }

void Scenario::on_session_message(sip::SessionMessageEvent e) {
  partner_text(e.parties.from, e.parties.to, e.body.bytes);
}

void Scenario::on_session_ended(sip::SessionEndedEvent) { anomaly("session_ended"); }

}  // namespace fedgate::load
