-- 0002: rules across policy tables, enforced by triggers with readable messages (issue 2),
-- and policy versioning: every change to a policy table bumps policy_version and NOTIFYs
-- channel 'fedgate_policy' with the new version, so every node reloads (live policy).

-- Single-row and fixed-key tables: rows are updated, never deleted.
CREATE FUNCTION fedgate_forbid_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'rows of % cannot be deleted; update them instead', TG_TABLE_NAME
    USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = TG_TABLE_NAME || '_no_delete';
END
$$;

CREATE TRIGGER settings_no_delete BEFORE DELETE ON settings
  FOR EACH ROW EXECUTE FUNCTION fedgate_forbid_delete();
CREATE TRIGGER settings_no_truncate BEFORE TRUNCATE ON settings
  FOR EACH STATEMENT EXECUTE FUNCTION fedgate_forbid_delete();
CREATE TRIGGER xmpp_federation_policy_no_delete BEFORE DELETE ON xmpp_federation_policy
  FOR EACH ROW EXECUTE FUNCTION fedgate_forbid_delete();
CREATE TRIGGER xmpp_federation_policy_no_truncate BEFORE TRUNCATE ON xmpp_federation_policy
  FOR EACH STATEMENT EXECUTE FUNCTION fedgate_forbid_delete();

-- Does an XMPP exception pattern ('d' or '*.d') cover this domain? '*.d' covers d and every
-- subdomain of d.
CREATE FUNCTION fedgate_pattern_covers(pattern text, domain text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT CASE WHEN pattern LIKE '*.%'
              THEN domain = substr(pattern, 3) OR right(domain, length(pattern) - 1) = substr(pattern, 2)
              ELSE domain = pattern END
$$;

-- Every domain is reached over one protocol: a local domain is never federated, and a SIP
-- federated domain is never covered by an XMPP exception. The advisory lock serialises the
-- checks so two concurrent transactions cannot each insert one half of a conflict.
CREATE FUNCTION fedgate_check_domain_kinds() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  hit text;
BEGIN
  PERFORM pg_advisory_xact_lock(7301968425310001);
  IF TG_TABLE_NAME = 'local_domains' THEN
    IF EXISTS (SELECT 1 FROM sip_federated_domains WHERE domain = NEW.domain) THEN
      RAISE EXCEPTION 'domain % is already a SIP federated domain; a domain cannot be both local and federated', NEW.domain
        USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'local_domains_not_federated';
    END IF;
    SELECT pattern INTO hit FROM xmpp_policy_exceptions WHERE pattern = NEW.domain;
    IF FOUND THEN
      RAISE EXCEPTION 'domain % is listed as an XMPP policy exception; a domain cannot be both local and federated', NEW.domain
        USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'local_domains_not_federated';
    END IF;
  ELSIF TG_TABLE_NAME = 'sip_federated_domains' THEN
    IF EXISTS (SELECT 1 FROM local_domains WHERE domain = NEW.domain) THEN
      RAISE EXCEPTION 'domain % is a local domain; a domain cannot be both local and federated', NEW.domain
        USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'sip_federated_domains_not_local';
    END IF;
    SELECT pattern INTO hit FROM xmpp_policy_exceptions
      WHERE fedgate_pattern_covers(pattern, NEW.domain) LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION 'domain % is covered by XMPP policy exception %; a domain cannot be both SIP federated and an XMPP exception', NEW.domain, hit
        USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'sip_federated_domains_not_xmpp_exception';
    END IF;
  ELSE  -- xmpp_policy_exceptions
    SELECT domain INTO hit FROM sip_federated_domains
      WHERE fedgate_pattern_covers(NEW.pattern, domain) LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION 'XMPP policy exception % covers SIP federated domain %; a domain cannot be both SIP federated and an XMPP exception', NEW.pattern, hit
        USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'xmpp_policy_exceptions_not_sip_federated';
    END IF;
    IF EXISTS (SELECT 1 FROM local_domains WHERE domain = NEW.pattern) THEN
      RAISE EXCEPTION 'XMPP policy exception % is a local domain; a domain cannot be both local and federated', NEW.pattern
        USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'xmpp_policy_exceptions_not_local';
    END IF;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER local_domains_domain_kind BEFORE INSERT OR UPDATE OF domain ON local_domains
  FOR EACH ROW EXECUTE FUNCTION fedgate_check_domain_kinds();
CREATE TRIGGER sip_federated_domains_domain_kind
  BEFORE INSERT OR UPDATE OF domain ON sip_federated_domains
  FOR EACH ROW EXECUTE FUNCTION fedgate_check_domain_kinds();
CREATE TRIGGER xmpp_policy_exceptions_domain_kind
  BEFORE INSERT OR UPDATE OF pattern ON xmpp_policy_exceptions
  FOR EACH ROW EXECUTE FUNCTION fedgate_check_domain_kinds();

-- A SIP federated domain is not renamed: its incoming-ACL row would no longer match it.
CREATE FUNCTION fedgate_forbid_sip_domain_rename() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'SIP federated domain % cannot be renamed to %; delete it and insert the new domain', OLD.domain, NEW.domain
    USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'sip_federated_domains_no_rename';
END
$$;
CREATE TRIGGER sip_federated_domains_no_rename BEFORE UPDATE OF domain ON sip_federated_domains
  FOR EACH ROW WHEN (OLD.domain IS DISTINCT FROM NEW.domain)
  EXECUTE FUNCTION fedgate_forbid_sip_domain_rename();

-- Adding a SIP federated domain creates its incoming-ACL row.
CREATE FUNCTION fedgate_create_incoming_acl() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO incoming_acl (peer, domain, description)
    VALUES (NEW.domain, NEW.domain, 'created with SIP federated domain ' || NEW.domain)
    ON CONFLICT (peer) DO UPDATE SET domain = EXCLUDED.domain, description = EXCLUDED.description;
  RETURN NULL;
END
$$;
CREATE TRIGGER sip_federated_domains_incoming_acl AFTER INSERT ON sip_federated_domains
  FOR EACH ROW EXECUTE FUNCTION fedgate_create_incoming_acl();

-- An incoming-ACL row of a SIP federated domain is created, changed and deleted only through
-- that domain (pg_trigger_depth() > 1: from the trigger above; a delete is allowed once the
-- domain itself is gone, i.e. the ON DELETE CASCADE).
CREATE FUNCTION fedgate_protect_incoming_acl() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.domain IS NOT NULL
       AND EXISTS (SELECT 1 FROM sip_federated_domains WHERE domain = OLD.domain) THEN
      RAISE EXCEPTION 'incoming_acl row % belongs to SIP federated domain % and cannot be deleted on its own; delete the federated domain instead', OLD.peer, OLD.domain
        USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'incoming_acl_owned_by_federated_domain';
    END IF;
    RETURN OLD;
  END IF;
  IF pg_trigger_depth() = 1 AND TG_OP = 'UPDATE' AND OLD.domain IS NOT NULL THEN
    RAISE EXCEPTION 'incoming_acl row % belongs to SIP federated domain % and cannot be changed on its own', OLD.peer, OLD.domain
      USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'incoming_acl_owned_by_federated_domain';
  END IF;
  IF pg_trigger_depth() = 1 AND NEW.domain IS NOT NULL THEN
    RAISE EXCEPTION 'incoming_acl rows for SIP federated domain % are created by inserting the domain into sip_federated_domains', NEW.domain
      USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'incoming_acl_owned_by_federated_domain';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER incoming_acl_protect BEFORE INSERT OR UPDATE OR DELETE ON incoming_acl
  FOR EACH ROW EXECUTE FUNCTION fedgate_protect_incoming_acl();

-- Availability ranges (sip_to_xmpp) never overlap, so a number maps to exactly one row.
CREATE FUNCTION fedgate_check_state_map_ranges() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  other presence_state_map%ROWTYPE;
BEGIN
  IF NEW.direction <> 'sip_to_xmpp' THEN
    RETURN NEW;
  END IF;
  SELECT * INTO other FROM presence_state_map
    WHERE direction = 'sip_to_xmpp' AND id <> NEW.id
      AND NOT (NEW.range_high < range_low OR NEW.range_low > range_high)
    LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'presence_state_map range %-% overlaps range %-% (row %)', NEW.range_low, NEW.range_high, other.range_low, other.range_high, other.id
      USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'presence_state_map_ranges_disjoint';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER presence_state_map_ranges_disjoint BEFORE INSERT OR UPDATE ON presence_state_map
  FOR EACH ROW EXECUTE FUNCTION fedgate_check_state_map_ranges();

-- Policy versioning and live reload.
CREATE TABLE policy_version (
  id boolean PRIMARY KEY DEFAULT true CONSTRAINT policy_version_single_row CHECK (id),
  version bigint NOT NULL DEFAULT 1,
  changed_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO policy_version DEFAULT VALUES;
CREATE TRIGGER policy_version_no_delete BEFORE DELETE ON policy_version
  FOR EACH ROW EXECUTE FUNCTION fedgate_forbid_delete();
CREATE TRIGGER policy_version_no_truncate BEFORE TRUNCATE ON policy_version
  FOR EACH STATEMENT EXECUTE FUNCTION fedgate_forbid_delete();

-- The row lock taken by the UPDATE orders concurrent policy transactions, so versions are
-- committed in increasing order and a REPEATABLE READ load sees rows and version together.
CREATE FUNCTION fedgate_bump_policy_version() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v bigint;
BEGIN
  UPDATE policy_version SET version = version + 1, changed_at = now() RETURNING version INTO v;
  PERFORM pg_notify('fedgate_policy', v::text);
  RETURN NULL;
END
$$;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['settings', 'local_domains', 'users', 'sip_federated_domains',
      'incoming_acl', 'xmpp_federation_policy', 'xmpp_policy_exceptions', 'static_routes',
      'tls_peer_subjects', 'presence_state_map', 'user_policies', 'xmpp_partner_profiles',
      'open_federation_cache'] LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
                   'FOR EACH STATEMENT EXECUTE FUNCTION fedgate_bump_policy_version()',
                   t || '_policy_version', t);
  END LOOP;
END
$$;
