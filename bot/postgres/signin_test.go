package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/bot/staff"
)

var limits = staff.SignInLimits{Window: 15 * time.Minute, PerAddress: 10, PerDevice: 3, FreePerLogin: 5, MaxDelay: time.Minute}

// A login's tries pass freely five times, then with a doubling wait; an
// address stops after its limit; a known device counts only for itself;
// a right password gives its try back.
func TestReserveSignIn(t *testing.T) {
	ctx := context.Background()
	db := pgtest.DB(t)
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	type step struct {
		name      string
		attempt   staff.SignInAttempt
		ok        bool // a right password
		want      bool
		refused   string
		retry     time.Duration
		wantCount int // attempts counted for the login after the step (-1: not checked)
	}
	a := func(addr, login string, when time.Duration) staff.SignInAttempt {
		return staff.SignInAttempt{Address: addr, Login: login, At: at(when)}
	}
	dev := []byte("0123456789abcdef0123456789abcdef")
	steps := []step{
		{"1st", a("10.0.0.1", "boss", 0), false, true, "", 0, 1},
		{"2nd", a("10.0.0.2", "boss", 0), false, true, "", 0, 2},
		{"3rd", a("10.0.0.3", "boss", 0), false, true, "", 0, 3},
		{"4th", a("10.0.0.4", "boss", 0), false, true, "", 0, 4},
		{"5th, then a second's wait", a("10.0.0.5", "boss", 0), false, true, "", 0, 5},
		{"6th too soon", a("10.0.0.6", "boss", 500*time.Millisecond), false, false, "login", 500 * time.Millisecond, 5},
		{"6th after the wait, then two seconds", a("10.0.0.6", "boss", time.Second), false, true, "", 0, 6},
		{"7th too soon", a("10.0.0.7", "boss", 2*time.Second), false, false, "login", time.Second, 6},
		{"7th right, given back", a("10.0.0.7", "boss", 3*time.Second), true, true, "", 0, 6},
		{"a known device is not slowed", staff.SignInAttempt{Address: "10.0.0.1", Login: "boss", Device: dev, At: at(3 * time.Second)}, false, true, "", 0, 6},
		{"known device 2", staff.SignInAttempt{Address: "10.0.0.1", Login: "boss", Device: dev, At: at(3 * time.Second)}, false, true, "", 0, 6},
		{"known device 3", staff.SignInAttempt{Address: "10.0.0.1", Login: "boss", Device: dev, At: at(3 * time.Second)}, false, true, "", 0, 6},
		{"known device over its limit", staff.SignInAttempt{Address: "10.0.0.1", Login: "boss", Device: dev, At: at(4 * time.Second)}, false, false, "device", 15*time.Minute - 4*time.Second, 6},
		{"a new window starts clean", a("10.0.0.8", "boss", 15*time.Minute), false, true, "", 0, -1},
	}
	for i := range 10 {
		steps = append(steps, step{"address", a("10.9.9.9", "user"+string(rune('a'+i)), time.Minute), false, true, "", 0, -1})
	}
	steps = append(steps, step{"address over its limit", a("10.9.9.9", "other", 2*time.Minute), false, false, "address", 13 * time.Minute, -1})
	for _, s := range steps {
		v, err := db.ReserveSignIn(ctx, s.attempt, limits)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if v.Allowed != s.want || v.Refused != s.refused || v.RetryAfter != s.retry {
			t.Errorf("%s: got %+v, want allowed %v refused %q retry %v", s.name, v, s.want, s.refused, s.retry)
		}
		if s.ok && v.Allowed {
			if err := db.SignInSucceeded(ctx, s.attempt, v.Window); err != nil {
				t.Fatal(err)
			}
		}
		if s.wantCount >= 0 {
			var n int
			db.Pool.QueryRow(ctx, "SELECT attempts FROM signin_throttle WHERE scope = 'login' AND key = 'boss' AND window_start = $1", t0).Scan(&n)
			if n != s.wantCount {
				t.Errorf("%s: login attempts counted = %d, want %d", s.name, n, s.wantCount)
			}
		}
	}
	var throttled int
	db.Pool.QueryRow(ctx, "SELECT sum(throttled) FROM signin_throttle WHERE scope = 'login' AND key = 'boss'").Scan(&throttled)
	if throttled != 2 {
		t.Errorf("throttled tries of the login = %d, want 2", throttled)
	}
}

func TestDelaySchedule(t *testing.T) {
	for _, tt := range []struct {
		n    int
		want time.Duration
	}{{0, 0}, {4, 0}, {5, time.Second}, {6, 2 * time.Second}, {8, 8 * time.Second}, {10, 32 * time.Second}, {11, time.Minute}, {1000, time.Minute}} {
		if got := limits.Delay(tt.n); got != tt.want {
			t.Errorf("Delay(%d) = %v, want %v", tt.n, got, tt.want)
		}
	}
}

// The janitor deletes sign-in audit rows and counters older than the
// sign-in retention period and expired known devices; every other audit row
// stays.
func TestPurgeSignIns(t *testing.T) {
	ctx := context.Background()
	db := pgtest.DB(t)
	now := time.Now()
	old, fresh := now.Add(-91*24*time.Hour), now.Add(-time.Hour)
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := db.Pool.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	exec(`INSERT INTO staff_accounts (id, login, password_hash, role) VALUES (1, 'boss', 'x', 'admin')`)
	for _, action := range []string{"signin", "signin.failed", "signin.throttled", "signout", "account.create", "case.view"} {
		exec(`INSERT INTO audit_log (at, action, detail) VALUES ($1, $2, '{"ip": "10.0.0.1"}'), ($3, $2, '{}')`, old, action, fresh)
	}
	exec(`INSERT INTO signin_throttle (scope, key, window_start, attempts) VALUES ('login', 'boss', $1, 3), ('address', '10.0.0.1', $2, 1)`, old, fresh)
	exec(`INSERT INTO staff_devices (token_hash, staff_id, expires_at) VALUES ('\x01', 1, $1), ('\x02', 1, $2)`, now.Add(-time.Minute), now.Add(time.Hour))

	r := postgres.Retention{Messages: 90 * 24 * time.Hour, Referrals: 365 * 24 * time.Hour, Updates: 7 * 24 * time.Hour,
		Outbox: 30 * 24 * time.Hour, SignIns: 90 * 24 * time.Hour}
	got, err := db.Purge(ctx, r, now)
	if err != nil {
		t.Fatal(err)
	}
	if got.SignIns != 4 || got.SignInCounts != 1 || got.Devices != 1 {
		t.Errorf("Purge = %+v, want 4 sign-in rows, 1 counter, 1 device", got)
	}
	var left []string
	rows, _ := db.Pool.Query(ctx, "SELECT action FROM audit_log WHERE at < $1 ORDER BY action", now.Add(-90*24*time.Hour))
	for rows.Next() {
		var a string
		rows.Scan(&a)
		left = append(left, a)
	}
	if len(left) != 2 || left[0] != "account.create" || left[1] != "case.view" {
		t.Errorf("old audit rows left = %v, want [account.create case.view]", left)
	}
	var n int
	db.Pool.QueryRow(ctx, "SELECT count(*) FROM audit_log WHERE at > $1", now.Add(-2*time.Hour)).Scan(&n)
	if n != 6 {
		t.Errorf("recent audit rows left = %d, want 6", n)
	}
	// 0 means the default of 90 days, not "keep nothing".
	r.SignIns = 0
	exec(`INSERT INTO audit_log (at, action) VALUES ($1, 'signin')`, fresh)
	if got, _ := db.Purge(ctx, r, now); got.SignIns != 0 {
		t.Errorf("with SignIns 0 a fresh sign-in row was deleted")
	}
}

// Migration 4 on a database that already holds accounts, sessions and
// sign-in rows: everything stays, accounts need no new password, and the
// new tables work.
func TestMigrateSignInKeepsData(t *testing.T) {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, pgtest.EmptyURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	if _, err := postgres.Migrate(ctx, pool, migrationsUpTo(t, 3)); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{
		`INSERT INTO staff_accounts (id, login, password_hash, role, departments) VALUES (1, 'boss', '$argon2id$x', 'admin', '{}'), (2, 'leyla', '$argon2id$y', 'staff', '{baku}')`,
		`INSERT INTO staff_sessions (token_hash, staff_id, expires_at) VALUES ('\x0102', 2, now() + interval '1 hour')`,
		`INSERT INTO audit_log (staff_id, action, detail) VALUES (NULL, 'signin.failed', '{"login": "boss"}'), (2, 'signin', '{}')`,
	} {
		if _, err := pool.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	applied, err := postgres.Migrate(ctx, pool, migrationsUpTo(t, 4))
	if err != nil || len(applied) != 1 {
		t.Fatalf("migrate to 4: %d applied, %v", len(applied), err)
	}
	var accounts, pending, sessions, audits int
	pool.QueryRow(ctx, "SELECT count(*), count(*) FILTER (WHERE password_change_required) FROM staff_accounts").Scan(&accounts, &pending)
	pool.QueryRow(ctx, "SELECT count(*) FROM staff_sessions").Scan(&sessions)
	pool.QueryRow(ctx, "SELECT count(*) FROM audit_log").Scan(&audits)
	if accounts != 2 || pending != 0 || sessions != 1 || audits != 2 {
		t.Errorf("after migration: %d accounts (%d must change), %d sessions, %d audit rows; want 2, 0, 1, 2", accounts, pending, sessions, audits)
	}
	var hash string
	pool.QueryRow(ctx, "SELECT password_hash FROM staff_accounts WHERE login = 'leyla'").Scan(&hash)
	if hash != "$argon2id$y" {
		t.Errorf("password hash after migration = %q", hash)
	}
	for _, sql := range []string{
		`INSERT INTO staff_devices (token_hash, staff_id, expires_at) VALUES ('\x03', 2, now() + interval '1 day')`,
		`INSERT INTO signin_throttle (scope, key, window_start) VALUES ('login', 'boss', now())`,
	} {
		if _, err := pool.Exec(ctx, sql); err != nil {
			t.Errorf("%s: %v", sql, err)
		}
	}
	if _, err := pool.Exec(ctx, `INSERT INTO signin_throttle (scope, key, window_start) VALUES ('planet', 'x', now())`); err == nil {
		t.Errorf("an unknown scope was accepted")
	}
}
