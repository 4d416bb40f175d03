package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/yol-project/yol/bot/postgres/pgtest"
)

func TestStaffAdd(t *testing.T) {
	env := map[string]string{"DATABASE_URL": pgtest.URL(t)}
	run := func(stdin string, args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		m := &Main{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return env[k] }}
		return m.Run(context.Background(), append([]string{"staff", "add"}, args...)), out.String(), errOut.String()
	}
	code, out, errOut := run("correct horse battery staple\n", "--login", "leyla", "--role", "staff", "--departments", "baku_central")
	if code != 0 {
		t.Fatalf("staff add = %d: %s %s", code, out, errOut)
	}
	if strings.Contains(out+errOut, "correct horse") {
		t.Error("the password from stdin was echoed")
	}
	if code, _, errOut := run("another long password\n", "--login", "leyla", "--role", "staff", "--departments", "baku_central"); code != 1 || !strings.Contains(errOut, "exists already") {
		t.Errorf("a taken login = %d %q, want 1 and a clear message", code, errOut)
	}
	if code, _, errOut := run("another long password\n", "--login", "x", "--role", "staff", "--departments", "no_such_office"); code == 0 {
		t.Errorf("an unknown department was accepted: %q", errOut)
	}
	// Without stdin the password is generated and printed once.
	code, out, _ = run("", "--login", "rauf", "--role", "editor")
	if code != 0 || !strings.Contains(strings.ToLower(out), "password") {
		t.Errorf("generated password: %d %q", code, out)
	}
}
