package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/yol-project/yol/bot"
)

// Bulk sends (migration 0016): updates and reminders are outbox rows of
// priority 1. The Telegram sender claims them with ClaimBulk only with what
// the interactive replies leave of the global rate.

// ClaimBulk leases up to limit due bulk rows, like ClaimReplies, but only
// while the global send rate (telegram_rate, shared by every process) has
// at most headroom of slots reserved ahead: bulk rows never queue in front
// of a reply a person waits for, whatever process claims it.
func (db *DB) ClaimBulk(ctx context.Context, limit int, lease, headroom time.Duration, each func(o bot.Outgoing)) error {
	which := fmt.Sprintf(`o.priority = 1 AND (SELECT r.next_slot FROM telegram_rate r WHERE r.id = 1) <= clock_timestamp() + %d * interval '1 microsecond'`,
		headroom.Microseconds())
	if err := db.claim(ctx, which, limit, lease, each); err != nil {
		return fmt.Errorf("claim bulk: %w", err)
	}
	return nil
}
