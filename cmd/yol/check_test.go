package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyPack copies the built-in pack into a temporary folder an editor could change.
func copyPack(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	err := fs.WalkDir(embeddedPack(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dir, p), 0o755)
		}
		b, err := fs.ReadFile(embeddedPack(), p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, p), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func runCheck(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}
	code := m.Run(context.Background(), append([]string{"check"}, args...))
	return code, out.String() + errOut.String()
}

func TestCheckReportsFileAndLine(t *testing.T) {
	dir := copyPack(t)
	broken := "spec: 1\ndialogs:\n  oops:\n    nodes:\n      a:\n        say: no.such.message\n        next: nowhere\n"
	if err := os.WriteFile(filepath.Join(dir, "dialogs", "zz_broken.yaml"), []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out := runCheck(t, dir)
	if code != 1 {
		t.Errorf("exit code = %d, want 1", code)
	}
	if !strings.Contains(out, "dialogs/zz_broken.yaml:7:") || !strings.Contains(out, "nowhere") {
		t.Errorf("output does not point at dialogs/zz_broken.yaml:7 and the unknown node:\n%s", out)
	}
}

func TestCheckMissingTranslation(t *testing.T) {
	dir := copyPack(t)
	path := filepath.Join(dir, "locales", "dialogs.en.yaml")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Remove the text of the main menu's question from the source language.
	var kept []string
	for _, line := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(line, "menu.q:") {
			kept = append(kept, line)
		}
	}
	os.WriteFile(path, []byte(strings.Join(kept, "\n")), 0o644)
	code, out := runCheck(t, dir)
	if code != 1 || !strings.Contains(out, `message "menu.q" is missing in en`) {
		t.Errorf("exit %d; output does not report menu.q missing in en:\n%s", code, out)
	}
}

func TestCheckCoverageAndGraph(t *testing.T) {
	_, out := runCheck(t, "--coverage", copyPack(t))
	for _, want := range []string{"Translation coverage", "needs native review", "en", "ar"} {
		if !strings.Contains(out, want) {
			t.Errorf("coverage output lacks %q:\n%s", want, out)
		}
	}
	code, out := runCheck(t, "--graph", "main_menu", copyPack(t))
	if code != 0 || !strings.Contains(out, "flowchart") {
		t.Errorf("--graph = %d:\n%s", code, out)
	}
}

// TestShippedContentPasses: the built-in pack passes yol check with every
// text in every language.
func TestShippedContentPasses(t *testing.T) {
	code, out := runCheck(t, "--coverage", copyPack(t))
	if code != 0 {
		t.Fatalf("yol check of the shipped content = %d:\n%s", code, out)
	}
	if !strings.Contains(out, "0 error(s)") || strings.Contains(out, "missing in") {
		t.Errorf("shipped content is not complete:\n%s", out)
	}
}

// editLocale rewrites one message of a locale file of a copied pack.
func editLocale(t *testing.T, dir, file, id, text string) {
	t.Helper()
	path := filepath.Join(dir, "locales", file)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	found := false
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, id+":") {
			found = true
			if text == "" {
				continue
			}
			line = id + `: "` + text + `"`
		}
		out = append(out, line)
	}
	if !found {
		t.Fatalf("%s: no message %s", file, id)
	}
	if err := os.WriteFile(path, []byte(strings.Join(out, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCheckFailsOnAFallback: a text missing in a language (the person would
// read English) fails the check twice: the text is missing, and a
// conversation test in that language meets it.
func TestCheckFailsOnAFallback(t *testing.T) {
	dir := copyPack(t)
	editLocale(t, dir, "offices.fa.yaml", "hotline.police.what", "")
	code, out := runCheck(t, dir)
	if code != 1 {
		t.Errorf("exit code = %d, want 1", code)
	}
	for _, want := range []string{`message "hotline.police.what" is missing in fa`, "hotline.police.what is not translated into fa"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestCheckLatinWordsInAPersianText: English left in a Persian text is
// warned about, and a conversation test that shows it fails.
func TestCheckLatinWordsInAPersianText(t *testing.T) {
	dir := copyPack(t)
	editLocale(t, dir, "offices.fa.yaml", "hotline.police.what", "Police of the Ministry of Internal Affairs.")
	code, out := runCheck(t, dir)
	if code != 1 {
		t.Errorf("exit code = %d, want 1", code)
	}
	for _, want := range []string{`message "hotline.police.what" in fa holds Latin words "Police of the Ministry of Internal Affairs"`, `a line in fa holds Latin words`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// A name or a code is not a run of words.
	dir = copyPack(t)
	editLocale(t, dir, "offices.fa.yaml", "hotline.police.what", "پلیس (102, ASAN xidmət, www.mia.gov.az)")
	code, out = runCheck(t, dir)
	if code != 0 || !strings.Contains(out, "0 error(s), 0 warning(s)") {
		t.Errorf("a name and codes were taken for untranslated words (exit %d):\n%s", code, out)
	}
}
