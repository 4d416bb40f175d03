package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/staff"
)

// Staff accounts and console sessions. A session row holds only the SHA-256
// of the cookie's token: a copy of the database does not sign anyone in.

const accountColumns = `id, login, name, role, departments, password_hash, created_at, disabled_at IS NOT NULL, password_change_required, language, content_languages`

// scanAccount reads a staff account from a row, or returns bot.ErrNotFound.
func scanAccount(row pgx.Row) (*staff.Account, error) {
	var a staff.Account
	var role string
	err := row.Scan(&a.ID, &a.Login, &a.Name, &role, &a.Departments, &a.PasswordHash, &a.CreatedAt, &a.Disabled, &a.MustChangePassword, &a.Language, &a.ContentLanguages)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, bot.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load account: %w", err)
	}
	a.Role = staff.Role(role)
	return &a, nil
}

// CreateAccount stores a new account (a.PasswordHash already hashed) and
// sets a.ID; staff.ErrLoginTaken when the login exists. byStaff is the
// admin who created it (0 for the command line), for the audit log.
func (db *DB) CreateAccount(ctx context.Context, a *staff.Account, byStaff int64) error {
	if a.Departments == nil {
		a.Departments = []string{}
	}
	if a.ContentLanguages == nil {
		a.ContentLanguages = []string{}
	}
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO staff_accounts (login, name, password_hash, role, departments, language, content_languages) VALUES ($1, $2, $3, $4, $5, $6, $7)
			RETURNING id, created_at`, a.Login, a.Name, a.PasswordHash, string(a.Role), a.Departments, a.Language, a.ContentLanguages).Scan(&a.ID, &a.CreatedAt)
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "23505" {
			return staff.ErrLoginTaken
		}
		if err != nil {
			return fmt.Errorf("create account: %w", err)
		}
		detail := map[string]string{"login": a.Login, "role": string(a.Role)}
		if a.Language != "" {
			detail["language"] = a.Language
		}
		if len(a.ContentLanguages) > 0 {
			detail["content_languages"] = strings.Join(a.ContentLanguages, ",")
		}
		return audit(ctx, tx, staff.AuditEntry{StaffID: byStaff, Action: "account.create", Detail: detail})
	})
}

// CreateFirstAdmin stores a, an admin, only when no enabled admin exists
// (under a lock, so that two processes starting together make one). Its
// password was printed to the log, so it must choose a new one at its
// first sign-in. created is false when an admin already existed.
func (db *DB) CreateFirstAdmin(ctx context.Context, a *staff.Account) (created bool, err error) {
	err = pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "LOCK TABLE staff_accounts IN SHARE ROW EXCLUSIVE MODE"); err != nil {
			return fmt.Errorf("first admin: %w", err)
		}
		admin := string(staff.RoleAdmin)
		var exists bool
		if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM staff_accounts WHERE role = $1 AND disabled_at IS NULL)", admin).Scan(&exists); err != nil {
			return fmt.Errorf("first admin: %w", err)
		}
		if exists {
			return nil
		}
		if err := tx.QueryRow(ctx, `INSERT INTO staff_accounts (login, name, password_hash, role, departments, language, password_change_required)
			VALUES ($1, $2, $3, $4, '{}', $5, true)
			RETURNING id, created_at`, a.Login, a.Name, a.PasswordHash, admin, a.Language).Scan(&a.ID, &a.CreatedAt); err != nil {
			return fmt.Errorf("first admin: %w", err)
		}
		a.Role, a.MustChangePassword, created = staff.RoleAdmin, true, true
		return audit(ctx, tx, staff.AuditEntry{Action: "account.create", Detail: map[string]string{"login": a.Login, "role": admin, "by": "first start", "must_change": "true"}})
	})
	return created, err
}

// AccountByLogin returns the account with that login (disabled ones too).
func (db *DB) AccountByLogin(ctx context.Context, login string) (*staff.Account, error) {
	return scanAccount(db.Pool.QueryRow(ctx, "SELECT "+accountColumns+" FROM staff_accounts WHERE login = $1", login))
}

// Accounts lists every account by login.
func (db *DB) Accounts(ctx context.Context) ([]staff.Account, error) {
	rows, err := db.Pool.Query(ctx, "SELECT "+accountColumns+" FROM staff_accounts ORDER BY login")
	if err != nil {
		return nil, fmt.Errorf("accounts: %w", err)
	}
	defer rows.Close()
	var out []staff.Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, err
		}
		a.PasswordHash = ""
		out = append(out, *a)
	}
	return out, rows.Err()
}

// SetAccountDisabled disables or enables an account; disabling ends its sessions.
func (db *DB) SetAccountDisabled(ctx context.Context, id int64, disabled bool, byStaff int64) error {
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, "UPDATE staff_accounts SET disabled_at = CASE WHEN $2 THEN now() ELSE NULL END WHERE id = $1", id, disabled)
		if err != nil {
			return fmt.Errorf("disable account: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return bot.ErrNotFound
		}
		if disabled {
			if _, err := tx.Exec(ctx, "DELETE FROM staff_sessions WHERE staff_id = $1", id); err != nil {
				return fmt.Errorf("disable account: %w", err)
			}
		}
		action := "account.enable"
		if disabled {
			action = "account.disable"
		}
		return audit(ctx, tx, staff.AuditEntry{StaffID: byStaff, Action: action, Detail: map[string]string{"account": fmt.Sprint(id)}})
	})
}

// SetAccountLanguage sets the language an account's console is shown in
// ("" follows the browser) and audits the change; bot.ErrNotFound when
// there is no such account. The caller checks that lang is a staff language.
func (db *DB) SetAccountLanguage(ctx context.Context, id int64, lang string) error {
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, "UPDATE staff_accounts SET language = $2 WHERE id = $1", id, lang)
		if err != nil {
			return fmt.Errorf("set account language: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return bot.ErrNotFound
		}
		return audit(ctx, tx, staff.AuditEntry{StaffID: id, Action: "account.language", Detail: map[string]string{"language": lang}})
	})
}

// SetAccountContentLanguages sets the content languages translator id
// works on (byStaff is the admin) and audits the change as account.update;
// bot.ErrNotFound when there is no such account, staff.ErrNotTranslator
// when it is not a translator's. The caller checks that langs are languages of the
// content, and at least one.
func (db *DB) SetAccountContentLanguages(ctx context.Context, id int64, langs []string, byStaff int64) error {
	if langs == nil {
		langs = []string{}
	}
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		var login, role string
		err := tx.QueryRow(ctx, "SELECT login, role FROM staff_accounts WHERE id = $1 FOR UPDATE", id).Scan(&login, &role)
		if errors.Is(err, pgx.ErrNoRows) {
			return bot.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("set content languages: %w", err)
		}
		if staff.Role(role) != staff.RoleTranslator {
			return staff.ErrNotTranslator
		}
		if _, err := tx.Exec(ctx, "UPDATE staff_accounts SET content_languages = $2 WHERE id = $1", id, langs); err != nil {
			return fmt.Errorf("set content languages: %w", err)
		}
		return audit(ctx, tx, staff.AuditEntry{StaffID: byStaff, Action: "account.update",
			Detail: map[string]string{"account": fmt.Sprint(id), "login": login, "content_languages": strings.Join(langs, ",")}})
	})
}

// CreateSession stores a session of an account that just signed in and
// audits the sign-in. Older sessions of the same token are impossible (the
// token is fresh); the account's other sessions are left alone.
func (db *DB) CreateSession(ctx context.Context, tokenHash []byte, staffID int64, expires time.Time, ip string) error {
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "INSERT INTO staff_sessions (token_hash, staff_id, expires_at) VALUES ($1, $2, $3)", tokenHash, staffID, expires); err != nil {
			return fmt.Errorf("create session: %w", err)
		}
		// Expired sessions of everyone are cleaned up on the way.
		if _, err := tx.Exec(ctx, "DELETE FROM staff_sessions WHERE expires_at < now()"); err != nil {
			return fmt.Errorf("create session: %w", err)
		}
		return audit(ctx, tx, staff.AuditEntry{StaffID: staffID, Action: "signin", Detail: map[string]string{"ip": ip}})
	})
}

// SessionAccount returns the enabled account of a live session and marks
// the session seen. A session is live until its absolute expiry and while it
// was seen within idle; a dead one is deleted and bot.ErrNotFound returned.
func (db *DB) SessionAccount(ctx context.Context, tokenHash []byte, idle time.Duration) (*staff.Account, error) {
	a, err := scanAccount(db.Pool.QueryRow(ctx, `WITH s AS (
		UPDATE staff_sessions SET last_seen_at = now()
		WHERE token_hash = $1 AND expires_at > now() AND last_seen_at > now() - $2::bigint * interval '1 microsecond'
		RETURNING staff_id)
		SELECT `+accountColumns+` FROM staff_accounts WHERE id = (SELECT staff_id FROM s) AND disabled_at IS NULL`,
		tokenHash, idle.Microseconds()))
	if errors.Is(err, bot.ErrNotFound) {
		if _, derr := db.Pool.Exec(ctx, "DELETE FROM staff_sessions WHERE token_hash = $1", tokenHash); derr != nil {
			return nil, fmt.Errorf("session: %w", derr)
		}
	}
	return a, err
}

// DeleteSession ends a session (sign-out) and audits it.
func (db *DB) DeleteSession(ctx context.Context, tokenHash []byte, staffID int64) error {
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "DELETE FROM staff_sessions WHERE token_hash = $1", tokenHash); err != nil {
			return fmt.Errorf("sign out: %w", err)
		}
		return audit(ctx, tx, staff.AuditEntry{StaffID: staffID, Action: "signout"})
	})
}

// ChangePassword sets an account's new password, chosen by itself: a
// required change is done, and its other sessions end and its other known
// devices are forgotten (keepSession and keepDevice are the hashes of the
// browser's own; nil keeps none).
func (db *DB) ChangePassword(ctx context.Context, staffID int64, hash string, keepSession, keepDevice []byte) error {
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		if err := setPassword(ctx, tx, staffID, hash, false); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "DELETE FROM staff_sessions WHERE staff_id = $1 AND token_hash IS DISTINCT FROM $2", staffID, keepSession); err != nil {
			return fmt.Errorf("change password: %w", err)
		}
		if _, err := tx.Exec(ctx, "DELETE FROM staff_devices WHERE staff_id = $1 AND token_hash IS DISTINCT FROM $2", staffID, keepDevice); err != nil {
			return fmt.Errorf("change password: %w", err)
		}
		return audit(ctx, tx, staff.AuditEntry{StaffID: staffID, Action: "password.change"})
	})
}

// ResetPassword sets a password chosen for the account (by an admin,
// byStaff, or from the command line, 0): every session of the account ends
// and its known devices are forgotten; with mustChange the account has to
// choose a new password at its next sign-in. It returns the account's
// login, or bot.ErrNotFound.
func (db *DB) ResetPassword(ctx context.Context, staffID int64, hash string, mustChange bool, byStaff int64) (login string, err error) {
	err = pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, "SELECT login FROM staff_accounts WHERE id = $1 FOR UPDATE", staffID).Scan(&login); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return bot.ErrNotFound
			}
			return fmt.Errorf("reset password: %w", err)
		}
		if err := setPassword(ctx, tx, staffID, hash, mustChange); err != nil {
			return err
		}
		for _, sql := range []string{"DELETE FROM staff_sessions WHERE staff_id = $1", "DELETE FROM staff_devices WHERE staff_id = $1"} {
			if _, err := tx.Exec(ctx, sql, staffID); err != nil {
				return fmt.Errorf("reset password: %w", err)
			}
		}
		return audit(ctx, tx, staff.AuditEntry{StaffID: byStaff, Action: "password.reset",
			Detail: map[string]string{"account": fmt.Sprint(staffID), "login": login, "must_change": fmt.Sprint(mustChange)}})
	})
	return login, err
}

// setPassword stores a staff member's new password hash, and whether they
// must change it at their next sign-in.
func setPassword(ctx context.Context, tx pgx.Tx, staffID int64, hash string, mustChange bool) error {
	tag, err := tx.Exec(ctx, `UPDATE staff_accounts SET password_hash = $2, password_change_required = $3, password_changed_at = now()
		WHERE id = $1`, staffID, hash, mustChange)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return bot.ErrNotFound
	}
	return nil
}
