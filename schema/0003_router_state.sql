-- 0003: the router's durable state (issue 5): subscriptions restored at start-up, the
-- presence cache that answers probes, bridged chat sessions, and the outbox of accepted but
-- undelivered instant messages (the IM durability point). Not policy: no version bumps.

CREATE TABLE subscriptions (
  id bigserial PRIMARY KEY,
  watcher text NOT NULL CONSTRAINT subscriptions_watcher_form CHECK (fedgate_is_user_address(watcher)),
  target text NOT NULL CONSTRAINT subscriptions_target_form CHECK (fedgate_is_user_address(target)),
  direction text NOT NULL
    CONSTRAINT subscriptions_direction_value CHECK (direction IN ('sip_to_xmpp', 'xmpp_to_sip')),
  state text NOT NULL DEFAULT 'pending'
    CONSTRAINT subscriptions_state_value CHECK (state IN ('pending', 'active', 'terminated')),
  sip_dialog jsonb NOT NULL DEFAULT '{}'
    CONSTRAINT subscriptions_sip_dialog_object CHECK (jsonb_typeof(sip_dialog) = 'object'),
  expires_at timestamptz,
  node_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT subscriptions_one_per_pair UNIQUE (watcher, target)
);
CREATE INDEX subscriptions_live ON subscriptions (target) WHERE state <> 'terminated';

CREATE TABLE presence_cache (
  address text PRIMARY KEY CONSTRAINT presence_cache_address_form CHECK (fedgate_is_user_address(address)),
  availability integer NOT NULL DEFAULT 18500
    CONSTRAINT presence_cache_availability_range CHECK (availability >= 0),
  show text NOT NULL DEFAULT 'unavailable'
    CONSTRAINT presence_cache_show_value CHECK (
      show IN ('', 'chat', 'away', 'xa', 'dnd', 'unavailable')),
  status_text text NOT NULL DEFAULT '',
  publish_time timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE chat_sessions (
  id bigserial PRIMARY KEY,
  local_user text NOT NULL CONSTRAINT chat_sessions_local_user_form CHECK (fedgate_is_user_address(local_user)),
  remote_user text NOT NULL CONSTRAINT chat_sessions_remote_user_form CHECK (fedgate_is_user_address(remote_user)),
  mode text NOT NULL DEFAULT 'session'
    CONSTRAINT chat_sessions_mode_value CHECK (mode IN ('session', 'page')),
  state text NOT NULL DEFAULT 'establishing'
    CONSTRAINT chat_sessions_state_value CHECK (state IN ('establishing', 'active', 'closed')),
  sip_dialog jsonb NOT NULL DEFAULT '{}'
    CONSTRAINT chat_sessions_sip_dialog_object CHECK (jsonb_typeof(sip_dialog) = 'object'),
  node_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_activity timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT chat_sessions_one_per_pair UNIQUE (local_user, remote_user)
);

CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  sender text NOT NULL CONSTRAINT outbox_sender_form CHECK (fedgate_is_user_address(sender)),
  recipient text NOT NULL CONSTRAINT outbox_recipient_form CHECK (fedgate_is_user_address(recipient)),
  body text NOT NULL,
  state text NOT NULL DEFAULT 'accepted'
    CONSTRAINT outbox_state_value CHECK (state IN ('accepted', 'delivering', 'delivered', 'bounced')),
  attempts integer NOT NULL DEFAULT 0 CONSTRAINT outbox_attempts_non_negative CHECK (attempts >= 0),
  node_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_undelivered ON outbox (created_at) WHERE state IN ('accepted', 'delivering');
