// The tls_peer_subjects allow-list as the transport's SubjectFilter: DNS-IDs, the CN only
// without them, case-insensitive; an empty list means no filter.
#include "sip/bridge/agent_peer_subjects.hpp"

#include <gtest/gtest.h>

namespace fedgate::sip {
namespace {

gateway::CertificateInfo cert(std::string subject, std::vector<std::string> dns) {
  gateway::CertificateInfo c;
  c.subject = std::move(subject);
  c.dns_names = std::move(dns);
  return c;
}

TEST(AgentPeerSubjects, AllowsListedDnsNamesOnly) {
  auto filter = subject_filter({"sip.Partner.test", "edge.lync.test"});
  ASSERT_TRUE(filter);
  EXPECT_TRUE(filter(cert("CN=x", {"sip.partner.test", "partner.test"})));
  EXPECT_TRUE(filter(cert("CN=edge", {"edge.lync.test"})));
  EXPECT_FALSE(filter(cert("CN=sip.partner.test", {"sip.rogue.test"})));  // SANs win over CN
}

TEST(AgentPeerSubjects, CommonNameCountsOnlyWithoutDnsNames) {
  auto filter = subject_filter({"old.ocs.test"});
  EXPECT_TRUE(filter(cert("CN=old.ocs.test,O=Example", {})));
  EXPECT_FALSE(filter(cert("O=Example,CN=other.test", {})));
}

TEST(AgentPeerSubjects, EmptyListIsNoFilter) { EXPECT_FALSE(subject_filter({})); }

}  // namespace
}  // namespace fedgate::sip
