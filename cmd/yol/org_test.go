package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/yol-project/yol/bot/postgres/pgtest"
)

// TestOrgCommand: an admin adds a protection partner and free lawyers,
// lists them, edits one, retires one, and gives staff an organisation's
// id; mistakes get a clear message and exit 1 or 2, never a panic.
func TestOrgCommand(t *testing.T) {
	env := map[string]string{"DATABASE_URL": pgtest.URL(t)}
	run := func(stdin string, args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		m := &Main{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return env[k] }}
		return m.Run(context.Background(), args), out.String(), errOut.String()
	}
	if code, out, errOut := run("", "org", "add", "--id", "shelter_partner", "--kind", "protection", "--protects", "trafficking",
		"--name", "en=Shelter Partner,ru=Приют", "--cities", "baku", "--hours", "Mon-Fri 09:00-18:00"); code != 0 {
		t.Fatalf("org add = %d: %s %s", code, out, errOut)
	}
	if code, _, errOut := run("", "org", "add", "--id", "lawyers", "--kind", "legal_aid", "--name", "en=Free Lawyers"); code != 0 {
		t.Fatalf("org add lawyers = %d: %s", code, errOut)
	}
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"org", "add", "--id", "lawyers", "--kind", "legal_aid", "--name", "en=Again"}, 1, "exists already"},
		{[]string{"org", "add", "--id", "baku_central", "--kind", "legal_aid", "--name", "en=Taken"}, 1, "office of the content pack"},
		{[]string{"org", "add", "--id", "x_y", "--kind", "legal_aid", "--name", "en=X", "--cities", "atlantis"}, 1, "unknown city"},
		{[]string{"org", "add", "--id", "x_y", "--kind", "protection", "--name", "en=X"}, 1, "at least one danger"},
		{[]string{"org", "add", "--id", "x_y", "--kind", "legal_aid", "--name", "X"}, 2, "lang=name"},
		{[]string{"org", "add", "--kind", "legal_aid"}, 2, "required"},
		{[]string{"org", "edit", "--id", "nobody", "--kind", "legal_aid", "--name", "en=N"}, 1, "no organisation"},
		{[]string{"org", "retire", "nobody"}, 1, "no organisation"},
		{[]string{"org", "fly"}, 2, "Usage"},
	} {
		code, _, errOut := run("", tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v = %d %q, want %d and %q", tt.args, code, errOut, tt.code, tt.want)
		}
	}
	if code, _, errOut := run("", "org", "edit", "--id", "lawyers", "--kind", "legal_aid", "--name", "en=Free Lawyers,az=Pulsuz hüquqşünaslar", "--cities", "ganja"); code != 0 {
		t.Errorf("org edit = %d %s", code, errOut)
	}
	if code, _, errOut := run("", "org", "retire", "lawyers"); code != 0 {
		t.Errorf("org retire = %d %s", code, errOut)
	}
	code, out, _ := run("", "org", "list")
	if code != 0 || !strings.Contains(out, "shelter_partner") || !strings.Contains(out, "takes cases") || !strings.Contains(out, "retired") || !strings.Contains(out, "ganja") {
		t.Errorf("org list = %d:\n%s", code, out)
	}
	// Staff of the partner see its cases; a retired one takes no new staff.
	if code, _, errOut := run("a long password here\n", "staff", "add", "--login", "aysel", "--role", "staff", "--departments", "shelter_partner"); code != 0 {
		t.Errorf("staff of an organisation = %d %s", code, errOut)
	}
	if code, _, _ := run("a long password here\n", "staff", "add", "--login", "murad", "--role", "staff", "--departments", "lawyers"); code == 0 {
		t.Errorf("staff of a retired organisation was accepted")
	}
}
