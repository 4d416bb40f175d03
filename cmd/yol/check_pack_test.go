package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestCheckSecondPack: another country's campaign is another content pack:
// the second pack of the tests (Türkiye, in English and Turkish) passes
// yol check, its conversation tests included.
func TestCheckSecondPack(t *testing.T) {
	code, out := runCheck(t, filepath.Join("..", "..", "bot", "editor", "testdata", "pack2"))
	if code != 0 || !strings.Contains(out, "0 error(s), 0 warning(s)") {
		t.Errorf("yol check of the second pack = %d:\n%s", code, out)
	}
}

// rewrite changes a file of a copied pack.
func rewrite(t *testing.T, dir, file string, change func(string) string) {
	t.Helper()
	p := filepath.Join(dir, file)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	s := change(string(b))
	if s == string(b) {
		t.Fatalf("%s: nothing changed", file)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// lineOf returns the line number of the first line of file that starts
// with prefix.
func lineOf(t *testing.T, dir, file, prefix string) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, prefix) {
			return i + 1
		}
	}
	t.Fatalf("%s: no line starts with %q", file, prefix)
	return 0
}

// TestCheckSearchWords: the search words are part of the pack and checked
// with it, each problem at its line: an item that does not exist, a target
// of the wrong kind, a journey the dialogs lack, a language the pack does
// not speak.
func TestCheckSearchWords(t *testing.T) {
	const file = "knowledge/search.yaml"
	for _, tc := range []struct {
		name, from, to, want string
	}{
		{"unknown item", "  article:fines_overstay:\n", "  article:does_not_exist:\n", `synonyms: "article:does_not_exist": there is no article "does_not_exist"`},
		{"bad target", "  journey:documents:\n", "  pathway:documents:\n", `intents: "pathway:documents": a phrase opens a journey (journey:<command>) or shows an article (article:<id>)`},
		{"unknown journey", "  journey:documents:\n", "  journey:no_such_command:\n", `no command /no_such_command in the dialogs`},
		{"unknown language", "    fa: [جریمه,", "    xx: [جریمه,", `language "xx" is not one of the pack's (en, az, ru, fa, tr, uz, ar in locales/languages.yaml)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyPack(t)
			rewrite(t, dir, file, func(s string) string { return strings.Replace(s, tc.from, tc.to, 1) })
			line := lineOf(t, dir, file, strings.TrimSuffix(tc.to, "\n"))
			code, out := runCheck(t, dir)
			want := file + ":" + strconv.Itoa(line) + ": " + tc.want
			if code != 1 || !strings.Contains(out, want) {
				t.Errorf("exit %d; output lacks %q:\n%s", code, want, out)
			}
		})
	}
}

// TestCheckSettings: the settings are checked with the pack: the official
// language is one of the pack's, the menu's commands are the dialogs' and
// their descriptions exist in every language.
func TestCheckSettings(t *testing.T) {
	const file = "knowledge/settings.yaml"
	dir := copyPack(t)
	rewrite(t, dir, file, func(s string) string {
		s = strings.Replace(s, "official_language: az", "official_language: ka", 1)
		return strings.Replace(s, "  help: command.help\n", "  help: command.help\n  nosuch: command.nosuch\n", 1)
	})
	code, out := runCheck(t, dir)
	lang, menu := strconv.Itoa(lineOf(t, dir, file, "official_language:")), strconv.Itoa(lineOf(t, dir, file, "  nosuch:"))
	for _, want := range []string{
		file + ":" + lang + `: language "ka" is not one of the pack's`,
		file + ":" + menu + `: message "command.nosuch" is missing in en, az, ru, fa, tr, uz, ar`,
		file + ":" + menu + ": no command /nosuch in the dialogs",
	} {
		if code != 1 || !strings.Contains(out, want) {
			t.Errorf("exit %d; output lacks %q:\n%s", code, want, out)
		}
	}

	dir = copyPack(t)
	if err := os.Remove(filepath.Join(dir, file)); err != nil {
		t.Fatal(err)
	}
	if code, out := runCheck(t, dir); code != 1 || !strings.Contains(out, file+": missing") {
		t.Errorf("a pack without settings: exit %d:\n%s", code, out)
	}
}

// TestCheckNewerKnowledgeSpec: a knowledge file written for a newer
// program is refused with one clear message, not with its unknown fields.
func TestCheckNewerKnowledgeSpec(t *testing.T) {
	dir := copyPack(t)
	rewrite(t, dir, "knowledge/articles.yaml", func(s string) string {
		return strings.Replace(s, "spec: 1\n", "spec: 2\nfield_of_spec_2: true\n", 1)
	})
	code, out := runCheck(t, dir)
	want := "knowledge/articles.yaml:" + strconv.Itoa(lineOf(t, dir, "knowledge/articles.yaml", "spec:")) + ": spec 2 is newer than this program understands (1); update yol"
	if code != 1 || !strings.Contains(out, want) || strings.Contains(out, "field_of_spec_2") {
		t.Errorf("exit %d; want only %q:\n%s", code, want, out)
	}
}

// TestCheckWarningFormat: a warning is printed as every problem is,
// file:line: message, with " (warning)" after it, and does not fail.
func TestCheckWarningFormat(t *testing.T) {
	dir := copyPack(t)
	orphan := "spec: 1\ndialogs:\n  orphan:\n    nodes:\n      a:\n        say: menu.q\n        next: b\n      b:\n        end: true\n"
	if err := os.WriteFile(filepath.Join(dir, "dialogs", "zz_orphan.yaml"), []byte(orphan), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out := runCheck(t, dir)
	line := regexp.MustCompile(`(?m)^dialogs/zz_orphan\.yaml:3: dialog "orphan" is never used: no command, menu, call or goto leads to it \(warning\)$`)
	if code != 0 || !line.MatchString(out) || !strings.Contains(out, "0 error(s), 1 warning(s)") {
		t.Errorf("exit %d; the warning is not one line file:line: message (warning):\n%s", code, out)
	}
}
