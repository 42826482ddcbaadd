// RFC 3261 §17.1.3 / §17.2.3 matching keys and the branch generator (§8.1.1.7).
#include "sip/txn/tx_key.hpp"

#include <set>

#include <gtest/gtest.h>

#include "fake_clock.hpp"
#include "sip/txn/branch.hpp"
#include "sip/txn/tx_error.hpp"

namespace fedgate::sip {
namespace {

using test::make_request;
using test::make_response;

TEST(TxKey, ResponseMatchesItsClientTransactionByBranchAndCSeqMethod) {
  Request invite = make_request(Method::invite, "bob@partner.example", "z9hG4bKa");
  Request cancel = make_request(Method::cancel, "bob@partner.example", "z9hG4bKa");
  EXPECT_EQ(client_key(make_response(invite, 486)).value(), client_key(invite).value());
  EXPECT_EQ(client_key(make_response(cancel, 200)).value(), client_key(cancel).value());
  EXPECT_NE(client_key(cancel).value(), client_key(invite).value());  // same branch
  EXPECT_EQ(client_key(invite).value(), (ClientTxKey{"z9hG4bKa", "INVITE"}));
}

TEST(TxKey, ServerKeyHasBranchSentByAndMethod) {
  Request r = make_request(Method::message, "bob@corp.example", "z9hG4bKm1");
  EXPECT_EQ(server_key(r).value(),
            (ServerTxKey{"z9hG4bKm1", "gw.corp.example:5060", "MESSAGE", false}));
  Request other_host = r;
  other_host.via.front().host = "evil.example";
  EXPECT_NE(server_key(other_host).value(), server_key(r).value());
}

TEST(TxKey, AckMatchesTheInviteAndCancelIsItsOwnTransaction) {
  Request invite = make_request(Method::invite, "bob@corp.example", "z9hG4bKi");
  Request ack = make_request(Method::ack, "bob@corp.example", "z9hG4bKi");
  Request cancel = make_request(Method::cancel, "bob@corp.example", "z9hG4bKi");
  EXPECT_EQ(server_key(ack).value(), server_key(invite).value());
  EXPECT_NE(server_key(cancel).value(), server_key(invite).value());
  EXPECT_EQ(cancelled_invite_key(cancel).value(), server_key(invite).value());
  EXPECT_EQ(cancelled_invite_key(invite).error(), make_error_code(TxErrc::not_a_cancel));
}

TEST(TxKey, LegacyBranchFallsBackToRfc2543Fields) {
  Request a = make_request(Method::options, "bob@corp.example", "1234");
  Request b = a;
  b.call_id = "another-call";
  EXPECT_TRUE(server_key(a).value().legacy);
  EXPECT_NE(server_key(a).value(), server_key(b).value());
  EXPECT_EQ(server_key(a).value(), server_key(Request(a)).value());
}

TEST(TxKey, MissingViaOrBranchIsAnError) {
  Request r = make_request(Method::options, "bob@corp.example");
  Request no_branch = r;
  no_branch.via.front().params.clear();
  EXPECT_EQ(client_key(no_branch).error(), make_error_code(TxErrc::missing_branch));
  r.via.clear();
  EXPECT_EQ(client_key(r).error(), make_error_code(TxErrc::missing_via));
  EXPECT_EQ(server_key(r).error(), make_error_code(TxErrc::missing_via));
}

TEST(TxKey, HashSeparatesDifferentKeys) {
  TxKeyHash h;
  EXPECT_EQ(h(ClientTxKey{"z9hG4bKa", "INVITE"}), h(ClientTxKey{"z9hG4bKa", "INVITE"}));
  EXPECT_NE(h(ClientTxKey{"z9hG4bKa", "INVITE"}), h(ClientTxKey{"z9hG4bKa", "CANCEL"}));
  EXPECT_NE(h(ServerTxKey{"z9hG4bKa", "h", "INVITE", false}),
            h(ServerTxKey{"z9hG4bKb", "h", "INVITE", false}));
}

TEST(BranchGenerator, BranchesCarryTheMagicCookieAndAreUnique) {
  BranchGenerator gen{42};
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string b = gen.next();
    EXPECT_TRUE(is_rfc3261_branch(b)) << b;
    seen.insert(b);
  }
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_NE(BranchGenerator{1}.next(), BranchGenerator{2}.next());
  EXPECT_FALSE(is_rfc3261_branch("z9hG4bK"));
  EXPECT_FALSE(is_rfc3261_branch("Z9HG4BKabc"));  // the cookie is case-sensitive
}

}  // namespace
}  // namespace fedgate::sip
