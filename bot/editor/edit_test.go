package editor_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/editor"
)

// TestSetTextChangesOneEntry: editing a text rewrites its entry alone (a
// multi-line block included), adds a missing one to the language's file of
// the same part, keeps every other byte, refuses plural texts and bad
// input, and the edited pack still loads.
func TestSetTextChangesOneEntry(t *testing.T) {
	files := map[string][]byte{
		"locales/dialogs.en.yaml": []byte("# head\na.one: \"One\"\na.block: |-\n  line 1\n  line 2\n\n# next\na.two: \"Two {{.x}}\"\na.plural:\n  one: \"1\"\n  other: \"n\"\n"),
		"locales/dialogs.fa.yaml": []byte("a.one: \"یک\"\na.block: |-\n  خط\n# note\na.two: \"دو {{.x}}\"\n"),
	}
	got, err := editor.SetText(files, "en", "fa", "a.block", "خط ۱\nخط ۲ <b> & \"quoted\"")
	if err != nil {
		t.Fatal(err)
	}
	want := "a.one: \"یک\"\na.block: \"خط ۱\\nخط ۲ <b> & \\\"quoted\\\"\"\n# note\na.two: \"دو {{.x}}\"\n"
	if string(got["locales/dialogs.fa.yaml"]) != want {
		t.Errorf("fa after the edit:\n%s\nwant:\n%s", got["locales/dialogs.fa.yaml"], want)
	}
	if string(got["locales/dialogs.en.yaml"]) != string(files["locales/dialogs.en.yaml"]) {
		t.Error("another file changed")
	}
	added, err := editor.SetText(files, "en", "ru", "a.two", "Два {{.x}}")
	if err != nil || string(added["locales/dialogs.ru.yaml"]) != "a.two: \"Два {{.x}}\"\n" {
		t.Errorf("a missing text: %q %v", added["locales/dialogs.ru.yaml"], err)
	}
	if _, err := editor.SetText(files, "en", "en", "a.plural", "x"); !errors.Is(err, editor.ErrNotEditable) {
		t.Errorf("a plural text: %v, want ErrNotEditable", err)
	}
	for _, bad := range [][3]string{{"xx1", "a.one", "x"}, {"fa", "A B", "x"}, {"fa", "a.one", "bad\x00"}, {"fa", "a.one", "\xff"}} {
		if _, err := editor.SetText(files, "en", bad[0], bad[1], bad[2]); err == nil {
			t.Errorf("SetText(%q) accepted", bad)
		}
	}
	// On the real pack: the edited text is what the pack then says.
	real, err := bot.PackFiles(os.DirFS("../.."))
	if err != nil {
		t.Fatal(err)
	}
	edited, err := editor.SetText(real, "en", "fa", "common.back", "⬅️ بازگشت")
	if err != nil {
		t.Fatal(err)
	}
	c, probs := bot.LoadPack(bot.PackFS(edited))
	if c == nil {
		t.Fatalf("the edited pack does not load: %v", probs)
	}
	if got := c.Texts.Text("fa", "common.back", nil, nil); got != "⬅️ بازگشت" {
		t.Errorf("common.back in fa = %q", got)
	}
	changed := 0
	for p := range real {
		if string(real[p]) != string(edited[p]) {
			changed++
		}
	}
	if changed != 1 {
		t.Errorf("%d files changed, want 1", changed)
	}
}

// TestTextProblems: the live checks name a lost placeholder, a button
// label too long for a phone, and an empty text.
func TestTextProblems(t *testing.T) {
	c, probs := bot.LoadPack(os.DirFS("../.."))
	if c == nil {
		t.Fatalf("the pack does not load: %v", probs)
	}
	for _, tt := range []struct{ id, text, want string }{
		{"referral.created", "Готово. Ваш код.", "console.texts.problem.placeholders"},
		{"referral.created", "Готово {{.referral_code}} {{.extra}}", "console.texts.problem.placeholders"},
		{"referral.department_other", strings.Repeat("другое ", 10), "console.texts.problem.too_long"},
		{"common.back", "  ", "console.texts.problem.empty"},
	} {
		if got := editor.TextProblems(c, "ru", tt.id, tt.text); len(got) == 0 || got[0] != tt.want {
			t.Errorf("%s %q: %v, want %s", tt.id, tt.text, got, tt.want)
		}
	}
	if got := editor.TextProblems(c, "ru", "referral.created", "Готово. Ваш код: {{.referral_code}}."); len(got) != 0 {
		t.Errorf("a good translation: %v", got)
	}
}

// TestAddSearchPhrase: a phrase for an article joins the language's list
// (every other line kept), and the pack then finds the article for it;
// bad phrases and targets are refused.
func TestAddSearchPhrase(t *testing.T) {
	real, err := bot.PackFiles(os.DirFS("../.."))
	if err != nil {
		t.Fatal(err)
	}
	const phrase = "qırmızı möhür kağızı"
	edited, err := editor.AddSearchPhrase(real, "article:registration_place_of_stay", "az", phrase)
	if err != nil {
		t.Fatal(err)
	}
	before, after := strings.Split(string(real["knowledge/search.yaml"]), "\n"), strings.Split(string(edited["knowledge/search.yaml"]), "\n")
	changed := 0
	for i := range before {
		if before[i] != after[i] {
			changed++
			if !strings.HasSuffix(after[i], ", "+phrase+"]") {
				t.Errorf("line %d: %q", i+1, after[i])
			}
		}
	}
	if changed != 1 || len(before) != len(after) {
		t.Errorf("%d lines changed (of %d → %d), want 1", changed, len(before), len(after))
	}
	c, probs := bot.LoadPack(bot.PackFS(edited))
	if c == nil {
		t.Fatalf("the edited pack does not load: %v", probs)
	}
	if got := c.SearchIndex().Route(phrase, "az").Articles(3); len(got) == 0 || got[0] != "registration_place_of_stay" {
		t.Errorf("the taught phrase routes to %v", got)
	}
	for _, bad := range [][3]string{{"article:x y", "en", "a"}, {"journey:menu", "en", "a"}, {"article:fines_overstay", "en", "a, b"},
		{"article:fines_overstay", "en", "[x]"}, {"article:fines_overstay", "en", strings.Repeat("a", 61)}, {"article:fines_overstay", "EN", "a"}} {
		if _, err := editor.AddSearchPhrase(real, bad[0], bad[1], bad[2]); err == nil {
			t.Errorf("AddSearchPhrase(%q) accepted", bad)
		}
	}
}
