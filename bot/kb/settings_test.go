package kb_test

import (
	"testing"
	"testing/fstest"

	"github.com/yol-project/yol/bot/kb"
)

// TestRealSettings: the default pack is Azerbaijan's, and says so in its
// settings rather than in code.
func TestRealSettings(t *testing.T) {
	s := loadReal(t).Settings()
	if s.Country != "AZ" || s.OfficialLanguage != "az" || s.Currency != "AZN" || s.TimeZone != "Asia/Baku" {
		t.Errorf("settings = %+v", s)
	}
	if got := s.Location().String(); got != "Asia/Baku" {
		t.Errorf("Location() = %s, want Asia/Baku", got)
	}
	var menu []string
	for _, c := range s.CommandMenu {
		menu = append(menu, c.Command+"="+c.Description)
	}
	want := []string{"menu=command.menu", "check=command.check", "documents=command.documents", "office=command.office",
		"person=command.person", "status=command.status", "language=command.language", "mydata=command.mydata", "settings=command.settings",
		"forget=command.forget", "help=command.help"}
	if len(menu) != len(want) {
		t.Fatalf("command menu = %v, want %v", menu, want)
	}
	for i := range want {
		if menu[i] != want[i] {
			t.Errorf("command menu[%d] = %s, want %s (in the order written)", i, menu[i], want[i])
		}
	}
}

// TestWithoutSettings: a pack without settings.yaml still loads (yol check
// asks for one), its time is UTC, and a fee must then name its currency.
func TestWithoutSettings(t *testing.T) {
	fsys := fixture(t, "")
	delete(fsys, "knowledge/settings.yaml")
	b, probs := kb.Load(fsys, "knowledge")
	if b == nil {
		t.Fatalf("Load without settings.yaml: %v", probs)
	}
	if s := b.Settings(); s.Location().String() != "UTC" || s.Country != "" {
		t.Errorf("settings without the file = %+v (zone %s)", s, s.Location())
	}
}

// TestFeeCurrencyFromSettings: a fee without a currency takes the pack's.
func TestFeeCurrencyFromSettings(t *testing.T) {
	fsys := fixture(t, "")
	fsys["knowledge/documents.yaml"] = &fstest.MapFile{Data: []byte(`documents:
  - id: passport_copy
    title: d.passport_copy.title
    what: d.passport_copy.what
    how_to_get: d.passport_copy.how
    cost: [{label: d.fee, amount: 5, legal_basis: "Law", sources: [src]}]
    sources: [src]
    verified_on: 2026-11-28
  - id: new_passport
    title: d.new_passport.title
    what: d.new_passport.what
    how_to_get: d.new_passport.how
    sources: [src]
    verified_on: 2026-11-28
`)}
	b, probs := kb.Load(fsys, "knowledge")
	if b == nil {
		t.Fatalf("Load: %v", probs)
	}
	if got := b.Document("passport_copy").Cost[0].Currency; got != "AZN" {
		t.Errorf("currency = %q, want the pack's AZN", got)
	}
	delete(fsys, "knowledge/settings.yaml")
	if b, _ := kb.Load(fsys, "knowledge"); b != nil {
		t.Error("a fee without a currency loaded in a pack that names none")
	}
}

// TestRefsForThePackCheck: the commands and languages the knowledge names
// come with their place, for the check of the whole pack.
func TestRefsForThePackCheck(t *testing.T) {
	b := loadReal(t)
	var journey, menu bool
	for _, c := range b.CommandRefs() {
		if c.Line == 0 || c.File == "" {
			t.Errorf("command %s without a place", c.Command)
		}
		journey = journey || c.Command == "documents" && c.File == "knowledge/search.yaml"
		menu = menu || c.Command == "menu" && c.File == "knowledge/settings.yaml"
	}
	if !journey || !menu {
		t.Errorf("CommandRefs lacks journey:documents of search.yaml (%v) or /menu of settings.yaml (%v)", journey, menu)
	}
	langs := map[string]bool{}
	for _, l := range b.LanguageRefs() {
		if l.Line == 0 {
			t.Errorf("language %s of %s without a line", l.Lang, l.File)
		}
		langs[l.File+" "+l.Lang] = true
	}
	for _, want := range []string{"knowledge/settings.yaml az", "knowledge/search.yaml fa", "knowledge/articles.yaml ru"} {
		if !langs[want] {
			t.Errorf("LanguageRefs lacks %s", want)
		}
	}
}
