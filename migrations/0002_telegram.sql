-- Why: the Telegram sender needs a send rate shared by every process, a
-- per-chat pace, and progress through replies that go out in several parts.

-- One row: the next free send slot of the whole bot. Each send advances it by
-- 1/rate inside an UPDATE ... RETURNING, so every process shares one rate.
CREATE TABLE telegram_rate (
    id        integer PRIMARY KEY CHECK (id = 1),
    next_slot timestamptz NOT NULL DEFAULT now()
);
INSERT INTO telegram_rate (id) VALUES (1);

-- The earliest time the next message may go to a conversation (per-chat pacing).
CREATE TABLE telegram_pace (
    conversation_id bigint PRIMARY KEY REFERENCES conversations (id) ON DELETE CASCADE,
    next_at         timestamptz NOT NULL
);

-- A reply longer than one Telegram message goes out in parts; a retry resumes
-- after the parts already sent.
ALTER TABLE outbox ADD COLUMN parts_sent integer NOT NULL DEFAULT 0;
