-- 0006: the SIP edge's subscription dialogs (issue 4; issue 6 step 8), so that after a
-- restart the node keeps notifying SIP watchers and receiving partners' NOTIFYs in the same
-- dialogs (same Call-ID, tags, route set, next CSeq) without anyone re-subscribing. One row per
-- subscription usage of one node, keyed by the usage (kind, Call-ID, our tag); `state` is the
-- agent's serialized usage (sip/bridge/agent_persist: "U1" around "S1"/"N1"), opaque here.
-- Written by the node that holds the dialog, coalesced; deleted when the usage ends.

CREATE TABLE sip_dialogs (
  node_id text NOT NULL CONSTRAINT sip_dialogs_node_id_present CHECK (node_id <> ''),
  usage_key text NOT NULL CONSTRAINT sip_dialogs_usage_key_present CHECK (usage_key <> ''),
  kind text NOT NULL
    CONSTRAINT sip_dialogs_kind_value CHECK (kind IN ('subscriber', 'notifier')),
  watcher text NOT NULL CONSTRAINT sip_dialogs_watcher_present CHECK (watcher <> ''),
  presentity text NOT NULL CONSTRAINT sip_dialogs_presentity_present CHECK (presentity <> ''),
  msrtc boolean NOT NULL DEFAULT false,
  state text NOT NULL CONSTRAINT sip_dialogs_state_present CHECK (state <> ''),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT sip_dialogs_pkey PRIMARY KEY (node_id, usage_key)
);
