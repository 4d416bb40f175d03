package postgres

import (
	"context"
	"fmt"

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
