package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yol-project/yol/bot"
)

// Dead letters (migration 0006): replies Telegram kept refusing, given up
// so that their chats' next replies go, and kept for admins. Their text
// stays sealed; they are deleted with the other failed rows after the
// outbox's retention period, and with their conversation on /forget.

// Defaults of when a reply that keeps failing becomes a dead letter.
const (
	DefaultSendAttempts = 5
	DefaultSendGiveUp   = 10 * time.Minute
)

// GiveUpAfter says when a reply that keeps failing (5xx, network errors)
// becomes a dead letter: after n failed attempts, or d after its first
// failure (DB.SendAttempts and DB.SendGiveUp, else the defaults). The sender
// buries a reply only when Telegram answered something else since its
// first failure: in an outage nothing is given up.
func (db *DB) GiveUpAfter() (n int, d time.Duration) {
	n, d = db.SendAttempts, db.SendGiveUp
	if n <= 0 {
		n = DefaultSendAttempts
	}
	if d <= 0 {
		d = DefaultSendGiveUp
	}
	return n, d
}

// DeadLetterCount counts the dead letters kept (for the dashboard and the
// metric).
func (db *DB) DeadLetterCount(ctx context.Context) (int, error) {
	var n int
	if err := db.Pool.QueryRow(ctx, "SELECT count(*) FROM outbox WHERE dead_at IS NOT NULL").Scan(&n); err != nil {
		return 0, fmt.Errorf("count dead letters: %w", err)
	}
	return n, nil
}

// DeadLetters lists up to limit dead letters, the latest first, without
// their text.
func (db *DB) DeadLetters(ctx context.Context, limit int) ([]bot.DeadLetter, error) {
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	rows, err := db.Pool.Query(ctx, `SELECT id, coalesce(conversation_id, 0), created_at, dead_at, attempts, failures, last_error
		FROM outbox WHERE dead_at IS NOT NULL ORDER BY dead_at DESC, id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("dead letters: %w", err)
	}
	var out []bot.DeadLetter
	var d bot.DeadLetter
	_, err = pgx.ForEachRow(rows, []any{&d.ID, &d.ConversationID, &d.CreatedAt, &d.DeadAt, &d.Attempts, &d.Failures, &d.LastError},
		func() error { out = append(out, d); return nil })
	if err != nil {
		return nil, fmt.Errorf("dead letters: %w", err)
	}
	return out, nil
}

// RequeueDeadLetter gives a dead letter another chance (an admin's choice,
// once Telegram's problem is fixed): it goes out next in its chat.
// bot.ErrNotFound when id is not a dead letter.
func (db *DB) RequeueDeadLetter(ctx context.Context, id int64) error {
	tag, err := db.Pool.Exec(ctx, `UPDATE outbox SET dead_at = NULL, failed_at = NULL, failures = 0, first_failed_at = NULL,
		next_attempt_at = now() WHERE id = $1 AND dead_at IS NOT NULL AND sent_at IS NULL`, id)
	if err != nil {
		return fmt.Errorf("requeue dead letter: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return bot.ErrNotFound
	}
	return nil
}
