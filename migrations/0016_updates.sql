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
    subscribed_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX update_subscriptions_region_idx ON update_subscriptions (region);

-- Outbox rows say how urgent they are: 0 an interactive reply (a person is
-- waiting), 1 a bulk send (reminders, updates), sent with what is left of
-- the global rate. Rows queued before are all interactive.
ALTER TABLE outbox ADD COLUMN priority smallint NOT NULL DEFAULT 0 CHECK (priority IN (0, 1));
