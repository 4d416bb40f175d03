-- Why: a placeholder on branch "phone" only, so that 0014 applies without a
-- gap here; migration 0013 belongs to another branch. Delete this file when
-- merging that branch.
SELECT 1;
