-- 0001: the administrator's policy tables (issue 2). Every constraint is named so that a
-- refused row says what was wrong. Domains are stored lower-case, as A-labels for IDNs.
-- Cross-table rules, the incoming-ACL protection and policy versioning are in 0002.
-- (schema_migrations itself is created by the migrator before the first migration.)

-- A DNS name as administrators know it: at most 255 characters; letters, digits, hyphen and
-- dot; labels of 1-63 characters that neither start nor end with a hyphen; the last label
-- does not start with a digit; lower-case.
CREATE FUNCTION fedgate_is_dns_name(name text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT length(name) BETWEEN 1 AND 255
     AND name = lower(name)
     AND name ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$'
     AND name !~ '(^|\.)[0-9][^.]*$'
$$;

-- A user address: "local@domain" with a valid domain part.
CREATE FUNCTION fedgate_is_user_address(address text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT address ~ '^[^@[:space:]/]+@[^@[:space:]/]+$'
     AND fedgate_is_dns_name(split_part(address, '@', 2))
$$;

-- A host: a DNS name, an IPv4 address, or an IPv6 address (no brackets).
CREATE FUNCTION fedgate_is_host(host text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT fedgate_is_dns_name(host)
      OR host ~ '^([0-9]{1,3}\.){3}[0-9]{1,3}$'
      OR (host ~ '^[0-9a-f:.]+$' AND host LIKE '%:%')
$$;

CREATE DOMAIN dns_name AS text
  CONSTRAINT dns_name_length_1_to_255 CHECK (length(VALUE) BETWEEN 1 AND 255)
  CONSTRAINT dns_name_lower_case CHECK (VALUE = lower(VALUE))
  CONSTRAINT dns_name_characters CHECK (VALUE ~* '^[a-z0-9.-]+$')
  CONSTRAINT dns_name_label_syntax CHECK (
    VALUE ~* '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$')
  CONSTRAINT dns_name_last_label_not_numeric CHECK (VALUE !~ '(^|\.)[0-9][^.]*$');

-- Cluster-wide switches, one row per key; each key has its own value check.
CREATE TABLE settings (
  key text PRIMARY KEY CONSTRAINT settings_known_key CHECK (key IN (
    'xmpp_security_mode', 'require_valid_peer_certificates', 'sasl_external_inbound',
    'sasl_external_outbound', 'dialback_secret', 'email_for_federation',
    'federation_routing_fqdn', 'open_federation')),
  value text NOT NULL,
  description text NOT NULL DEFAULT '',
  CONSTRAINT settings_xmpp_security_mode_value CHECK (
    key <> 'xmpp_security_mode' OR value IN ('no_tls', 'tls_optional', 'tls_required')),
  CONSTRAINT settings_boolean_value CHECK (
    key NOT IN ('require_valid_peer_certificates', 'sasl_external_inbound',
                'sasl_external_outbound', 'email_for_federation', 'open_federation')
    OR value IN ('true', 'false')),
  CONSTRAINT settings_dialback_secret_min_16_chars CHECK (
    key <> 'dialback_secret' OR length(value) >= 16),
  CONSTRAINT settings_federation_routing_fqdn_value CHECK (
    key <> 'federation_routing_fqdn' OR value = '' OR fedgate_is_dns_name(value))
);

INSERT INTO settings (key, value, description) VALUES
  ('xmpp_security_mode', 'tls_required', 'no_tls, tls_optional (fall back to dialback) or tls_required'),
  ('require_valid_peer_certificates', 'true', 'refuse XMPP peers whose certificate does not validate'),
  ('sasl_external_inbound', 'true', 'offer SASL EXTERNAL (XEP-0178) to incoming XMPP streams'),
  ('sasl_external_outbound', 'true', 'use SASL EXTERNAL on outgoing XMPP streams'),
  ('dialback_secret', md5(random()::text || clock_timestamp()::text) || md5(random()::text),
   'secret for Server Dialback keys (XEP-0185)'),
  ('email_for_federation', 'false', 'publish local users by their email address'),
  ('federation_routing_fqdn', '', 'the FQDN partners use to reach this gateway'),
  ('open_federation', 'false', 'discover unknown domains by DNS');

-- The operator's own domains; fedgate is their federation edge.
CREATE TABLE local_domains (
  domain dns_name PRIMARY KEY,
  home_protocol text NOT NULL DEFAULT 'xmpp'
    CONSTRAINT local_domains_home_protocol_xmpp_or_sip CHECK (home_protocol IN ('xmpp', 'sip')),
  home_host text NOT NULL DEFAULT ''
    CONSTRAINT local_domains_home_host_form CHECK (home_host = '' OR fedgate_is_host(home_host)),
  home_port integer NOT NULL DEFAULT 0
    CONSTRAINT local_domains_home_port_range CHECK (home_port BETWEEN 0 AND 65535),
  transport text NOT NULL DEFAULT 'tls'
    CONSTRAINT local_domains_transport_tls_tcp_udp CHECK (transport IN ('tls', 'tcp', 'udp'))
);

CREATE TABLE users (
  address text PRIMARY KEY
    CONSTRAINT users_address_form CHECK (fedgate_is_user_address(address)),
  email text
    CONSTRAINT users_email_form CHECK (email IS NULL OR fedgate_is_user_address(email))
    CONSTRAINT users_email_unique UNIQUE,
  display_name text NOT NULL DEFAULT '',
  federation_enabled boolean NOT NULL DEFAULT true
);

CREATE TABLE sip_federated_domains (
  domain dns_name PRIMARY KEY,
  integration text NOT NULL DEFAULT 's4b'
    CONSTRAINT sip_federated_domains_integration_type CHECK (
      integration IN ('lync', 's4b', 'o365', 'standard_sip')),
  description text NOT NULL DEFAULT ''
);

-- Peers allowed to connect. Rows with `domain` set belong to that SIP federated domain: they
-- are created with it and removed with it, never changed on their own (0002).
CREATE TABLE incoming_acl (
  peer text PRIMARY KEY
    CONSTRAINT incoming_acl_peer_form CHECK (fedgate_is_host(peer)),
  domain text
    CONSTRAINT incoming_acl_domain_fkey REFERENCES sip_federated_domains (domain)
    ON DELETE CASCADE,
  description text NOT NULL DEFAULT ''
);

-- XMPP federation: one default, plus exceptions that invert it for matching domains.
CREATE TABLE xmpp_federation_policy (
  id boolean PRIMARY KEY DEFAULT true
    CONSTRAINT xmpp_federation_policy_single_row CHECK (id),
  default_action text NOT NULL DEFAULT 'allow'
    CONSTRAINT xmpp_federation_policy_allow_or_deny CHECK (default_action IN ('allow', 'deny'))
);
INSERT INTO xmpp_federation_policy DEFAULT VALUES;

CREATE TABLE xmpp_policy_exceptions (
  pattern text PRIMARY KEY
    CONSTRAINT xmpp_policy_exceptions_pattern_form CHECK (
      fedgate_is_dns_name(CASE WHEN pattern LIKE '*.%' THEN substr(pattern, 3) ELSE pattern END)),
  direction text NOT NULL DEFAULT 'all'
    CONSTRAINT xmpp_policy_exceptions_direction_value CHECK (
      direction IN ('all', 'inbound_only', 'outbound_only')),
  description text NOT NULL DEFAULT ''
);

-- Static routes; the pattern is a reversed domain: '.com.example.*' is example.com and its
-- subdomains, '.com.example' only example.com, '.*' the open-federation default route.
CREATE TABLE static_routes (
  id bigserial PRIMARY KEY,
  pattern text NOT NULL
    CONSTRAINT static_routes_pattern_reversed_form CHECK (
      pattern = '.*' OR pattern ~ '^(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+(\.\*)?$'),
  next_hop text NOT NULL DEFAULT ''
    CONSTRAINT static_routes_next_hop_form CHECK (next_hop = '' OR fedgate_is_host(next_hop)),
  port integer NOT NULL DEFAULT 5061
    CONSTRAINT static_routes_port_range CHECK (port BETWEEN 0 AND 65535),
  protocol text NOT NULL DEFAULT 'tls'
    CONSTRAINT static_routes_protocol_tls_tcp_udp CHECK (protocol IN ('tls', 'tcp', 'udp')),
  route_type text NOT NULL DEFAULT 'domain'
    CONSTRAINT static_routes_route_type_domain_or_user CHECK (route_type IN ('domain', 'user')),
  priority integer NOT NULL DEFAULT 1
    CONSTRAINT static_routes_priority_range CHECK (priority BETWEEN 0 AND 65535),
  weight integer NOT NULL DEFAULT 0
    CONSTRAINT static_routes_weight_range CHECK (weight BETWEEN 0 AND 65535),
  blocked boolean NOT NULL DEFAULT false,
  in_service boolean NOT NULL DEFAULT true,
  CONSTRAINT static_routes_unique_hop UNIQUE (pattern, next_hop, port, protocol)
);
INSERT INTO static_routes (pattern, next_hop, port, priority, blocked)
  VALUES ('.*', '', 0, 0, true);

CREATE TABLE tls_peer_subjects (
  subject text PRIMARY KEY
    CONSTRAINT tls_peer_subjects_subject_form CHECK (
      fedgate_is_dns_name(CASE WHEN subject LIKE '*.%' THEN substr(subject, 3) ELSE subject END)),
  description text NOT NULL DEFAULT ''
);

-- Availability mapping, as data. sip_to_xmpp rows map [range_low, range_high] to a show and
-- status text; xmpp_to_sip rows map a show to the availability number written.
CREATE TABLE presence_state_map (
  id serial PRIMARY KEY,
  direction text NOT NULL
    CONSTRAINT presence_state_map_direction_value CHECK (
      direction IN ('sip_to_xmpp', 'xmpp_to_sip')),
  range_low integer NOT NULL DEFAULT 0,
  range_high integer NOT NULL DEFAULT 0,
  xmpp_show text NOT NULL DEFAULT ''
    CONSTRAINT presence_state_map_xmpp_show_value CHECK (
      xmpp_show IN ('', 'chat', 'away', 'xa', 'dnd', 'unavailable')),
  status_text text NOT NULL DEFAULT '',
  availability integer NOT NULL DEFAULT 0,
  CONSTRAINT presence_state_map_range_valid CHECK (
    direction <> 'sip_to_xmpp' OR (range_low >= 0 AND range_low <= range_high)),
  CONSTRAINT presence_state_map_availability_valid CHECK (
    direction <> 'xmpp_to_sip' OR availability >= 0)
);
CREATE UNIQUE INDEX presence_state_map_one_row_per_xmpp_show
  ON presence_state_map (xmpp_show) WHERE direction = 'xmpp_to_sip';

INSERT INTO presence_state_map (direction, range_low, range_high, xmpp_show, status_text) VALUES
  ('sip_to_xmpp', 3000, 4499, '', ''),
  ('sip_to_xmpp', 4500, 5999, 'away', 'Inactive'),
  ('sip_to_xmpp', 6000, 8999, 'away', 'Busy'),
  ('sip_to_xmpp', 9000, 11999, 'away', 'Busy'),
  ('sip_to_xmpp', 12000, 14999, 'away', 'Be Right Back'),
  ('sip_to_xmpp', 15000, 17999, 'away', ''),
  ('sip_to_xmpp', 18000, 2147483647, 'unavailable', '');
INSERT INTO presence_state_map (direction, xmpp_show, availability) VALUES
  ('xmpp_to_sip', '', 3500),
  ('xmpp_to_sip', 'chat', 3500),
  ('xmpp_to_sip', 'away', 15500),
  ('xmpp_to_sip', 'xa', 15500),
  ('xmpp_to_sip', 'dnd', 6500),
  ('xmpp_to_sip', 'unavailable', 18500);

-- Per-user rules: a local user allows or blocks a partner user or a whole partner domain.
CREATE TABLE user_policies (
  id bigserial PRIMARY KEY,
  local_user text NOT NULL
    CONSTRAINT user_policies_local_user_form CHECK (fedgate_is_user_address(local_user)),
  target text NOT NULL
    CONSTRAINT user_policies_target_user_or_domain CHECK (
      fedgate_is_user_address(target) OR fedgate_is_dns_name(target)),
  action text NOT NULL DEFAULT 'block'
    CONSTRAINT user_policies_action_allow_or_block CHECK (action IN ('allow', 'block')),
  scope text NOT NULL DEFAULT 'both'
    CONSTRAINT user_policies_scope_value CHECK (scope IN ('presence', 'im', 'both')),
  CONSTRAINT user_policies_one_rule_per_target UNIQUE (local_user, target)
);

-- XMPP per-partner security profile.
CREATE TABLE xmpp_partner_profiles (
  domain dns_name PRIMARY KEY,
  tls_required boolean NOT NULL DEFAULT true,
  certificate_only boolean NOT NULL DEFAULT false,
  dialback_allowed boolean NOT NULL DEFAULT true,
  pinned_sha256 text NOT NULL DEFAULT ''
    CONSTRAINT xmpp_partner_profiles_pinned_sha256_hex CHECK (
      pinned_sha256 = '' OR pinned_sha256 ~ '^[0-9a-f]{64}$'),
  CONSTRAINT xmpp_partner_profiles_certificate_only_needs_tls CHECK (
    NOT certificate_only OR tls_required)
);

-- Domains found by open federation, and how they were reached.
CREATE TABLE open_federation_cache (
  domain dns_name PRIMARY KEY,
  protocol text NOT NULL
    CONSTRAINT open_federation_cache_protocol_xmpp_or_sip CHECK (protocol IN ('xmpp', 'sip')),
  discovered_at timestamptz NOT NULL DEFAULT now()
);

-- Cluster membership (not policy: heartbeats do not bump the policy version).
CREATE TABLE nodes (
  id text PRIMARY KEY
    CONSTRAINT nodes_id_form CHECK (id ~ '^[A-Za-z0-9._-]{1,64}$'),
  fqdn dns_name NOT NULL,
  addresses text[] NOT NULL DEFAULT '{}',
  roles text[] NOT NULL DEFAULT '{sip,xmpp}'
    CONSTRAINT nodes_roles_known CHECK (roles <@ ARRAY['sip', 'xmpp', 'admin']),
  started_at timestamptz NOT NULL DEFAULT now(),
  heartbeat timestamptz NOT NULL DEFAULT now()
);
