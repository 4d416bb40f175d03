-- Why: editors need to see which free-text questions found no good answer,
-- to grow the content where people need it. Questions are redacted before
-- they are stored (bot.Redact), sealed, and grouped by a keyed hash of their
-- normalised text, with counts; nothing links them to a person.
CREATE TABLE unanswered_questions (
    id         bigserial PRIMARY KEY,
    language   text NOT NULL,
    text_hash  bytea NOT NULL,
    text_enc   bytea NOT NULL,
    count      integer NOT NULL DEFAULT 1,
    first_seen timestamptz NOT NULL DEFAULT now(),
    last_seen  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (language, text_hash)
);
CREATE INDEX unanswered_questions_by_count ON unanswered_questions (count DESC, last_seen DESC);
