package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/staff"
)

// Handing a case to another organisation, and the honest wait (migration
// 0009).

// HandOver hands an open case in scope to the organisation to. When ask is
// false (an organisation of the same kind) the case moves at once and
// moved tells the person; when ask is true it waits for the person's
// agreement (AnswerHandover), stays where it is meanwhile, and ask's
// message (with its buttons) asks them. Audited either way.
func (db *DB) HandOver(ctx context.Context, sc staff.Scope, id, staffID int64, to string, ask bool, message staff.Outgoing) error {
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		c, err := db.lockCase(ctx, tx, sc, id, false)
		if err != nil {
			return err
		}
		if c.Status.Closed() {
			return fmt.Errorf("%w: the case is closed", staff.ErrHandover)
		}
		if to == c.Department {
			return fmt.Errorf("%w: the case is with this organisation already", staff.ErrHandover)
		}
		from := c.Department
		if ask {
			_, err = tx.Exec(ctx, "UPDATE referrals SET handover_to = $2, handover_at = now(), updated_at = now() WHERE id = $1", id, to)
		} else {
			// Claimed by someone of the old organisation: unclaimed for the new one.
			_, err = tx.Exec(ctx, `UPDATE referrals SET department = $2, handover_to = NULL, handover_at = NULL, claimed_by = NULL,
				status = CASE WHEN status = 'claimed' THEN 'new' ELSE status END, updated_at = now() WHERE id = $1`, id, to)
			c.Department = to
		}
		if err != nil {
			return fmt.Errorf("hand over: %w", err)
		}
		if err := db.notify(ctx, tx, c, message, bot.DirOut); err != nil {
			return err
		}
		return audit(ctx, tx, staff.AuditEntry{StaffID: staffID, Action: "case.handover", ReferralID: id,
			Detail: map[string]string{"from": from, "to": to, "asked": fmt.Sprint(ask)}})
	})
}

// AnswerHandover records the person's answer to a handover that waits for
// it (bot's handover buttons): agreed, the case goes to the organisation
// proposed; not, it stays. It returns the organisation the case is with
// afterwards, and bot.ErrNotFound when no handover waits.
func (t *tx) AnswerHandover(ctx context.Context, c *bot.Conversation, agree bool) (string, error) {
	ptx, err := t.now(ctx)
	if err != nil {
		return "", err
	}
	var id int64
	var dept, to string
	err = ptx.QueryRow(ctx, `SELECT id, department, handover_to FROM referrals
		WHERE conversation_id = $1 AND handover_to IS NOT NULL AND closed_at IS NULL ORDER BY id DESC LIMIT 1 FOR UPDATE`, c.ID).Scan(&id, &dept, &to)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", bot.ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("answer handover: %w", err)
	}
	action := "case.handover_declined"
	if agree {
		action, dept = "case.handover_agreed", to
		_, err = ptx.Exec(ctx, `UPDATE referrals SET department = handover_to, handover_to = NULL, handover_at = NULL, claimed_by = NULL,
			status = CASE WHEN status = 'claimed' THEN 'new' ELSE status END, updated_at = now() WHERE id = $1`, id)
	} else {
		_, err = ptx.Exec(ctx, "UPDATE referrals SET handover_to = NULL, handover_at = NULL, updated_at = now() WHERE id = $1", id)
	}
	if err != nil {
		return "", fmt.Errorf("answer handover: %w", err)
	}
	if err := audit(ctx, ptx, staff.AuditEntry{Action: action, ReferralID: id, Detail: map[string]string{"to": to}}); err != nil {
		return "", err
	}
	return dept, nil
}

// minWaitSample is how many answered cases of the last 30 days an
// organisation needs before Yol tells a person how soon it usually answers.
const minWaitSample = 5

// UsualWait implements the bot's wait lookup: the median time to a first
// answer of organisation's cases created in the 30 days before now, and
// false when fewer than minWaitSample were answered (nothing honest to
// say).
func (t *tx) UsualWait(ctx context.Context, organisation string, now time.Time) (time.Duration, bool, error) {
	ptx, err := t.now(ctx)
	if err != nil {
		return 0, false, err
	}
	return usualWait(ctx, ptx, organisation, now)
}

// usualWait is UsualWait through q.
func usualWait(ctx context.Context, q Querier, organisation string, now time.Time) (time.Duration, bool, error) {
	var n int
	var median float64
	err := q.QueryRow(ctx, `SELECT count(*), coalesce(percentile_cont(0.5) WITHIN GROUP
		(ORDER BY extract(epoch FROM first_answered_at - created_at)), 0)
		FROM referrals WHERE department = $1 AND first_answered_at IS NOT NULL AND created_at >= $2 AND created_at < $3`,
		organisation, now.Add(-30*24*time.Hour), now).Scan(&n, &median)
	if err != nil {
		return 0, false, fmt.Errorf("usual wait: %w", err)
	}
	if n < minWaitSample {
		return 0, false, nil
	}
	return time.Duration(median * float64(time.Second)), true, nil
}

// defaultWait is how long a case may wait for a first answer before the
// person is told, kindly, that it takes longer, when its organisation has
// no usual wait yet.
const defaultWait = 7 * 24 * time.Hour

// NoticeLongWaits tells the person of every open case not answered yet that
// waits longer than its organisation usually takes (defaultWait when it has
// no usual wait), once per case, with the message out builds. It returns
// how many were told.
func (db *DB) NoticeLongWaits(ctx context.Context, now time.Time, out staff.Outgoing) (int, error) {
	n := 0
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT DISTINCT department FROM referrals
			WHERE first_answered_at IS NULL AND wait_noticed_at IS NULL AND closed_at IS NULL AND conversation_id IS NOT NULL`)
		if err != nil {
			return fmt.Errorf("long waits: %w", err)
		}
		depts, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return fmt.Errorf("long waits: %w", err)
		}
		for _, d := range depts {
			wait, ok, err := usualWait(ctx, tx, d, now)
			if err != nil {
				return err
			}
			if !ok {
				wait = defaultWait
			}
			told, err := db.notifyDue(ctx, tx, out, "wait_noticed_at", now, `r.department = $1 AND r.first_answered_at IS NULL
				AND r.wait_noticed_at IS NULL AND r.closed_at IS NULL AND r.conversation_id IS NOT NULL AND r.created_at < $2`, d, now.Add(-wait))
			if err != nil {
				return fmt.Errorf("long waits: %w", err)
			}
			n += told
		}
		return nil
	})
	return n, err
}
