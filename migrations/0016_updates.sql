-- Why: people may ask to be told when something changes (a new deadline, an
-- office's new hours), and reminders and updates must never delay a person who
-- is talking to the bot now (issue #16).

-- One row per person subscribed to updates. The language is the
-- conversation's own (updates are written per language); region, when set,
-- is the office id of the person's region (only updates for all or for that
-- region reach them). The row goes with the conversation (/forget, 403).
CREATE TABLE update_subscriptions (
    conversation_id bigint PRIMARY KEY REFERENCES conversations (id) ON DELETE CASCADE,
    region          text NOT NULL DEFAULT '',
    subscribed_at   timestamptz NOT NULL DEFAULT now(),
    last_update_id  bigint                          -- the last update queued to the person
);
CREATE INDEX update_subscriptions_region_idx ON update_subscriptions (region);

-- Outbox rows say how urgent they are: 0 an interactive reply (a person is
-- waiting), 1 a bulk send (reminders, updates), sent with what is left of
-- the global rate. Rows queued before are all interactive.
ALTER TABLE outbox ADD COLUMN priority smallint NOT NULL DEFAULT 0 CHECK (priority IN (0, 1));

-- An update staff write: a text per language of its audience (staff text,
-- not personal), the audience, when to send it, who approved it (a second
-- person, above 1,000 people) and what became of it.
CREATE TABLE updates (
    id             bigserial PRIMARY KEY,
    texts          jsonb NOT NULL DEFAULT '{}',     -- language code → text
    audience       text NOT NULL DEFAULT 'all' CHECK (audience IN ('all', 'language', 'region', 'campaign')),
    audience_value text NOT NULL DEFAULT '',
    send_at        timestamptz NOT NULL DEFAULT now(),
    created_by     bigint REFERENCES staff_accounts (id),
    created_at     timestamptz NOT NULL DEFAULT now(),
    approved_by    bigint REFERENCES staff_accounts (id),
    approved_at    timestamptz,
    queued_at      timestamptz,                     -- put in the outbox (once)
    queued         integer NOT NULL DEFAULT 0,
    unsubscribed   integer NOT NULL DEFAULT 0       -- people who stopped after receiving it
);

-- An outbox row of an update says which, for the counts of sent and failed.
ALTER TABLE outbox ADD COLUMN update_id bigint REFERENCES updates (id) ON DELETE SET NULL;
CREATE INDEX outbox_update_idx ON outbox (update_id) WHERE update_id IS NOT NULL;
CREATE INDEX outbox_bulk_pending_idx ON outbox (next_attempt_at, id) WHERE sent_at IS NULL AND failed_at IS NULL AND priority = 1;
