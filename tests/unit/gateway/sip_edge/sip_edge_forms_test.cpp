// SIP edge forms: what the edge stores in sip_dialog, the routes and keep-alive peers it derives
// from the policy rows, the bodies and answers it builds.
#include "gateway/app/sip_edge_forms.hpp"

#include <gtest/gtest.h>

#include "sip/bridge/static_routes.hpp"

namespace fedgate::gateway {
namespace {

presence::Address addr(std::string_view text) { return presence::Address::parse(text).value(); }

presence::PolicyRows rows_with_sip_home() {
  presence::PolicyRows rows;
  rows.local_domains.push_back({"home.test", presence::Protocol::sip, "127.0.0.30", 0,
                                presence::RouteProtocol::tls});
  rows.local_domains.push_back({"xmpp.test", presence::Protocol::xmpp, "127.0.0.10", 5269,
                                presence::RouteProtocol::tls});
  rows.sip_federated_domains.push_back({"partner.test", presence::SipIntegration::s4b, ""});
  rows.sip_federated_domains.push_back({"plain.test", presence::SipIntegration::standard_sip, ""});
  return rows;
}

TEST(SipEdgeForms, DialogReferenceRoundTrips) {
  sip::DialogId id{"abc@fedgate.test", "t1", "t2"};
  auto text = encode_dialog_ref(id);
  EXPECT_EQ(text, "E1\nabc@fedgate.test\nt1\nt2");
  auto back = decode_dialog_ref(text);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, id);
}

TEST(SipEdgeForms, DialogReferenceRefusesOtherForms) {
  EXPECT_FALSE(decode_dialog_ref(""));
  EXPECT_FALSE(decode_dialog_ref(kPageModeSession));
  EXPECT_FALSE(decode_dialog_ref("S1\nabc\nt1\nt2"));  // a serialized Subscriber
  EXPECT_FALSE(decode_dialog_ref("E1\n\nt1\nt2"));      // no Call-ID
  EXPECT_FALSE(decode_dialog_ref("E1\nabc\nt1\nt2\nextra"));
  EXPECT_TRUE(decode_dialog_ref("E1\nabc\nt1\n"));  // remote tag not known yet
}

TEST(SipEdgeForms, SipHomesBecomeStaticRoutes) {
  auto rows = rows_with_sip_home();
  rows.static_routes.push_back({7, ".test.other", "gw.other.test", 5061});
  auto routes = routes_with_homes(rows);
  ASSERT_EQ(routes.size(), 2u);  // the admin's route and the SIP home; not the XMPP home
  EXPECT_EQ(routes[0].id, 7);
  EXPECT_EQ(routes[1].pattern, ".test.home");
  EXPECT_EQ(routes[1].next_hop, "127.0.0.30");
  EXPECT_EQ(routes[1].port, 5061);
  sip::StaticRoutes table(routes);
  auto hops = table.lookup("alice", "home.test", gateway::default_srv_random());
  auto* list = std::get_if<std::vector<sip::NextHop>>(&hops);
  ASSERT_NE(list, nullptr);
  EXPECT_EQ(list->front().host, "127.0.0.30");
}

TEST(SipEdgeForms, TheBlockedDefaultRouteIsNoRoute) {
  auto rows = rows_with_sip_home();
  presence::StaticRouteRow open_federation{1, ".*", "", 0};
  open_federation.blocked = true;
  rows.static_routes.push_back(open_federation);
  auto routes = routes_with_homes(rows);
  ASSERT_EQ(routes.size(), 1u);  // the SIP home only
  sip::StaticRoutes table(routes);
  auto hops = table.lookup("bob", "partner.test", gateway::default_srv_random());
  EXPECT_TRUE(std::holds_alternative<sip::NoStaticRoute>(hops));  // DNS decides
  presence::StaticRouteRow upstream{2, ".*", "proxy.example", 5061};
  rows.static_routes = {upstream};
  EXPECT_EQ(routes_with_homes(rows).front().next_hop, "proxy.example");
}

TEST(SipEdgeForms, KeepAlivePeersAreHomesThenPartners) {
  auto peers = keepalive_peers(rows_with_sip_home());
  ASSERT_EQ(peers.size(), 3u);
  EXPECT_EQ(peers[0].host, "127.0.0.30");
  EXPECT_EQ(peers[0].port, 5061);
  EXPECT_EQ(peers[0].domain, "home.test");
  EXPECT_EQ(peers[1].host, "partner.test");
  EXPECT_EQ(peers[1].port, 0);  // located by DNS
}

TEST(SipEdgeForms, MicrosoftPeersGetTheMicrosoftSubscribe) {
  presence::PolicySnapshot policy(rows_with_sip_home());
  EXPECT_TRUE(microsoft_peer("partner.test", policy));
  EXPECT_FALSE(microsoft_peer("plain.test", policy));
  EXPECT_TRUE(microsoft_peer("home.test", policy));  // a SIP home may be a Lync pool (Case 2)
  EXPECT_EQ(subscribe_accept(true).front(), "application/msrtc-event-categories+xml");
  EXPECT_EQ(subscribe_accept(false), std::vector<std::string>{"application/pidf+xml"});
  EXPECT_TRUE(subscribe_supported(false).empty());
}

TEST(SipEdgeForms, AcceptHeaderChoosesTheBody) {
  sip::Request subscribe;
  subscribe.other.push_back({"Accept", "application/pidf+xml, application/msrtc-event-categories+xml"});
  EXPECT_TRUE(accepts_msrtc(subscribe));
  subscribe.other.back().value = "application/pidf+xml";
  EXPECT_FALSE(accepts_msrtc(subscribe));
}

TEST(SipEdgeForms, PresenceBodyFollowsTheWatcher) {
  presence::PolicySnapshot policy(rows_with_sip_home());
  presence::Presence p;
  p.entity = addr("alice@home.test");
  p.availability = presence::Availability::away;
  p.status_text = "Out to lunch";
  auto msrtc = presence_body_for(p, policy, true);
  EXPECT_TRUE(msrtc.type.is("application/msrtc-event-categories+xml"));
  EXPECT_NE(msrtc.bytes.find("Out to lunch"), std::string::npos);
  auto pidf = presence_body_for(p, policy, false);
  EXPECT_TRUE(pidf.type.is("application/pidf+xml"));
  EXPECT_NE(pidf.bytes.find("Out to lunch"), std::string::npos);
}

TEST(SipEdgeForms, EndReasonsFollowRfc6665) {
  EXPECT_EQ(end_reason({403, "", std::nullopt}), "rejected");
  EXPECT_EQ(end_reason({404, "", std::nullopt}), "noresource");
  EXPECT_EQ(end_reason({408, "", std::nullopt}), "timeout");
  EXPECT_EQ(end_reason({0, "deactivated", std::chrono::seconds(0)}), "timeout");  // retry
  EXPECT_EQ(end_reason({0, "noresource", std::nullopt}), "noresource");
  EXPECT_EQ(end_reason({500, "", std::nullopt}), "giveup");
}

TEST(SipEdgeForms, RefusalsUseTheRfc7247Table) {
  auto forbidden = refusal_for(presence::ErrorCondition::forbidden);
  EXPECT_EQ(forbidden.status, 403);
  EXPECT_EQ(forbidden.reason, "Forbidden");
  EXPECT_EQ(refusal_for(presence::ErrorCondition::item_not_found).status, 404);
  EXPECT_EQ(sip_answer(408).reason_phrase, "Request Timeout");
}

TEST(SipEdgeForms, BounceTextNamesRecipientAndCondition) {
  auto text = bounce_text(addr("bob@partner.test/desk"),
                          {presence::ErrorCondition::remote_server_not_found, "no route"});
  EXPECT_EQ(text,
            "Your message to bob@partner.test could not be delivered (remote-server-not-found): "
            "no route");
}

}  // namespace
}  // namespace fedgate::gateway
