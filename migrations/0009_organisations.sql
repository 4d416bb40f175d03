-- Why: a frightened person must be able to choose who reads their case
-- (issue #14). A referral went to a State Migration Service department
-- only; it now goes to an organisation: a department (the content pack
-- ships those it can source, and they are not stored here), a free legal
-- aid organisation or a protection partner, which admins add, edit and
-- retire. referrals.department holds the chosen organisation's id, as it
-- held the department's, so staff scopes (staff_accounts.departments) name
-- organisations the same way. Nothing here is personal data: names,
-- places served, a contact for admins, working hours.
CREATE TABLE organisations (
    id          text PRIMARY KEY CHECK (id ~ '^[a-z0-9_]{2,40}$'),
    kind        text NOT NULL CHECK (kind IN ('legal_aid', 'protection')),
    protects    text[] NOT NULL DEFAULT '{}',  -- asylum, trafficking, child (protection partners)
    names       jsonb NOT NULL,                -- {"en": "...", "az": "...", ...}
    cities      text[] NOT NULL DEFAULT '{}',  -- city ids of the pack; empty: the whole country
    contact     text NOT NULL DEFAULT '',
    hours       text NOT NULL DEFAULT '',
    languages   text[] NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    retired_at  timestamptz,
    CHECK ((kind = 'protection') = (cardinality(protects) > 0))
);

-- A case handed to an organisation of another kind waits for the person's
-- agreement (handover_to); until then it stays with the one that has it.
ALTER TABLE referrals ADD COLUMN handover_to text;
ALTER TABLE referrals ADD COLUMN handover_at timestamptz;

-- An honest wait: when staff first answered (a message to the person, or
-- a status past "claimed"), so that a person can be told how soon an
-- organisation usually answers, and when the person was told, once, that
-- their case waits longer than that.
ALTER TABLE referrals ADD COLUMN first_answered_at timestamptz;
ALTER TABLE referrals ADD COLUMN wait_noticed_at timestamptz;
UPDATE referrals r SET first_answered_at = e.at
FROM (SELECT referral_id, min(created_at) AS at FROM referral_events
      WHERE to_status NOT IN ('new', 'claimed') GROUP BY referral_id) e
WHERE e.referral_id = r.id;
CREATE INDEX referrals_answered_idx ON referrals (department, created_at) WHERE first_answered_at IS NOT NULL;
