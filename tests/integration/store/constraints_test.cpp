// Every named constraint refuses a bad row, and the error names what was wrong (issue 2:
// "each constraint rejects a bad row with a readable message"). One test per constraint.
#include <gtest/gtest.h>

#include "tests/support/pg/test_postgres.hpp"

namespace fedgate::gateway {
namespace {

struct BadRow {
  const char* constraint;  // the test's name, and what the message must mention
  const char* sql;
  const char* message = nullptr;  // when the text differs from the constraint name
};

const BadRow kBadRows[] = {
    {"dns_name_length_1_to_255",
     "INSERT INTO local_domains (domain) VALUES (repeat('abcdefgh.', 28) || 'example')"},
    {"dns_name_lower_case", "INSERT INTO local_domains (domain) VALUES ('Corp.example')"},
    {"dns_name_characters", "INSERT INTO local_domains (domain) VALUES ('co_rp.example')"},
    {"dns_name_label_syntax", "INSERT INTO local_domains (domain) VALUES ('-corp.example')"},
    {"dns_name_last_label_not_numeric", "INSERT INTO local_domains (domain) VALUES ('corp.123')"},
    {"settings_known_key", "INSERT INTO settings (key, value) VALUES ('colour', 'red')"},
    {"settings_xmpp_security_mode_value",
     "UPDATE settings SET value = 'tls_maybe' WHERE key = 'xmpp_security_mode'"},
    {"settings_boolean_value", "UPDATE settings SET value = 'yes' WHERE key = 'open_federation'"},
    {"settings_dialback_secret_min_16_chars",
     "UPDATE settings SET value = 'short' WHERE key = 'dialback_secret'"},
    {"settings_federation_routing_fqdn_value",
     "UPDATE settings SET value = 'Not A Name' WHERE key = 'federation_routing_fqdn'"},
    {"settings_no_delete", "DELETE FROM settings WHERE key = 'open_federation'",
     "rows of settings cannot be deleted"},
    {"local_domains_home_protocol_xmpp_or_sip",
     "INSERT INTO local_domains (domain, home_protocol) VALUES ('corp.example', 'smtp')"},
    {"local_domains_home_host_form",
     "INSERT INTO local_domains (domain, home_host) VALUES ('corp.example', 'bad host')"},
    {"local_domains_home_port_range",
     "INSERT INTO local_domains (domain, home_port) VALUES ('corp.example', 70000)"},
    {"local_domains_transport_tls_tcp_udp",
     "INSERT INTO local_domains (domain, transport) VALUES ('corp.example', 'sctp')"},
    {"users_address_form", "INSERT INTO users (address) VALUES ('alice')"},
    {"users_email_form",
     "INSERT INTO users (address, email) VALUES ('alice@corp.example', 'not-an-email')"},
    {"users_email_unique",
     "INSERT INTO users (address, email) VALUES ('a@corp.example', 'x@corp.example'), "
     "('b@corp.example', 'x@corp.example')"},
    {"sip_federated_domains_integration_type",
     "INSERT INTO sip_federated_domains (domain, integration) VALUES ('p.example', 'teams')"},
    {"incoming_acl_peer_form", "INSERT INTO incoming_acl (peer) VALUES ('bad peer!')"},
    {"xmpp_federation_policy_allow_or_deny",
     "UPDATE xmpp_federation_policy SET default_action = 'maybe'"},
    {"xmpp_federation_policy_single_row",
     "INSERT INTO xmpp_federation_policy (id, default_action) VALUES (false, 'deny')"},
    {"xmpp_policy_exceptions_pattern_form",
     "INSERT INTO xmpp_policy_exceptions (pattern) VALUES ('*.*.example')"},
    {"xmpp_policy_exceptions_direction_value",
     "INSERT INTO xmpp_policy_exceptions (pattern, direction) VALUES ('p.example', 'sideways')"},
    {"static_routes_pattern_reversed_form",
     "INSERT INTO static_routes (pattern) VALUES ('example.com')"},
    {"static_routes_next_hop_form",
     "INSERT INTO static_routes (pattern, next_hop) VALUES ('.com.example', 'bad hop')"},
    {"static_routes_port_range", "INSERT INTO static_routes (pattern, port) VALUES ('.com.a', 65536)"},
    {"static_routes_protocol_tls_tcp_udp",
     "INSERT INTO static_routes (pattern, protocol) VALUES ('.com.a', 'sctp')"},
    {"static_routes_route_type_domain_or_user",
     "INSERT INTO static_routes (pattern, route_type) VALUES ('.com.a', 'group')"},
    {"static_routes_priority_range",
     "INSERT INTO static_routes (pattern, priority) VALUES ('.com.a', -1)"},
    {"static_routes_weight_range",
     "INSERT INTO static_routes (pattern, weight) VALUES ('.com.a', 70000)"},
    {"static_routes_unique_hop",
     "INSERT INTO static_routes (pattern, next_hop, port) VALUES ('.*', '', 0)"},
    {"tls_peer_subjects_subject_form",
     "INSERT INTO tls_peer_subjects (subject) VALUES ('Bad Subject')"},
    {"presence_state_map_direction_value",
     "INSERT INTO presence_state_map (direction) VALUES ('both_ways')"},
    {"presence_state_map_xmpp_show_value",
     "INSERT INTO presence_state_map (direction, xmpp_show) VALUES ('xmpp_to_sip', 'busy')"},
    {"presence_state_map_range_valid",
     "INSERT INTO presence_state_map (direction, range_low, range_high) "
     "VALUES ('sip_to_xmpp', 500, 100)"},
    {"presence_state_map_availability_valid",
     "INSERT INTO presence_state_map (direction, xmpp_show, availability) "
     "VALUES ('xmpp_to_sip', 'dnd', -1)"},
    {"presence_state_map_one_row_per_xmpp_show",
     "INSERT INTO presence_state_map (direction, xmpp_show, availability) "
     "VALUES ('xmpp_to_sip', 'dnd', 9500)"},
    {"presence_state_map_ranges_disjoint",
     "INSERT INTO presence_state_map (direction, range_low, range_high) "
     "VALUES ('sip_to_xmpp', 100, 3000)",
     "range 100-3000 overlaps range 3000-4499"},
    {"user_policies_local_user_form",
     "INSERT INTO user_policies (local_user, target) VALUES ('alice', 'p.example')"},
    {"user_policies_target_user_or_domain",
     "INSERT INTO user_policies (local_user, target) VALUES ('a@corp.example', 'not a target')"},
    {"user_policies_action_allow_or_block",
     "INSERT INTO user_policies (local_user, target, action) "
     "VALUES ('a@corp.example', 'p.example', 'ignore')"},
    {"user_policies_scope_value",
     "INSERT INTO user_policies (local_user, target, scope) "
     "VALUES ('a@corp.example', 'p.example', 'voice')"},
    {"user_policies_one_rule_per_target",
     "INSERT INTO user_policies (local_user, target) "
     "VALUES ('a@corp.example', 'p.example'), ('a@corp.example', 'p.example')"},
    {"xmpp_partner_profiles_pinned_sha256_hex",
     "INSERT INTO xmpp_partner_profiles (domain, pinned_sha256) VALUES ('p.example', 'ABC')"},
    {"xmpp_partner_profiles_certificate_only_needs_tls",
     "INSERT INTO xmpp_partner_profiles (domain, tls_required, certificate_only) "
     "VALUES ('p.example', false, true)"},
    {"open_federation_cache_protocol_xmpp_or_sip",
     "INSERT INTO open_federation_cache (domain, protocol) VALUES ('p.example', 'smtp')"},
    {"nodes_id_form", "INSERT INTO nodes (id, fqdn) VALUES ('bad id!', 'n1.corp.example')"},
    {"nodes_roles_known",
     "INSERT INTO nodes (id, fqdn, roles) VALUES ('n1', 'n1.corp.example', '{voice}')"},
    {"policy_version_single_row", "INSERT INTO policy_version (id) VALUES (false)"},
    {"policy_version_no_delete", "DELETE FROM policy_version",
     "rows of policy_version cannot be deleted"},
    {"subscriptions_state_value",
     "INSERT INTO subscriptions (watcher, presentity, state) "
     "VALUES ('a@corp.example', 'b@p.example', 'maybe')"},
    {"subscriptions_watcher_bare_address",
     "INSERT INTO subscriptions (watcher, presentity) VALUES ('a@corp.example/res', 'b@p.example')"},
    {"outbox_mode_value",
     "INSERT INTO outbox (sender, recipient, body, mode) "
     "VALUES ('a@corp.example', 'b@p.example', 'hi', 'smtp')"},
    {"presence_cache_availability_value",
     "INSERT INTO presence_cache (address, availability) VALUES ('a@corp.example', 'sleepy')"},
    {"chat_sessions_mode_value",
     "INSERT INTO chat_sessions (local_user, remote_user, mode) "
     "VALUES ('a@corp.example', 'b@p.example', 'pager')"},
    {"outbox_state_value",
     "INSERT INTO outbox (sender, recipient, body, state) "
     "VALUES ('a@corp.example', 'b@p.example', 'hi', 'lost')"},
    {"outbox_attempts_non_negative",
     "INSERT INTO outbox (sender, recipient, body, attempts) "
     "VALUES ('a@corp.example', 'b@p.example', 'hi', -1)"},
};

class Constraint : public test::PgTest, public ::testing::WithParamInterface<BadRow> {};

TEST_P(Constraint, RefusesABadRowAndNamesTheRule) {
  const auto& bad = GetParam();
  auto error = test::sql_error(conninfo_, bad.sql);
  ASSERT_FALSE(error.empty()) << "accepted: " << bad.sql;
  EXPECT_NE(error.find(bad.message ? bad.message : bad.constraint), std::string::npos) << error;
}

INSTANTIATE_TEST_SUITE_P(Schema, Constraint, ::testing::ValuesIn(kBadRows),
                         [](const auto& info) { return std::string{info.param.constraint}; });

TEST(ConstraintList, GoodRowsPassTheSameRules) {
  auto conninfo = test::TestPostgres::instance().create_database();
  EXPECT_EQ(test::sql_error(conninfo,
                            "INSERT INTO local_domains (domain, home_host, home_port) "
                            "VALUES ('corp.example', '10.0.0.5', 5269);"
                            "INSERT INTO static_routes (pattern, next_hop) "
                            "VALUES ('.com.example.*', 'sip.example.com');"
                            "INSERT INTO xmpp_policy_exceptions (pattern) VALUES ('*.p.example');"
                            "INSERT INTO xmpp_partner_profiles (domain, pinned_sha256) "
                            "VALUES ('x.example', repeat('ab', 32));"
                            "INSERT INTO user_policies (local_user, target) "
                            "VALUES ('a@corp.example', 'bob@p.example')"),
            "");
}

}  // namespace
}  // namespace fedgate::gateway
