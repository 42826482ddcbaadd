// Rules across tables: a domain is reached over one protocol only, and a SIP federated
// domain's incoming-ACL row is created, protected and removed with it (issue 2).
#include <gtest/gtest.h>

#include "tests/support/pg/test_postgres.hpp"

namespace fedgate::gateway {
namespace {

using test::exec_sql;
using test::query_value;
using test::sql_error;

class DomainRules : public test::PgTest {};

TEST_F(DomainRules, ALocalDomainCannotBecomeSipFederated) {
  exec_sql(conninfo_, "INSERT INTO local_domains (domain) VALUES ('corp.example')");
  auto error = sql_error(conninfo_, "INSERT INTO sip_federated_domains (domain) VALUES ('corp.example')");
  EXPECT_NE(error.find("domain corp.example is a local domain; a domain cannot be both local and "
                       "federated"),
            std::string::npos)
      << error;
}

TEST_F(DomainRules, ASipFederatedDomainCannotBecomeLocal) {
  exec_sql(conninfo_, "INSERT INTO sip_federated_domains (domain) VALUES ('p.example')");
  auto error = sql_error(conninfo_, "INSERT INTO local_domains (domain) VALUES ('p.example')");
  EXPECT_NE(error.find("domain p.example is already a SIP federated domain"), std::string::npos)
      << error;
}

TEST_F(DomainRules, AnXmppExceptionCannotCoverASipFederatedDomain) {
  exec_sql(conninfo_, "INSERT INTO sip_federated_domains (domain) VALUES ('sip.p.example')");
  auto error = sql_error(conninfo_, "INSERT INTO xmpp_policy_exceptions (pattern) VALUES ('*.p.example')");
  EXPECT_NE(error.find("XMPP policy exception *.p.example covers SIP federated domain "
                       "sip.p.example"),
            std::string::npos)
      << error;
  EXPECT_EQ(sql_error(conninfo_, "INSERT INTO xmpp_policy_exceptions (pattern) VALUES ('*.q.example')"), "");
}

TEST_F(DomainRules, ASipFederatedDomainCannotBeCoveredByAnXmppException) {
  exec_sql(conninfo_, "INSERT INTO xmpp_policy_exceptions (pattern) VALUES ('*.p.example')");
  auto error = sql_error(conninfo_, "INSERT INTO sip_federated_domains (domain) VALUES ('p.example')");
  EXPECT_NE(error.find("domain p.example is covered by XMPP policy exception *.p.example"),
            std::string::npos)
      << error;
  EXPECT_EQ(sql_error(conninfo_, "INSERT INTO sip_federated_domains (domain) VALUES ('xp.example')"), "");
}

TEST_F(DomainRules, ALocalDomainCannotBeAnXmppException) {
  exec_sql(conninfo_, "INSERT INTO local_domains (domain) VALUES ('corp.example')");
  auto error = sql_error(conninfo_, "INSERT INTO xmpp_policy_exceptions (pattern) VALUES ('corp.example')");
  EXPECT_NE(error.find("XMPP policy exception corp.example is a local domain"), std::string::npos)
      << error;
}

TEST_F(DomainRules, ASipFederatedDomainIsNotRenamed) {
  exec_sql(conninfo_, "INSERT INTO sip_federated_domains (domain) VALUES ('p.example')");
  auto error = sql_error(conninfo_, "UPDATE sip_federated_domains SET domain = 'q.example'");
  EXPECT_NE(error.find("cannot be renamed"), std::string::npos) << error;
}

TEST_F(DomainRules, AddingASipFederatedDomainCreatesItsIncomingAclRow) {
  exec_sql(conninfo_, "INSERT INTO sip_federated_domains (domain, integration) "
                      "VALUES ('p.example', 'lync')");
  EXPECT_EQ(query_value(conninfo_, "SELECT domain FROM incoming_acl WHERE peer = 'p.example'"),
            "p.example");
}

TEST_F(DomainRules, TheIncomingAclRowCannotBeChangedOnItsOwn) {
  exec_sql(conninfo_, "INSERT INTO sip_federated_domains (domain) VALUES ('p.example')");
  auto error = sql_error(conninfo_, "UPDATE incoming_acl SET peer = 'q.example'");
  EXPECT_NE(error.find("incoming_acl row p.example belongs to SIP federated domain p.example and "
                       "cannot be changed on its own"),
            std::string::npos)
      << error;
}

TEST_F(DomainRules, TheIncomingAclRowCannotBeDeletedOnItsOwn) {
  exec_sql(conninfo_, "INSERT INTO sip_federated_domains (domain) VALUES ('p.example')");
  auto error = sql_error(conninfo_, "DELETE FROM incoming_acl WHERE peer = 'p.example'");
  EXPECT_NE(error.find("cannot be deleted on its own; delete the federated domain instead"),
            std::string::npos)
      << error;
  EXPECT_EQ(query_value(conninfo_, "SELECT count(*) FROM incoming_acl"), "1");
}

TEST_F(DomainRules, AnIncomingAclRowCannotClaimAFederatedDomain) {
  exec_sql(conninfo_, "INSERT INTO sip_federated_domains (domain) VALUES ('p.example')");
  auto error = sql_error(conninfo_, "INSERT INTO incoming_acl (peer, domain) "
                                    "VALUES ('edge.p.example', 'p.example')");
  EXPECT_NE(error.find("are created by inserting the domain into sip_federated_domains"),
            std::string::npos)
      << error;
}

TEST_F(DomainRules, DeletingTheDomainRemovesItsIncomingAclRowOnly) {
  exec_sql(conninfo_, "INSERT INTO sip_federated_domains (domain) VALUES ('p.example');"
                      "INSERT INTO incoming_acl (peer, description) VALUES ('10.1.2.3', 'manual')");
  EXPECT_EQ(sql_error(conninfo_, "DELETE FROM sip_federated_domains"), "");
  EXPECT_EQ(query_value(conninfo_, "SELECT string_agg(peer, ',') FROM incoming_acl"), "10.1.2.3");
  EXPECT_EQ(sql_error(conninfo_, "DELETE FROM incoming_acl"), "");  // manual rows are free
}

TEST_F(DomainRules, EveryPolicyChangeBumpsTheVersionAndNotifies) {
  auto before = std::stoll(query_value(conninfo_, "SELECT version FROM policy_version"));
  exec_sql(conninfo_, "INSERT INTO local_domains (domain) VALUES ('corp.example')");
  exec_sql(conninfo_, "UPDATE settings SET value = 'true' WHERE key = 'open_federation'");
  auto after = std::stoll(query_value(conninfo_, "SELECT version FROM policy_version"));
  EXPECT_EQ(after, before + 2);
  exec_sql(conninfo_, "INSERT INTO nodes (id, fqdn) VALUES ('n1', 'n1.corp.example')");
  EXPECT_EQ(std::stoll(query_value(conninfo_, "SELECT version FROM policy_version")), after);
}

}  // namespace
}  // namespace fedgate::gateway
