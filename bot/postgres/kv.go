package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"
)

// PollOffset returns the stored long-polling offset named name (the next
// update_id to ask Telegram for), 0 when none was stored.
func (db *DB) PollOffset(ctx context.Context, name string) (int64, error) {
	var v string
	err := db.Pool.QueryRow(ctx, "SELECT value FROM kv WHERE key = $1", "offset:"+name).Scan(&v)
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
