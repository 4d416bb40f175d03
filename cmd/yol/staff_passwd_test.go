package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/bot/web"
)

// yol staff passwd sets a new password (from stdin, or generated and
// printed once), ends the account's sessions and, with --temporary, makes
// it choose its own at the next sign-in.
func TestStaffPasswd(t *testing.T) {
	dbURL := pgtest.URL(t)
	env := map[string]string{"DATABASE_URL": dbURL}
	run := func(stdin string, args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		m := &Main{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return env[k] }}
		return m.Run(context.Background(), append([]string{"staff"}, args...)), out.String(), errOut.String()
	}
	if code, out, errOut := run("first long password\n", "add", "--login", "leyla", "--role", "editor"); code != 0 {
		t.Fatalf("staff add = %d: %s %s", code, out, errOut)
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	state := func() (hash string, mustChange bool, sessions int) {
		t.Helper()
		if err := conn.QueryRow(ctx, `SELECT password_hash, password_change_required, (SELECT count(*) FROM staff_sessions s WHERE s.staff_id = a.id)
			FROM staff_accounts a WHERE login = 'leyla'`).Scan(&hash, &mustChange, &sessions); err != nil {
			t.Fatal(err)
		}
		return
	}
	addSession := func() {
		t.Helper()
		if _, err := conn.Exec(ctx, `INSERT INTO staff_sessions (token_hash, staff_id, expires_at)
			SELECT sha256(random()::text::bytea), id, now() + interval '1 hour' FROM staff_accounts WHERE login = 'leyla'`); err != nil {
			t.Fatal(err)
		}
	}

	addSession()
	code, out, errOut := run("second long password\n", "passwd", "--login", "leyla")
	if code != 0 {
		t.Fatalf("passwd from stdin = %d: %s %s", code, out, errOut)
	}
	if strings.Contains(out+errOut, "second long") {
		t.Error("the password from stdin was echoed")
	}
	hash, mustChange, sessions := state()
	if ok, _ := web.CheckPassword(hash, "second long password"); !ok || mustChange || sessions != 0 {
		t.Errorf("after passwd from stdin: password set %v, must change %v, sessions %d; want true, false, 0", ok, mustChange, sessions)
	}

	addSession()
	code, out, _ = run("", "passwd", "--login", "leyla", "--temporary")
	m := regexp.MustCompile(`password \(shown once, keep it safe\): ([A-Z2-7]{26})\n`).FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("generated passwd = %d, want the password printed once:\n%s", code, out)
	}
	hash, mustChange, sessions = state()
	if ok, _ := web.CheckPassword(hash, m[1]); !ok || !mustChange || sessions != 0 {
		t.Errorf("after a generated --temporary passwd: password set %v, must change %v, sessions %d; want true, true, 0", ok, mustChange, sessions)
	}

	for _, tt := range []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  string
	}{
		{"no login", "", []string{"passwd"}, 2, "--login is required"},
		{"unknown login", "", []string{"passwd", "--login", "nobody"}, 1, `no account "nobody"`},
		{"short password", "short\n", []string{"passwd", "--login", "leyla"}, 1, "at least 12 characters"},
	} {
		code, _, errOut := run(tt.stdin, tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.want) {
			t.Errorf("%s: got %d %q, want %d and %q", tt.name, code, errOut, tt.code, tt.want)
		}
	}
	if n := strings.Count(out, m[1]); n != 1 {
		t.Errorf("the generated password is printed %d times, want once", n)
	}
}
