-- 0004: the router state tables take the shape of presence/'s storage ports
-- (SubscriptionStore, Outbox): subscriptions carry the RFC 6665 states plus polite_block,
-- which side is local, and the SIP dialog as opaque text; the outbox keeps everything an
-- OutboundMessage holds, so a restarted node can deliver or bounce it (DESIGN.md).

-- Addresses written by the router are already normalised (presence::Address): only their
-- shape is checked here, so a valid IDN or escaped local part is never refused.
CREATE FUNCTION fedgate_is_bare_address(address text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT address ~ '^[^@/[:space:]]+@[^@/[:space:]]+$'
$$;

ALTER TABLE subscriptions RENAME COLUMN target TO presentity;
ALTER TABLE subscriptions
  DROP CONSTRAINT subscriptions_watcher_form,
  DROP CONSTRAINT subscriptions_target_form,
  DROP CONSTRAINT subscriptions_direction_value,
  DROP CONSTRAINT subscriptions_state_value,
  DROP CONSTRAINT subscriptions_sip_dialog_object,
  DROP COLUMN direction,
  ADD COLUMN watcher_is_local boolean NOT NULL DEFAULT false;
ALTER TABLE subscriptions ALTER COLUMN sip_dialog DROP DEFAULT;
ALTER TABLE subscriptions ALTER COLUMN sip_dialog TYPE text USING '';
ALTER TABLE subscriptions ALTER COLUMN sip_dialog SET DEFAULT '';
ALTER TABLE subscriptions
  ADD CONSTRAINT subscriptions_watcher_bare_address CHECK (fedgate_is_bare_address(watcher)),
  ADD CONSTRAINT subscriptions_presentity_bare_address CHECK (fedgate_is_bare_address(presentity)),
  ADD CONSTRAINT subscriptions_state_value CHECK (
    state IN ('pending', 'active', 'polite_block', 'terminated'));

ALTER TABLE outbox
  DROP CONSTRAINT outbox_sender_form,
  DROP CONSTRAINT outbox_recipient_form,
  ADD CONSTRAINT outbox_sender_not_empty CHECK (sender <> ''),
  ADD CONSTRAINT outbox_recipient_not_empty CHECK (recipient <> ''),
  ADD COLUMN in_id text NOT NULL DEFAULT '',
  ADD COLUMN mode text NOT NULL DEFAULT 'xmpp_stanza'
    CONSTRAINT outbox_mode_value CHECK (mode IN ('xmpp_stanza', 'sip_session', 'sip_page')),
  ADD COLUMN formatted_body text NOT NULL DEFAULT '',
  ADD COLUMN formatted_type text NOT NULL DEFAULT '',
  ADD COLUMN subject text NOT NULL DEFAULT '',
  ADD COLUMN language text NOT NULL DEFAULT '',
  ADD COLUMN chat_state text NOT NULL DEFAULT 'none'
    CONSTRAINT outbox_chat_state_value CHECK (
      chat_state IN ('none', 'active', 'composing', 'paused', 'inactive', 'gone')),
  ADD COLUMN thread text NOT NULL DEFAULT '',
  ADD COLUMN bounce_condition text,
  ADD COLUMN bounce_text text;
