-- Why: nothing slow or poisoned may stall everyone (issue #12). A reply that
-- Telegram keeps refusing (5xx, network errors) was retried for ever and held
-- back every later reply of its chat: it now becomes a dead letter after a
-- bounded number of failures, kept (still sealed) for admins to see, and the
-- chat's next replies go. A free-text question for the model was answered
-- inside the message's transaction with the chat's row locked: the
-- conversation is now parked (committed, the model called outside any
-- transaction, the answer saved in a second short transaction), and what the
-- person sends meanwhile waits behind it, in order, sealed.

-- Transient failures of a reply (5xx, network, timeouts; not 429, which is
-- Telegram's pace), when the first happened, and when it was given up as a
-- dead letter (failed_at is set too, so nothing waits for it any more).
ALTER TABLE outbox ADD COLUMN failures integer NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN first_failed_at timestamptz;
ALTER TABLE outbox ADD COLUMN dead_at timestamptz;
CREATE INDEX outbox_dead_idx ON outbox (dead_at) WHERE dead_at IS NOT NULL;

-- A parked conversation waits for slow work (a model's answer) until
-- parked_until, a lease: after it any process may take the work over. Each
-- claim draws a new park_token, so that only the last claimant's outcome is
-- saved; park_attempts counts the claims of one park (a question that keeps
-- crashing its worker is answered without the model after a few).
ALTER TABLE conversations ADD COLUMN parked_until timestamptz;
ALTER TABLE conversations ADD COLUMN park_token bigint NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN park_attempts integer NOT NULL DEFAULT 0;
CREATE INDEX conversations_parked_idx ON conversations (parked_until) WHERE parked_until IS NOT NULL;

-- Messages that arrived while their conversation was parked, handled in
-- order once it is not. The message is sealed; rows go with the
-- conversation (/forget) and are deleted as they are handled.
CREATE TABLE queued_inbounds (
    id              bigserial PRIMARY KEY,
    conversation_id bigint NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    inbound_enc     bytea NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX queued_inbounds_conversation_idx ON queued_inbounds (conversation_id, id);
