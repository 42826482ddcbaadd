-- 0005: presence_cache takes the shape of presence::PresenceCacheStore: the aggregated
-- availability by name, the status text, the newest publish time, and one row per endpoint
-- (XMPP resource, Lync endpoint, PIDF tuple), so probes are answered at once after a restart.

ALTER TABLE presence_cache
  DROP CONSTRAINT presence_cache_address_form,
  DROP COLUMN availability,
  DROP COLUMN show,
  ADD CONSTRAINT presence_cache_bare_address CHECK (fedgate_is_bare_address(address)),
  ADD COLUMN availability text NOT NULL DEFAULT 'offline'
    CONSTRAINT presence_cache_availability_value CHECK (availability IN (
      'available', 'chat', 'inactive', 'busy', 'dnd', 'be_right_back', 'away', 'xa', 'offline'));

CREATE TABLE presence_cache_endpoints (
  address text NOT NULL
    CONSTRAINT presence_cache_endpoints_address_fkey REFERENCES presence_cache (address)
    ON DELETE CASCADE,
  position integer NOT NULL,
  endpoint_id text NOT NULL DEFAULT '',
  availability text NOT NULL DEFAULT 'offline'
    CONSTRAINT presence_cache_endpoints_availability_value CHECK (availability IN (
      'available', 'chat', 'inactive', 'busy', 'dnd', 'be_right_back', 'away', 'xa', 'offline')),
  status_text text NOT NULL DEFAULT '',
  priority integer NOT NULL DEFAULT 0,
  lync_availability integer,
  publish_time timestamptz,
  PRIMARY KEY (address, position)
);
