-- Why: a translator works on the texts of its own languages only (a native
-- Persian translator must not change the Russian texts: a bad translation is
-- a wrong instruction to a vulnerable person). content_languages is the set of
-- content languages a translator edits and marks reviewed: at least one for a
-- translator, never for another role (editors and admins work on every
-- language). The source language is never in it; only editors and admins
-- change it.
ALTER TABLE staff_accounts ADD COLUMN content_languages text[] NOT NULL DEFAULT '{}';

-- Existing translators keep every language they could edit before, so that
-- nothing breaks: the languages of the live content version's
-- locales/languages.yaml but its source, or, without a live version, the
-- languages of the default pack but English. Admins narrow them in the
-- console.
WITH pack AS (
    SELECT convert_from(f.data, 'UTF8') AS yaml
    FROM content_live l JOIN content_files f ON f.version_id = l.version_id AND f.path = 'locales/languages.yaml'
), source AS (
    SELECT coalesce((SELECT (regexp_match(yaml, '(?n)^source:\s*([A-Za-z0-9_-]+)'))[1] FROM pack), 'en') AS code
), codes AS (
    -- Only a language's own entry ("- {code: fa, ...}" or "- code: fa"),
    -- never a comment or a note that mentions code:.
    SELECT DISTINCT m[1] AS code FROM pack, regexp_matches(yaml, '(?n)^\s*-\s*\{?\s*code:\s*([A-Za-z0-9_-]+)', 'g') AS m
)
UPDATE staff_accounts SET content_languages = coalesce(
    (SELECT array_agg(code ORDER BY code) FROM codes WHERE code <> (SELECT code FROM source)),
    '{ar,az,fa,ru,tr,uz}')
WHERE role = 'translator';

ALTER TABLE staff_accounts ADD CONSTRAINT staff_accounts_content_languages_check
    CHECK (CASE WHEN role = 'translator' THEN cardinality(content_languages) > 0 ELSE cardinality(content_languages) = 0 END);
