package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// staleOffset is the age after which a stored offset is not used: after a
// week without updates Telegram starts update ids again from a random
// number, which may be below the old offset, and asking from the old offset
// would confirm (drop) the new updates unseen. Telegram itself remembers
// what was confirmed, and redelivered updates are skipped by update_id.
const staleOffset = 6 * 24 * time.Hour

// PollOffset returns the stored long-polling offset named name (the next
// update_id to ask Telegram for); 0 when none was stored or it is stale.
func (db *DB) PollOffset(ctx context.Context, name string) (int64, error) {
	var v string
	err := db.Pool.QueryRow(ctx, "SELECT value FROM kv WHERE key = $1 AND updated_at > now() - $2::bigint * interval '1 second'",
		"offset:"+name, int64(staleOffset/time.Second)).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read offset: %w", err)
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("read offset: %q is not a number", v)
	}
	return n, nil
}

// SetPollOffset stores the long-polling offset named name. It is called only
// after every update below offset has been committed.
func (db *DB) SetPollOffset(ctx context.Context, name string, offset int64) error {
	_, err := db.Pool.Exec(ctx, `INSERT INTO kv (key, value, updated_at) VALUES ($1, $2, now())
		ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`, "offset:"+name, strconv.FormatInt(offset, 10))
	if err != nil {
		return fmt.Errorf("store offset: %w", err)
	}
	return nil
}

// pollLockRetry is how often a waiting process tries the polling lock.
const pollLockRetry = 2 * time.Second

// HoldPollLock waits until this process holds the lock that lets one
// process at a time poll Telegram for the bot name (two pollers make
// Telegram answer 409 Conflict), or until ctx ends. The lock is a session
// advisory lock held on a connection of its own; release gives it back. If
// that connection breaks (PostgreSQL restarts), the server frees the lock.
func (db *DB) HoldPollLock(ctx context.Context, name string) (release func(), err error) {
	for {
		conn, err := db.Pool.Acquire(ctx)
		if err != nil {
			return nil, fmt.Errorf("poll lock: %w", err)
		}
		var got bool
		err = conn.QueryRow(ctx, "SELECT pg_try_advisory_lock(hashtextextended($1, 0))", "poll:"+name).Scan(&got)
		if err == nil && got {
			return func() {
				c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				conn.Exec(c, "SELECT pg_advisory_unlock(hashtextextended($1, 0))", "poll:"+name)
				conn.Release()
			}, nil
		}
		conn.Release()
		if err != nil {
			return nil, fmt.Errorf("poll lock: %w", err)
		}
		t := time.NewTimer(pollLockRetry)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}
