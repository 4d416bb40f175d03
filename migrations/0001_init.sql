-- Why: the first schema of Yol. Everything a conversation, a referral and the
-- staff console need, designed so that a copy of the database alone reveals no
-- message, phone number, name or Telegram identity: personal values are sealed
-- by the application (AES-256-GCM, bytea columns ending in _enc, the key id is
-- inside each value) and Telegram ids are found through keyed hashes (_hash).

-- One row per person talking to the bot (per Telegram private chat).
CREATE TABLE conversations (
    id              bigserial PRIMARY KEY,
    chat_hash       bytea NOT NULL UNIQUE,          -- HMAC of the Telegram chat id
    chat_enc        bytea NOT NULL,                 -- sealed chat id, to send replies
    person          uuid NOT NULL DEFAULT gen_random_uuid(), -- pseudonym used in analytics_events
    channel         text NOT NULL DEFAULT 'telegram' CHECK (channel IN ('telegram', 'simulator', 'terminal')),
    language        text NOT NULL DEFAULT '',
    state_enc       bytea,                          -- sealed dialog state (JSON): answers are personal
    consent_at      timestamptz,
    campaign_source text NOT NULL DEFAULT '',       -- validated /start payload, not personal
    content_version text NOT NULL DEFAULT '',
    blocked_at      timestamptz,                    -- the person blocked the bot
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    last_seen_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversations_last_seen_idx ON conversations (last_seen_at);

-- The transcript. Kept only with consent; text deleted after the retention period.
CREATE TABLE messages (
    id              bigserial PRIMARY KEY,
    conversation_id bigint NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    direction       text NOT NULL CHECK (direction IN ('in', 'out', 'staff')),
    kind            text NOT NULL DEFAULT 'text',
    text_enc        bytea,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_conversation_idx ON messages (conversation_id, id);
CREATE INDEX messages_created_idx ON messages (created_at);

-- Every Telegram update seen, so that a redelivered update is handled once.
CREATE TABLE inbound_updates (
    update_id    bigint PRIMARY KEY,
    received_at  timestamptz NOT NULL DEFAULT now(),
    handled_at   timestamptz
);
CREATE INDEX inbound_updates_received_idx ON inbound_updates (received_at);

-- Replies waiting to be sent. Written in the same transaction as the state
-- change that caused them, drained by any number of senders (SKIP LOCKED).
CREATE TABLE outbox (
    id              bigserial PRIMARY KEY,
    conversation_id bigint REFERENCES conversations (id) ON DELETE CASCADE,
    chat_enc        bytea NOT NULL,                 -- sealed destination chat id
    method          text NOT NULL,                  -- Bot API method, e.g. sendMessage
    payload_enc     bytea NOT NULL,                 -- sealed request parameters (hold text)
    created_at      timestamptz NOT NULL DEFAULT now(),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    attempts        integer NOT NULL DEFAULT 0,
    sent_at         timestamptz,
    failed_at       timestamptz,                    -- given up (4xx other than 429)
    last_error      text NOT NULL DEFAULT ''        -- never holds user text or the token
);
CREATE INDEX outbox_pending_idx ON outbox (next_attempt_at, id) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_conversation_idx ON outbox (conversation_id, id) WHERE sent_at IS NULL AND failed_at IS NULL;

-- Staff accounts of the console. Departments are office ids from the knowledge base.
CREATE TABLE staff_accounts (
    id            bigserial PRIMARY KEY,
    login         text NOT NULL UNIQUE,
    name          text NOT NULL DEFAULT '',
    password_hash text NOT NULL,                    -- argon2id, PHC string
    role          text NOT NULL CHECK (role IN ('admin', 'staff', 'editor')),
    departments   text[] NOT NULL DEFAULT '{}',
    created_at    timestamptz NOT NULL DEFAULT now(),
    disabled_at   timestamptz
);

CREATE TABLE staff_sessions (
    token_hash   bytea PRIMARY KEY,                 -- SHA-256 of the cookie value
    staff_id     bigint NOT NULL REFERENCES staff_accounts (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);
CREATE INDEX staff_sessions_staff_idx ON staff_sessions (staff_id);

-- A case handed to a human. Personal fields are sealed and erased on /forget
-- or after the retention period; the row itself stays for aggregate counts.
CREATE TABLE referrals (
    id                bigserial PRIMARY KEY,
    code              text NOT NULL UNIQUE,         -- easy to read aloud
    conversation_id   bigint REFERENCES conversations (id) ON DELETE SET NULL,
    department        text NOT NULL,
    language          text NOT NULL DEFAULT '',
    pathway           text NOT NULL DEFAULT '',
    status            text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'claimed', 'contacted', 'appointment',
                          'submitted', 'regularized', 'not_eligible', 'no_response', 'withdrawn')),
    contact_method    text NOT NULL DEFAULT 'telegram' CHECK (contact_method IN ('telegram', 'phone')),
    summary_enc       bytea,                        -- answers and checklist shared with consent
    name_enc          bytea,
    phone_enc         bytea,
    claimed_by        bigint REFERENCES staff_accounts (id) ON DELETE SET NULL,
    appointment_at    timestamptz,
    appointment_place text NOT NULL DEFAULT '',
    reminded_at       timestamptz,
    campaign_source   text NOT NULL DEFAULT '',
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    closed_at         timestamptz,
    anonymised_at     timestamptz
);
CREATE INDEX referrals_queue_idx ON referrals (department, status, created_at);

CREATE TABLE referral_events (
    id          bigserial PRIMARY KEY,
    referral_id bigint NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    staff_id    bigint REFERENCES staff_accounts (id) ON DELETE SET NULL,
    from_status text NOT NULL DEFAULT '',
    to_status   text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX referral_events_referral_idx ON referral_events (referral_id, id);

CREATE TABLE referral_notes (
    id          bigserial PRIMARY KEY,
    referral_id bigint NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    staff_id    bigint REFERENCES staff_accounts (id) ON DELETE SET NULL,
    text_enc    bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX referral_notes_referral_idx ON referral_notes (referral_id, id);

-- Every staff sign-in, case view, export and change. Append-only: the console
-- has no statement that updates or deletes it.
CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    staff_id    bigint REFERENCES staff_accounts (id) ON DELETE SET NULL,
    action      text NOT NULL,
    referral_id bigint REFERENCES referrals (id) ON DELETE SET NULL,
    detail      jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log (at);

-- Funnel events for the campaign dashboard. person is a random pseudonym per
-- conversation, cut loose (set NULL) when the person asks to be forgotten.
CREATE TABLE analytics_events (
    id              bigserial PRIMARY KEY,
    at              timestamptz NOT NULL DEFAULT now(),
    person          uuid,
    name            text NOT NULL,
    language        text NOT NULL DEFAULT '',
    department      text NOT NULL DEFAULT '',
    campaign_source text NOT NULL DEFAULT '',
    props           jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX analytics_events_name_at_idx ON analytics_events (name, at);
CREATE INDEX analytics_events_person_idx ON analytics_events (person);

-- Small settings the channel keeps, such as the long-polling offset.
CREATE TABLE kv (
    key        text PRIMARY KEY,
    value      text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
