package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yol-project/yol/bot/staff"
)

// The audit log is append-only: this file has the only statements that touch
// audit_log, an INSERT, SELECTs and the retention janitor's DELETE of
// sign-in rows. Nothing in Yol updates a row, and the console deletes none;
// rows outlive the staff account and the referral they name, whose ids
// become NULL. Sign-in rows (which hold addresses, and logins as typed) are
// deleted after the sign-in retention period; every other row is kept.

// purgeSignInAuditSQL deletes the sign-in rows older than $1 ("signin.throttled"
// rows were written before refused attempts became counts).
const purgeSignInAuditSQL = `DELETE FROM audit_log WHERE action IN ('signin', 'signin.failed', 'signin.throttled', 'signout') AND at < $1`

// audit appends one entry, inside the caller's transaction when q is one.
func audit(ctx context.Context, q Querier, e staff.AuditEntry) error {
	detail := e.Detail
	if detail == nil {
		detail = map[string]string{}
	}
	var by, ref *int64
	if e.StaffID != 0 {
		by = &e.StaffID
	}
	if e.ReferralID != 0 {
		ref = &e.ReferralID
	}
	if _, err := q.Exec(ctx, "INSERT INTO audit_log (staff_id, action, referral_id, detail) VALUES ($1, $2, $3, $4)",
		by, e.Action, ref, detail); err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

// Audit appends one entry to the audit log.
func (db *DB) Audit(ctx context.Context, e staff.AuditEntry) error {
	return audit(ctx, db.Pool, e)
}

// AuditOnce appends e unless the same entry (account, action, case and
// detail) was written at or after since; added says whether it was. Two
// callers at once write one entry: they take turns on a lock of the entry.
func (db *DB) AuditOnce(ctx context.Context, e staff.AuditEntry, since time.Time) (added bool, err error) {
	detail := e.Detail
	if detail == nil {
		detail = map[string]string{}
	}
	err = pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		key, err := json.Marshal([]any{e.StaffID, e.Action, e.ReferralID, detail}) // maps marshal in key order
		if err != nil {
			return fmt.Errorf("audit %s: %w", e.Action, err)
		}
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", string(key)); err != nil {
			return fmt.Errorf("audit %s: %w", e.Action, err)
		}
		var seen bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM audit_log WHERE at >= $1 AND staff_id IS NOT DISTINCT FROM nullif($2::bigint, 0)
			AND action = $3 AND referral_id IS NOT DISTINCT FROM nullif($4::bigint, 0) AND detail = $5::jsonb)`,
			since, e.StaffID, e.Action, e.ReferralID, detail).Scan(&seen); err != nil {
			return fmt.Errorf("audit %s: %w", e.Action, err)
		}
		if seen {
			return nil
		}
		added = true
		return audit(ctx, tx, e)
	})
	return added, err
}

// AuditLog returns entries newest first, those with an id below before when
// before is not 0, at most limit (default 200).
func (db *DB) AuditLog(ctx context.Context, before int64, limit int) ([]staff.AuditEntry, error) {
	if limit <= 0 || limit > 5000 {
		limit = 200
	}
	rows, err := db.Pool.Query(ctx, `SELECT a.id, a.at, coalesce(a.staff_id, 0), coalesce(s.login, ''), a.action, coalesce(a.referral_id, 0), a.detail
		FROM audit_log a LEFT JOIN staff_accounts s ON s.id = a.staff_id
		WHERE ($1::bigint = 0 OR a.id < $1::bigint) ORDER BY a.id DESC LIMIT $2`, before, limit)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	defer rows.Close()
	var out []staff.AuditEntry
	for rows.Next() {
		var e staff.AuditEntry
		if err := rows.Scan(&e.ID, &e.At, &e.StaffID, &e.Staff, &e.Action, &e.ReferralID, &e.Detail); err != nil {
			return nil, fmt.Errorf("audit log: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
