-- Why: the people who keep the content have their own roles (issue #15):
-- a translator edits the texts of the languages, an editor also facts,
-- teaching and publishing, a reviewer approves a draft that changes legal
-- text or a fact; staff stays the role of case workers. Existing accounts
-- keep their role.
ALTER TABLE staff_accounts DROP CONSTRAINT IF EXISTS staff_accounts_role_check;
ALTER TABLE staff_accounts ADD CONSTRAINT staff_accounts_role_check
    CHECK (role IN ('admin', 'staff', 'editor', 'translator', 'reviewer'));
