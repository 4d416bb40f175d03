package main

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/migrations"
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

// TestStaffAddContentRoles: yol staff add creates translators (for the
// languages given) and reviewers, refuses a role that does not exist with a
// message that names the roles, and a translator without a language, or
// for the source language, with a message that names the languages.
func TestStaffAddContentRoles(t *testing.T) {
	env := map[string]string{"DATABASE_URL": pgtest.URL(t)}
	for _, tc := range []struct {
		login, role, langs string
		code               int
		want               string // in the output (code 0) or the error
	}{
		{"tara", "translator", "fa,ru", 0, "created translator account \"tara\" for the texts of ru, fa"},
		{"rena", "reviewer", "", 0, "created reviewer account"},
		{"lara", "lawyer", "", 1, "translator, editor, reviewer"},
		{"tina", "translator", "", 1, "at least one language to translate (az, ru, fa, tr, uz, ar)"},
		{"toma", "translator", "en", 1, `content language "en": want one of az, ru, fa`},
	} {
		var out, errOut bytes.Buffer
		m := &Main{Stdin: strings.NewReader("correct horse battery staple\n"), Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return env[k] }}
		code := m.Run(context.Background(), []string{"staff", "add", "--login", tc.login, "--role", tc.role, "--languages", tc.langs})
		if code != tc.code {
			t.Errorf("%s: got %d, want %d (%s %s)", tc.login, code, tc.code, out.String(), errOut.String())
		}
		got := out.String()
		if tc.code != 0 {
			got = errOut.String()
		}
		if !strings.Contains(got, tc.want) {
			t.Errorf("%s: got %q, want it to contain %q", tc.login, got, tc.want)
		}
	}
}

// TestStaffAddUsesTheLiveContent: the languages (and offices) a new
// account may get are the live version's, as in the console, not those of
// the files of the binary.
func TestStaffAddUsesTheLiveContent(t *testing.T) {
	url := pgtest.URL(t)
	ctx := context.Background()
	db, err := postgres.Open(ctx, url, pgtest.Keys(t), migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	files, err := bot.PackFiles(os.DirFS("../.."))
	if err != nil {
		t.Fatal(err)
	}
	// The live version has no Uzbek.
	for p := range files {
		if strings.HasSuffix(p, ".uz.yaml") {
			delete(files, p)
		}
	}
	files["locales/languages.yaml"] = []byte(regexp.MustCompile(`(?m)^.*code: uz.*\n`).ReplaceAllString(string(files["locales/languages.yaml"]), ""))
	id, _, err := db.PushContent(ctx, files, "test", "no Uzbek", 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.PublishContent(ctx, id, "test"); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"DATABASE_URL": url}
	run := func(login, langs string) (int, string) {
		var out, errOut bytes.Buffer
		m := &Main{Stdin: strings.NewReader("correct horse battery staple\n"), Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return env[k] }}
		return m.Run(ctx, []string{"staff", "add", "--login", login, "--role", "translator", "--languages", langs}), out.String() + errOut.String()
	}
	if code, out := run("ulug", "uz"); code != 1 || !strings.Contains(out, `content language "uz"`) {
		t.Errorf("a language the live content lacks: got %d %q, want 1 naming it", code, out)
	}
	if code, out := run("farah", "fa"); code != 0 {
		t.Errorf("a language of the live content: got %d %q, want 0", code, out)
	}
}
