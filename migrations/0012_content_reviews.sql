-- Why: a console draft is published only after a second person approved it, and
-- a native speaker's review of a translated text is kept with the text it read
-- (issue #15).
-- A draft made in the console is published only after a second person
-- approved it (a legal text or a fact reaches frightened people).
ALTER TABLE content_versions ADD COLUMN approved_by text;
ALTER TABLE content_versions ADD COLUMN approved_at timestamptz;

-- A native speaker's review of one translated text: it holds while the
-- text is the one reviewed (text_sha, the sha256 of the text as written).
CREATE TABLE text_reviews (
    lang        text NOT NULL,
    message_id  text NOT NULL,
    text_sha    text NOT NULL,
    reviewer    text NOT NULL,
    reviewed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (lang, message_id)
);

-- Unanswered questions become teaching: an editor gives a group of
-- unanswered questions a search phrase for an article or a journey; the
-- phrase goes into a draft, and the group leaves the editors' list once
-- that draft has been published.
CREATE TABLE unanswered_taught (
    question_id bigint PRIMARY KEY REFERENCES unanswered_questions (id) ON DELETE CASCADE,
    version_id  bigint NOT NULL REFERENCES content_versions (id) ON DELETE CASCADE,
    taught_by   text NOT NULL,
    taught_at   timestamptz NOT NULL DEFAULT now()
);
