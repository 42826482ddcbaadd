// The compact serialized dialog (Dialog::serialize / restore / encode / decode): every field
// round-trips, the form is NUL-free text, and corrupt or foreign data is refused.
#include <gtest/gtest.h>

#include "sip/codec/serializer.hpp"
#include "sip/dialog/dialog.hpp"
#include "transcript.hpp"

namespace fedgate::sip {
namespace {

using test::branches;

Dialog uac_dialog() {
  return Dialog::from_uac(test::request("im_out_invite.sip", branches(1)),
                          test::response("im_out_invite_200.sip", branches(1)))
      .value();
}

Dialog uas_dialog() {
  return Dialog::from_uas(test::request("im_in_invite.sip"), "fg1", test::gateway().contact)
      .value();
}

void expect_same(const Dialog& a, const Dialog& b) {
  EXPECT_EQ(a.id(), b.id());
  EXPECT_EQ(a.state(), b.state());
  EXPECT_EQ(a.local(), b.local());
  EXPECT_EQ(a.remote(), b.remote());
  EXPECT_EQ(a.remote_target(), b.remote_target());
  EXPECT_EQ(a.route_set(), b.route_set());
  EXPECT_EQ(a.local_cseq(), b.local_cseq());
  EXPECT_EQ(a.remote_cseq(), b.remote_cseq());
}

TEST(DialogCodec, UacDialogRoundTripsWithRouteSetAndEpid) {
  const Dialog d = uac_dialog();
  const std::string data = d.serialize();
  EXPECT_TRUE(data.starts_with("D1\n"));
  EXPECT_EQ(data.find('\0'), std::string::npos);
  auto back = Dialog::restore(data);
  ASSERT_TRUE(back) << back.error().message();
  expect_same(*back, d);
  EXPECT_EQ(back->local().epid(), "01010101");
}

TEST(DialogCodec, RestoredDialogBuildsTheSameNextRequest) {
  Dialog d = uas_dialog();
  Dialog back = Dialog::restore(d.serialize()).value();
  const Via via = test::gateway().via;
  EXPECT_EQ(serialize(back.make_request(Method::message, via)),
            serialize(d.make_request(Method::message, via)));
  EXPECT_EQ(back.remote_cseq(), d.remote_cseq());
}

TEST(DialogCodec, SharedContactIsWrittenAsAMarker) {
  const Dialog d = uas_dialog();
  const NameAddr contact = test::gateway().contact;
  std::string shared;
  d.encode(shared, &contact);
  std::string full;
  d.encode(full);
  EXPECT_LT(shared.size(), full.size());
  std::string_view in = shared;
  Dialog back = Dialog::decode(in, &contact).value();
  EXPECT_TRUE(in.empty());
  const Request refresh = back.make_request(Method::invite, test::gateway().via);
  ASSERT_EQ(refresh.contact.size(), 1u);
  EXPECT_EQ(refresh.contact.front(), contact);
}

TEST(DialogCodec, CorruptAndForeignDataIsRefused) {
  const std::string good = uac_dialog().serialize();
  for (std::string bad : {std::string{}, std::string{"D2"} + good.substr(2), good.substr(0, 40),
                          good + "extra\n", std::string{"D1\n\n\n\n\n<sip:\n"}}) {
    auto back = Dialog::restore(bad);
    ASSERT_FALSE(back) << bad;
    EXPECT_EQ(back.error(), make_error_code(DialogErrc::corrupt_state));
  }
  std::string_view marker = "c\n\n\nc\n<sip:a@b.example>\n<sip:c@d.example>\n*\nsip:x@y\n0\n1\n\n";
  EXPECT_FALSE(Dialog::decode(marker));  // "*" without a shared contact
}

}  // namespace
}  // namespace fedgate::sip
