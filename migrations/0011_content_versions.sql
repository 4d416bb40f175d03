-- Why: the people who keep the guidance right publish without a
-- developer (issue #15). A content version is a whole pack (dialogs,
-- knowledge, locales, search words, settings), stored here with its
-- author, time, parent and checksum; exactly one is live, and every
-- replica loads it at start and switches within seconds of a publish
-- (NOTIFY yol_content, and a periodic check as a fallback). The files are
-- content, not personal data: they are kept as they are.
CREATE TABLE content_versions (
    id           bigserial PRIMARY KEY,
    parent_id    bigint REFERENCES content_versions (id),
    author       text NOT NULL,
    note         text NOT NULL DEFAULT '',
    checksum     text NOT NULL,               -- sha256 of the files (path, size, bytes), hex
    created_at   timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz                  -- last time it was made live
);
CREATE INDEX content_versions_checksum_idx ON content_versions (checksum);

CREATE TABLE content_files (
    version_id bigint NOT NULL REFERENCES content_versions (id) ON DELETE CASCADE,
    path       text NOT NULL CHECK (path ~ '^(dialogs|knowledge|locales)/[A-Za-z0-9_./-]+\.yaml$' AND path NOT LIKE '%..%'),
    data       bytea NOT NULL,
    PRIMARY KEY (version_id, path)
);

-- The one live version.
CREATE TABLE content_live (
    id           integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    version_id   bigint NOT NULL REFERENCES content_versions (id),
    published_at timestamptz NOT NULL DEFAULT now(),
    published_by text NOT NULL
);
