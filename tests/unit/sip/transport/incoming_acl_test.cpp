// The incoming ACL rule: entries by address (IPv4, IPv6, IPv4-mapped), by certificate DNS-ID
// (wildcards in the certificate) and by reverse-resolved name.
#include "sip/transport/incoming_acl.hpp"

#include <gtest/gtest.h>

namespace fedgate::sip {
namespace {

gateway::CertificateInfo certificate(std::vector<std::string> names) {
  gateway::CertificateInfo c;
  c.dns_names = std::move(names);
  return c;
}

TEST(IncomingAcl, MatchesByAddress) {
  InboundPeer v4{"192.0.2.7", nullptr, {}};
  InboundPeer mapped{"::ffff:192.0.2.7", nullptr, {}};
  InboundPeer v6{"2001:db8::1", nullptr, {}};
  EXPECT_TRUE(acl_entry_matches("192.0.2.7", v4));
  EXPECT_TRUE(acl_entry_matches("192.0.2.7", mapped));
  EXPECT_TRUE(acl_entry_matches("[2001:db8:0::1]", v6));
  EXPECT_FALSE(acl_entry_matches("192.0.2.8", v4));
  EXPECT_FALSE(acl_entry_matches("", v4));
}

TEST(IncomingAcl, MatchesAnFqdnByTheCertificateDnsIds) {
  auto cert = certificate({"sip.partner.example", "*.edge.partner.example"});
  InboundPeer peer{"198.51.100.1", &cert, {}};
  EXPECT_TRUE(acl_entry_matches("sip.partner.example", peer));
  EXPECT_TRUE(acl_entry_matches("SIP.Partner.Example.", peer));
  EXPECT_TRUE(acl_entry_matches("pool1.edge.partner.example", peer));
  EXPECT_FALSE(acl_entry_matches("partner.example", peer));
  EXPECT_FALSE(acl_entry_matches("198.51.100.2", peer));
}

TEST(IncomingAcl, MatchesAnFqdnByAReverseName) {
  InboundPeer peer{"203.0.113.9", nullptr, {"edge.partner.example."}};
  EXPECT_TRUE(acl_entry_matches("Edge.Partner.Example", peer));
  EXPECT_FALSE(acl_entry_matches("other.partner.example", peer));
}

TEST(IncomingAcl, AdmitsWhenAnyEntryMatchesAndDescribesThePeer) {
  auto cert = certificate({"a.example"});
  InboundPeer peer{"127.0.0.1", &cert, {"localhost"}};
  std::vector<std::string> rows{"b.example", "a.example"};
  EXPECT_TRUE(acl_admits(rows, peer));
  std::vector<std::string> others{"b.example", "10.0.0.1"};
  EXPECT_FALSE(acl_admits(others, peer));
  EXPECT_EQ(describe(peer), "address=127.0.0.1 names=a.example,localhost");
}

}  // namespace
}  // namespace fedgate::sip
