-- Why: campaign sources (issue #16). Every poster, brochure, video, meeting,
-- partner and social-media post carries its own Telegram deep link
-- (https://t.me/<bot>?start=<code>); staff create the sources in the console,
-- and the funnel counts what each one brought. The code is what a person's
-- conversation, analytics events and referrals keep in campaign_source; a
-- /start payload that names no source is kept as '?' (unknown source), never
-- as the text typed.
CREATE TABLE campaign_sources (
    id         bigserial PRIMARY KEY,
    code       text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9_-]{1,64}$'), -- the /start payload
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    region     text NOT NULL DEFAULT '' CHECK (length(region) <= 80),
    -- '' only for the codes that people had already come by before this
    -- migration (imported below): nobody recorded their medium.
    medium     text NOT NULL CHECK (medium IN ('poster', 'brochure', 'video', 'meeting', 'partner', 'social_media', '')),
    created_by bigint REFERENCES staff_accounts (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- The codes already in use keep counting as their own source.
INSERT INTO campaign_sources (code, name, medium)
SELECT code, code, '' FROM (
    SELECT campaign_source AS code FROM conversations
    UNION SELECT campaign_source FROM analytics_events
    UNION SELECT campaign_source FROM referrals
) used
WHERE code ~ '^[A-Za-z0-9_-]{1,64}$'
ON CONFLICT (code) DO NOTHING;
