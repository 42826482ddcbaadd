// Wire forms the load generator sends and the checks of what arrives: XMPP presence and chat
// stanzas (RFC 6121 §4, §5), SIP text and Microsoft presence bodies (MS-PRES §2.2.2), the
// state mappings of DESIGN.md ("Mappings the product must get exactly right"). Pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "presence/model/address.hpp"
#include "presence/model/availability.hpp"
#include "sip/dialog/usage.hpp"
#include "xmpp/codec/element.hpp"

namespace fedgate::load {

// <presence type=TYPE from to/> (TYPE empty: available), with <show> and <status> when given.
xmpp::Element presence_stanza(const std::string& from, const std::string& to, std::string_view type,
                              std::string_view show = {}, std::string_view status = {});
xmpp::Element chat_stanza(const std::string& from, const std::string& to, std::string_view body);

sip::Body text_body(std::string text);
// An msrtc-event-categories document (state + note) published now.
sip::Body msrtc_body(const std::string& entity, int availability, const std::string& note);
sip::Body msrtc_body(const presence::Address& entity, int availability, const std::string& note);

// "h12@home.test/res" -> "h12@home.test"
std::string_view bare(std::string_view jid);
// The pair index of "<prefix><index>@domain", or nullopt.
std::optional<std::size_t> user_index(std::string_view address, char prefix);

// Phase a: the Lync number sent for the k-th change, and the XMPP <show> it must arrive as.
int lync_availability_for(std::size_t k);
std::string_view expected_show_for_lync(int availability);
// Phase b: the <show> sent for the k-th change, and the availability it must arrive as.
std::string_view xmpp_show_for(std::size_t k);
presence::Availability expected_availability_for_show(std::string_view show);
// The same as a Lync availability number: in the range of DESIGN.md's XMPP -> Lync table
// (Available 3000-4499, Away 15000-17999, Busy 6000-8999).
bool lync_number_matches_show(std::string_view show, std::uint32_t number);

}  // namespace fedgate::load
