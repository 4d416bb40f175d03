-- Why: what the person's phone shows (issue #17). Yol deletes the chat's
-- messages from Telegram on /forget and on "Hide"; a bot may delete both
-- sides of a private chat for 48 hours, so the ids of the last 48 hours
-- are kept, sealed, with the conversation. Notices Yol sends unasked are
-- discreet by default: a neutral line first, the details held here until
-- the person taps "show".

-- The Telegram message ids of a conversation (the person's and the bot's),
-- sealed; pruned after 48 hours, deleted with the conversation.
CREATE TABLE chat_messages (
    id              bigserial PRIMARY KEY,
    conversation_id bigint NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    message_enc     bytea NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chat_messages_conversation ON chat_messages (conversation_id, id);
CREATE INDEX chat_messages_created ON chat_messages (created_at);

-- Discreet notices: on unless the person turned them off in /settings.
ALTER TABLE conversations ADD COLUMN discreet_notices boolean NOT NULL DEFAULT true;

-- The details of a discreet notice, sealed, until the person taps "show"
-- (then deleted); deleted with the conversation, purged with the messages.
CREATE TABLE held_notices (
    id              bigserial PRIMARY KEY,
    conversation_id bigint NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    payload_enc     bytea NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX held_notices_conversation ON held_notices (conversation_id);
