package editor_test

import (
	"testing"

	"github.com/yol-project/yol/bot/editor"
)

// TestDiffNeedsApproval: legal text (by the pack's legal_texts prefixes), a
// fact or a dialog needs a second person; other texts and the search words
// do not; a pack without readable settings counts every text as legal.
func TestDiffNeedsApproval(t *testing.T) {
	settings := []byte("spec: 1\ncountry: AZ\nlegal_texts: [article., fee.]\n")
	parent := map[string][]byte{
		"knowledge/settings.yaml": settings,
		"knowledge/search.yaml":   []byte("spec: 1\nsynonyms: []\n"),
		"knowledge/offices.yaml":  []byte("offices:\n  - id: a\n    phone: \"+994 12 000\"\n"),
		"dialogs/main.yaml":       []byte("spec: 1\n"),
		"locales/kb.fa.yaml":      []byte("article.x.body: \"old\"\nfee.trp: \"10\"\n"),
		"locales/dialogs.fa.yaml": []byte("menu.title: \"Menu\"\nreferral.created: \"Done\"\n"),
	}
	with := func(p, s string) map[string][]byte {
		m := map[string][]byte{}
		for k, v := range parent {
			m[k] = v
		}
		m[p] = []byte(s)
		return m
	}
	for _, tc := range []struct {
		name  string
		draft map[string][]byte
		want  bool
		texts int
		files int
	}{
		{"nothing", with("dialogs/main.yaml", "spec: 1\n"), false, 0, 0},
		{"a menu text", with("locales/dialogs.fa.yaml", "menu.title: \"منو\"\nreferral.created: \"Done\"\n"), false, 1, 0},
		{"an article", with("locales/kb.fa.yaml", "article.x.body: \"new\"\nfee.trp: \"10\"\n"), true, 1, 0},
		{"a new legal text", with("locales/kb.ru.yaml", "fee.trp: \"10\"\n"), true, 1, 0},
		{"search words", with("knowledge/search.yaml", "spec: 1\nsynonyms: [a]\n"), false, 0, 1},
		{"a phone number", with("knowledge/offices.yaml", "offices:\n  - id: a\n    phone: \"+994 12 111\"\n"), true, 0, 1},
		{"a dialog", with("dialogs/main.yaml", "spec: 1\n# x\n"), true, 0, 1},
		{"no settings", with("knowledge/settings.yaml", ": bad"), true, 0, 1},
	} {
		c := editor.Diff(parent, tc.draft)
		if got := c.NeedsApproval(); got != tc.want {
			t.Errorf("%s: NeedsApproval = %v, want %v (%+v)", tc.name, got, tc.want, c)
		}
		if got := len(c.Texts); got != tc.texts {
			t.Errorf("%s: %d text changes, want %d", tc.name, got, tc.texts)
		}
		if got := len(c.Files); got != tc.files {
			t.Errorf("%s: %d file changes, want %d", tc.name, got, tc.files)
		}
	}
	c := editor.Diff(parent, with("locales/kb.fa.yaml", "article.x.body: \"new <b>\"\nfee.trp: \"10\"\n"))
	if got, want := c.Texts[0], (editor.TextChange{Lang: "fa", ID: "article.x.body", Old: "old", New: "new <b>", Legal: true}); got != want {
		t.Errorf("text change: got %+v, want %+v", got, want)
	}
	c = editor.Diff(parent, with("knowledge/offices.yaml", "offices:\n  - id: a\n    phone: \"+994 12 111\"\n"))
	if f := c.Files[0]; len(f.Removed) != 1 || f.Removed[0] != `    phone: "+994 12 000"` || len(f.Added) != 1 || f.Added[0] != `    phone: "+994 12 111"` {
		t.Errorf("fact diff: %+v", f)
	}
}
