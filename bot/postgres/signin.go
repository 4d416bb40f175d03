package postgres

import (
	"context"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yol-project/yol/bot/staff"
)

// Sign-in throttling and known devices. Every password try is counted in
// signin_throttle before the password is hashed, under a row lock, so that
// tries in flight count and every process sees the same numbers.

// maxDevicesPerAccount bounds the known devices kept per account (the
// newest are kept).
const maxDevicesPerAccount = 10

type throttleRow struct {
	scope, key string
	attempts   int
	next       *time.Time
}

// throttleKeys lists the counters an attempt counts against, in lock order.
func throttleKeys(a staff.SignInAttempt) []throttleRow {
	if a.Device != nil {
		return []throttleRow{{scope: "device", key: hex.EncodeToString(a.Device)}}
	}
	return []throttleRow{{scope: "address", key: a.Address}, {scope: "login", key: a.Login}}
}

// ReserveSignIn counts one attempt before its password is checked. An
// allowed attempt counts as a failure until SignInSucceeded takes it back;
// a refused one is only counted as throttled.
func (db *DB) ReserveSignIn(ctx context.Context, a staff.SignInAttempt, lim staff.SignInLimits) (staff.SignInVerdict, error) {
	window := a.At.Truncate(lim.Window)
	v := staff.SignInVerdict{Window: window}
	rows := throttleKeys(a)
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		for i := range rows {
			// The no-op update locks the row until the transaction ends.
			err := tx.QueryRow(ctx, `INSERT INTO signin_throttle (scope, key, window_start) VALUES ($1, $2, $3)
				ON CONFLICT (scope, key, window_start) DO UPDATE SET attempts = signin_throttle.attempts
				RETURNING attempts, next_at`, rows[i].scope, rows[i].key, window).Scan(&rows[i].attempts, &rows[i].next)
			if err != nil {
				return fmt.Errorf("count sign-in attempt: %w", err)
			}
		}
		v.Allowed = true
		for _, r := range rows {
			switch {
			case r.scope == "address" && r.attempts >= lim.PerAddress, r.scope == "device" && r.attempts >= lim.PerDevice:
				v.Allowed, v.Refused, v.RetryAfter = false, r.scope, window.Add(lim.Window).Sub(a.At)
			case r.scope == "login" && r.next != nil && r.next.After(a.At):
				v.Allowed, v.Refused, v.RetryAfter = false, r.scope, r.next.Sub(a.At)
			}
			if !v.Allowed {
				break
			}
		}
		for _, r := range rows {
			var err error
			switch {
			case !v.Allowed:
				_, err = tx.Exec(ctx, `UPDATE signin_throttle SET throttled = throttled + 1 WHERE scope = $1 AND key = $2 AND window_start = $3`,
					r.scope, r.key, window)
			case r.scope == "login":
				next := a.At.Add(lim.Delay(r.attempts + 1))
				_, err = tx.Exec(ctx, `UPDATE signin_throttle SET attempts = attempts + 1, next_at = $4 WHERE scope = $1 AND key = $2 AND window_start = $3`,
					r.scope, r.key, window, next)
			default:
				_, err = tx.Exec(ctx, `UPDATE signin_throttle SET attempts = attempts + 1 WHERE scope = $1 AND key = $2 AND window_start = $3`,
					r.scope, r.key, window)
			}
			if err != nil {
				return fmt.Errorf("count sign-in attempt: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return staff.SignInVerdict{}, err
	}
	return v, nil
}

// SignInSucceeded takes back the attempt ReserveSignIn counted in window:
// the password was right.
func (db *DB) SignInSucceeded(ctx context.Context, a staff.SignInAttempt, window time.Time) error {
	for _, r := range throttleKeys(a) {
		if _, err := db.Pool.Exec(ctx, `UPDATE signin_throttle SET attempts = greatest(attempts - 1, 0)
			WHERE scope = $1 AND key = $2 AND window_start = $3`, r.scope, r.key, window); err != nil {
			return fmt.Errorf("sign-in succeeded: %w", err)
		}
	}
	return nil
}

// KnownDevice reports whether tokenHash is a live known device of the
// enabled account with that login.
func (db *DB) KnownDevice(ctx context.Context, tokenHash []byte, login string, now time.Time) (bool, error) {
	var known bool
	err := db.Pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM staff_devices d JOIN staff_accounts a ON a.id = d.staff_id
		WHERE d.token_hash = $1 AND a.login = $2 AND d.expires_at > $3 AND a.disabled_at IS NULL)`, tokenHash, login, now).Scan(&known)
	if err != nil {
		return false, fmt.Errorf("known device: %w", err)
	}
	return known, nil
}

// RememberDevice stores a known device of an account that just signed in
// (or renews it), keeping the account's newest few.
func (db *DB) RememberDevice(ctx context.Context, tokenHash []byte, staffID int64, expires time.Time) error {
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO staff_devices (token_hash, staff_id, expires_at) VALUES ($1, $2, $3)
			ON CONFLICT (token_hash) DO UPDATE SET last_used_at = now(), expires_at = EXCLUDED.expires_at
			WHERE staff_devices.staff_id = EXCLUDED.staff_id`, tokenHash, staffID, expires); err != nil {
			return fmt.Errorf("remember device: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM staff_devices WHERE staff_id = $1 AND token_hash NOT IN
			(SELECT token_hash FROM staff_devices WHERE staff_id = $1 ORDER BY last_used_at DESC LIMIT $2)`, staffID, maxDevicesPerAccount); err != nil {
			return fmt.Errorf("remember device: %w", err)
		}
		return nil
	})
}
