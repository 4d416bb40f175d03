-- Why: staff at campaign scale (issue #18). A department holds hundreds of
-- open cases: staff find one by the code the person was told to keep, page
-- through all of them, sort by last activity, and see which ones the
-- person wrote to since their assignee last looked.

-- Codes are looked up folded: capitals, no dash or space, O read as 0 and
-- I as 1 (Yol's codes use neither, so a misread letter still finds its
-- case).
CREATE INDEX referrals_code_folded_idx ON referrals (translate(upper(code), 'OI- ', '01'));

-- When the person last wrote while the case was open, and when its
-- assignee last opened it: the case is unread when the first is later.
ALTER TABLE referrals ADD COLUMN person_wrote_at timestamptz;
ALTER TABLE referrals ADD COLUMN read_at timestamptz;

-- The queue's pages, by age and by last activity (the later of a staff
-- change and the person's message), for one organisation and for all.
CREATE INDEX referrals_age_idx ON referrals (department, created_at, id);
CREATE INDEX referrals_age_all_idx ON referrals (created_at, id);
CREATE INDEX referrals_activity_idx ON referrals (department, (greatest(updated_at, coalesce(person_wrote_at, updated_at))) DESC, id DESC);
CREATE INDEX referrals_activity_all_idx ON referrals ((greatest(updated_at, coalesce(person_wrote_at, updated_at))) DESC, id DESC);
