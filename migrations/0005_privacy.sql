-- Why: three privacy and abuse fixes of issue #12.
--
-- 1. Unanswered questions were kept as typed (weakly redacted) and linked to
--    nobody, so /forget could not remove them and a question asked again kept
--    its first wording for ever. From now on every ask is its own row in
--    unanswered_asks: the redacted text (sealed), the person's pseudonym
--    (conversations.person) and when it was asked. /forget deletes the
--    person's asks (a group asked by others keeps its count, without the
--    person's link or text), the janitor deletes asks older than
--    YOL_RETENTION_DAYS, and a group with no ask left is deleted. The texts
--    recorded before this migration cannot be linked to anyone, so /forget
--    could never reach them: they are deleted here (only editors' statistics
--    are lost; the list starts again).
-- 2. referrals.appointment_place was plain text ("room 5, ask for Leyla").
--    It is sealed from now on, in appointment_place_enc. SQL cannot seal (the
--    key is not in the database): rows written before keep their plain value,
--    which Yol still reads, until `yol keys rotate` seals them and empties the
--    old column (it reports them as referrals.appointment_place). A referral
--    that is anonymised (/forget, retention) loses its place whichever
--    statement anonymises it (trigger below); the anonymised ones already
--    lose their plain place here.
-- 3. One open referral per conversation: a second request answers with the
--    open one's code, and a unique index makes sure that two parallel
--    requests cannot both create one. Conversations that already have several
--    open referrals keep the one staff worked on (else the oldest); the others
--    are closed as withdrawn, with an event in their history.

-- 1. Unanswered questions: one row per person and group, the text sealed.
CREATE TABLE unanswered_asks (
    id          bigserial PRIMARY KEY,
    question_id bigint NOT NULL REFERENCES unanswered_questions (id) ON DELETE CASCADE,
    person      uuid NOT NULL,                   -- conversations.person of who asked
    text_enc    bytea NOT NULL,                  -- sealed, redacted for editors
    asked_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (question_id, person)
);
CREATE INDEX unanswered_asks_person_idx ON unanswered_asks (person);
CREATE INDEX unanswered_asks_asked_idx ON unanswered_asks (asked_at);
DELETE FROM unanswered_questions;
ALTER TABLE unanswered_questions DROP COLUMN text_enc;

-- 2. The appointment place, sealed.
ALTER TABLE referrals ADD COLUMN appointment_place_enc bytea;
COMMENT ON COLUMN referrals.appointment_place IS 'legacy plain value of rows written before schema 5; emptied by yol keys rotate';
UPDATE referrals SET appointment_place = '' WHERE anonymised_at IS NOT NULL AND appointment_place <> '';

CREATE FUNCTION referrals_erase_place() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.anonymised_at IS NOT NULL THEN
        NEW.appointment_place_enc := NULL;
        NEW.appointment_place := '';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER referrals_erase_place BEFORE INSERT OR UPDATE ON referrals
    FOR EACH ROW EXECUTE FUNCTION referrals_erase_place();

-- 3. One open referral per conversation.
WITH ranked AS (
    SELECT id, status, row_number() OVER (PARTITION BY conversation_id
               ORDER BY (status = 'new'), created_at, id) AS n
    FROM referrals WHERE conversation_id IS NOT NULL AND closed_at IS NULL
), extra AS (
    UPDATE referrals r SET status = 'withdrawn', closed_at = now(), updated_at = now()
    FROM ranked WHERE ranked.id = r.id AND ranked.n > 1
    RETURNING r.id, ranked.status
)
INSERT INTO referral_events (referral_id, from_status, to_status) SELECT id, status, 'withdrawn' FROM extra;
CREATE UNIQUE INDEX referrals_one_open_idx ON referrals (conversation_id) WHERE closed_at IS NULL;
