package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// ClaimRun claims the run of scheduled job name for this interval: it
// returns true, and records the run, when the job last ran (in any replica
// on this database) at least every ago, or never; false when another
// replica ran it since. The database's clock decides, so replicas whose
// clocks differ still agree. A run claimed is not retried if it fails: the
// next interval runs it again.
func (db *DB) ClaimRun(ctx context.Context, name string, every time.Duration) (bool, error) {
	var claimed bool
	err := db.Pool.QueryRow(ctx, `INSERT INTO scheduled_runs (name, last_run) VALUES ($1, now())
		ON CONFLICT (name) DO UPDATE SET last_run = now()
		WHERE scheduled_runs.last_run <= now() - make_interval(secs => $2)
		RETURNING true`, name, every.Seconds()).Scan(&claimed)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("claim run of %s: %w", name, err)
	}
	return claimed, nil
}
