-- Why: every replica runs the hourly retention purge; one row per scheduled
-- job says when it last ran, so that one replica runs it per interval and the
-- others skip it (issue #16: scheduled work without two replicas doing the
-- same job twice). Nothing personal: a job's name and a time.
CREATE TABLE scheduled_runs (
    name     text PRIMARY KEY,
    last_run timestamptz NOT NULL
);
