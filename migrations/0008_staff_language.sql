-- Why: staff work in their language (issue #14). The officers and
-- caseworkers who read referrals work in Azerbaijani and Russian, and the
-- console was English only. Each account now keeps the language its console
-- is shown in (a code of the pack's staff languages: az, ru, en); empty means
-- "follow the browser" (its Accept-Language), which is what every existing
-- account gets. Nothing here is personal data.
ALTER TABLE staff_accounts ADD COLUMN language text NOT NULL DEFAULT '';
