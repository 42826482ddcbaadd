// RFC 3261 §12 dialogs: creation as UAC and UAS, route sets, loose and strict routing, CSeq
// checks (500) and unknown dialogs (481), the Microsoft epid kept on From/To.
#include "sip/dialog/dialog.hpp"

#include <gtest/gtest.h>

#include "sip/codec/error_response.hpp"
#include "sip/codec/serializer.hpp"
#include "transcript.hpp"

namespace fedgate::sip {
namespace {

using test::branches;

NameAddr addr(std::string_view text) { return NameAddr::parse(text).value(); }

Dialog uac_dialog() {
  return Dialog::from_uac(test::request("im_out_invite.sip", branches(1)),
                          test::response("im_out_invite_200.sip", branches(1)))
      .value();
}

Dialog uas_dialog() {
  return Dialog::from_uas(test::request("im_in_invite.sip"), "fg1", test::gateway().contact)
      .value();
}

TEST(Dialog, UacRouteSetIsTheRecordRouteReversed) {
  auto d = uac_dialog();
  EXPECT_EQ(d.id(), (DialogId{"4a7e6c1d@fedgate.corp.example", "8f1c2a", "77ab21"}));
  EXPECT_EQ(d.state(), DialogState::confirmed);
  ASSERT_EQ(d.route_set().size(), 2u);
  EXPECT_EQ(d.route_set()[0].uri.host, "edge1.partner.example");
  EXPECT_EQ(d.route_set()[1].uri.host, "edge2.partner.example");
  EXPECT_EQ(d.remote_target().str(), "sip:bob@192.0.2.10:5061;transport=tls");
  EXPECT_EQ(d.local().epid(), "01010101");
  EXPECT_EQ(d.remote().epid(), "0202bb");
  EXPECT_EQ(d.local_cseq(), 1u);
  EXPECT_FALSE(d.remote_cseq());
}

TEST(Dialog, UasRequestKeepsEpidAndUsesLooseRoute) {
  auto d = uas_dialog();
  EXPECT_EQ(d.id(), (DialogId{"9c9d7e@partner.example", "fg1", "5511aa"}));
  EXPECT_EQ(d.remote_cseq(), 1u);
  Via via = test::gateway().via;
  set_param(via.params, "branch", std::string("z9hG4bKbye1"));
  EXPECT_EQ(serialize(d.make_request(Method::bye, via)),
            "BYE sip:bob@192.0.2.10:5061;transport=tls SIP/2.0\r\n"
            "Via: SIP/2.0/TLS fedgate.corp.example:5061;branch=z9hG4bKbye1\r\n"
            "From: <sip:alice@corp.example>;tag=fg1\r\n"
            "To: \"Bob\" <sip:bob@partner.example>;tag=5511aa;epid=0202bb\r\n"
            "Call-ID: 9c9d7e@partner.example\r\n"
            "CSeq: 1 BYE\r\n"
            "Route: <sip:edge1.partner.example:5061;transport=tls;lr>\r\n"
            "Max-Forwards: 70\r\n"
            "Content-Length: 0\r\n\r\n");
}

TEST(Dialog, StrictRouteGoesIntoTheRequestUri) {
  auto ok = test::response("im_out_invite_200.sip", branches(1));
  ok.record_route = {addr("<sip:edge9.partner.example;transport=tls>"),
                     addr("<sip:strict.partner.example;maddr=192.0.2.99>")};
  auto d = Dialog::from_uac(test::request("im_out_invite.sip", branches(1)), ok).value();
  auto bye = d.make_request(Method::bye, test::gateway().via);
  EXPECT_EQ(bye.request_uri.str(), "sip:strict.partner.example;maddr=192.0.2.99");
  ASSERT_EQ(bye.route.size(), 2u);
  EXPECT_EQ(bye.route[0].str(), "<sip:edge9.partner.example;transport=tls>");
  EXPECT_EQ(bye.route[1].str(), "<sip:bob@192.0.2.10:5061;transport=tls>");
  EXPECT_EQ(bye.cseq.sequence, 2u);
}

TEST(Dialog, EarlyDialogIsConfirmedByTheTwoHundred) {
  auto invite = test::request("im_out_invite.sip", branches(1));
  auto ok = test::response("im_out_invite_200.sip", branches(1));
  auto ringing = ok;
  ringing.status = 180;
  ringing.record_route = {addr("<sip:early.partner.example;lr>")};
  ringing.contact = {addr("<sip:bob@198.51.100.1>")};
  auto d = Dialog::from_uac(invite, ringing).value();
  EXPECT_EQ(d.state(), DialogState::early);
  EXPECT_EQ(d.route_set().front().uri.host, "early.partner.example");
  ASSERT_TRUE(d.on_confirming_response(ok));
  EXPECT_EQ(d.state(), DialogState::confirmed);
  EXPECT_EQ(d.route_set().front().uri.host, "edge1.partner.example");
  EXPECT_EQ(d.remote_target().host, "192.0.2.10");
}

TEST(Dialog, OnlyTaggedProvisionalAndTwoHundredsCreateDialogs) {
  auto invite = test::request("im_out_invite.sip", branches(1));
  auto ok = test::response("im_out_invite_200.sip", branches(1));
  for (int status : {100, 486}) {
    auto r = ok;
    r.status = status;
    EXPECT_EQ(Dialog::from_uac(invite, r).error(), DialogErrc::not_dialog_creating) << status;
  }
  auto untagged = ok;
  untagged.to.params.clear();
  EXPECT_EQ(Dialog::from_uac(invite, untagged).error(), DialogErrc::not_dialog_creating);
  auto no_contact = ok;
  no_contact.contact.clear();
  EXPECT_EQ(Dialog::from_uac(invite, no_contact).error(), DialogErrc::missing_contact);
}

TEST(Dialog, LowerCSeqIs500AndForeignTagIs481) {
  auto d = uas_dialog();
  auto msg = test::request("im_in_message.sip");
  ASSERT_TRUE(d.on_request(msg));
  EXPECT_EQ(d.remote_cseq(), 2u);
  msg.cseq.sequence = 1;
  EXPECT_EQ(d.on_request(msg).error(), DialogErrc::cseq_out_of_order);
  EXPECT_EQ(status_for(DialogErrc::cseq_out_of_order), 500);
  msg.cseq.sequence = 3;
  set_param(msg.to.params, "tag", std::string("someone-else"));
  EXPECT_EQ(d.on_request(msg).error(), DialogErrc::unknown_dialog);
  EXPECT_EQ(status_for(DialogErrc::unknown_dialog), 481);
  EXPECT_EQ(incoming_dialog_id(msg),
            (DialogId{"9c9d7e@partner.example", "someone-else", "5511aa"}));
}

TEST(Dialog, TargetRefreshUpdatesTheRemoteTarget) {
  auto d = uas_dialog();
  auto reinvite = test::request("im_in_message.sip");
  reinvite.method = Method::invite;
  reinvite.cseq = CSeq{5, Method::invite, {}};
  reinvite.contact = {addr("<sip:bob@192.0.2.77:5061;transport=tls>")};
  ASSERT_TRUE(d.on_request(reinvite));
  EXPECT_EQ(d.remote_target().host, "192.0.2.77");
  auto msg = test::request("im_in_message.sip");
  msg.cseq.sequence = 6;
  msg.contact = {addr("<sip:elsewhere.example>")};
  ASSERT_TRUE(d.on_request(msg));  // MESSAGE is not a target refresh request
  EXPECT_EQ(d.remote_target().host, "192.0.2.77");
}

TEST(Dialog, ResponsesCarryTheLocalTagAndContactOnlyOnTargetRefresh2xx) {
  auto d = uas_dialog();
  auto msg = test::request("im_in_message.sip");
  msg.to.params.clear();
  auto error = d.make_response(msg, 486, "Busy Here");
  EXPECT_EQ(error.to.tag(), "fg1");
  EXPECT_TRUE(error.contact.empty());
  EXPECT_EQ(response_dialog_id(error), (DialogId{"9c9d7e@partner.example", "5511aa", "fg1"}));
  EXPECT_TRUE(d.make_response(msg, 200, "OK").contact.empty());
  msg.method = Method::invite;
  EXPECT_EQ(d.make_response(msg, 200, "OK").contact, (std::vector{test::gateway().contact}));
}

TEST(DialogErrc, IsAnErrorCodeWithAStatus) {
  boost::system::error_code ec = DialogErrc::unknown_dialog;
  EXPECT_STREQ(ec.category().name(), "sip.dialog");
  EXPECT_EQ(ec.message(), "no dialog matches the request");
  EXPECT_EQ(reason_for(DialogErrc::unknown_dialog), "Call/Transaction Does Not Exist");
  EXPECT_EQ(reason_for(DialogErrc::cseq_out_of_order), "CSeq Out of Order");
}

}  // namespace
}  // namespace fedgate::sip
