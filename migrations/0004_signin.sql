-- Why: sign-in hardening (issue #12). Sign-in attempts were counted from the
-- audit log after the password was hashed, so parallel guesses all got
-- checked, 20 failures from anywhere locked an account, and every refused
-- attempt wrote an audit row that nothing pruned. Now an attempt is counted
-- before its hash, in a small counter table per address, login and known
-- device and 15-minute window (signin_throttle; refused attempts are a count
-- there, not audit rows; rows are pruned with the sign-in audit rows after
-- YOL_SIGNIN_RETENTION_DAYS). A browser that signed in before is remembered
-- by the SHA-256 of a random cookie (staff_devices), so failures from
-- elsewhere do not slow it down. An admin can make an account choose a new
-- password at its next sign-in (password_change_required).

ALTER TABLE staff_accounts
    ADD COLUMN password_change_required boolean NOT NULL DEFAULT false,
    ADD COLUMN password_changed_at      timestamptz;

-- Browsers that signed in to an account before. Only the hash of the
-- cookie's random token is stored, as for sessions.
CREATE TABLE staff_devices (
    token_hash   bytea PRIMARY KEY,                 -- SHA-256 of the yol_device cookie
    staff_id     bigint NOT NULL REFERENCES staff_accounts (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);
CREATE INDEX staff_devices_staff_idx ON staff_devices (staff_id, last_used_at);

-- Sign-in attempts per window. scope 'address' keys by the client address
-- (an IPv6 /64), 'login' by the login as typed (lower case), 'device' by the
-- hex SHA-256 of a known device's token.
CREATE TABLE signin_throttle (
    scope        text NOT NULL CHECK (scope IN ('address', 'login', 'device')),
    key          text NOT NULL,
    window_start timestamptz NOT NULL,
    attempts     integer NOT NULL DEFAULT 0,        -- passwords checked and wrong, or being checked
    throttled    integer NOT NULL DEFAULT 0,        -- attempts refused before any check
    next_at      timestamptz,                       -- login: no password is checked before this time
    PRIMARY KEY (scope, key, window_start)
);
CREATE INDEX signin_throttle_window_idx ON signin_throttle (window_start);
