package kb_test

import (
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"go.yaml.in/yaml/v3"

	"github.com/yol-project/yol/bot/kb"
)

var update = flag.Bool("update", false, "rewrite testdata/broken/*/want.txt from the current output")

// loadReal loads the real knowledge directory of the repository.
func loadReal(t testing.TB) *kb.Base {
	t.Helper()
	b, probs := kb.Load(os.DirFS("../.."), "knowledge")
	for _, p := range probs {
		t.Errorf("%s", p)
	}
	if b == nil {
		t.Fatalf("Load(knowledge) = nil, %d problems", len(probs))
	}
	return b
}

// fixture builds a knowledge dir from testdata/valid, with the files of
// testdata/broken/<name> (if name is not empty) replacing the valid ones.
func fixture(t testing.TB, name string) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	for _, dir := range []string{"testdata/valid", filepath.Join("testdata/broken", name)} {
		if name == "" && dir != "testdata/valid" {
			continue
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".yaml") {
				continue
			}
			data, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			fsys["knowledge/"+e.Name()] = &fstest.MapFile{Data: data}
		}
	}
	return fsys
}

func loadFixture(t testing.TB) *kb.Base {
	t.Helper()
	b, probs := kb.Load(fixture(t, ""), "knowledge")
	if len(probs) > 0 || b == nil {
		t.Fatalf("Load(valid fixture): %v", probs)
	}
	return b
}

func TestLoadRealKnowledge(t *testing.T) {
	b := loadReal(t)
	if got := len(b.Questions()); got < 6 || got > 10 {
		t.Errorf("questions: got %d, want 6 to 10", got)
	}
	for _, q := range b.Questions() {
		ok := false
		for _, a := range q.Answers {
			ok = ok || a.ID == kb.Unknown
		}
		if !ok {
			t.Errorf("question %s: no %q answer", q.ID, kb.Unknown)
		}
	}
	if len(b.Pathways()) < 10 || len(b.Documents()) < 10 || len(b.Articles()) < 10 {
		t.Errorf("got %d pathways, %d documents, %d articles; want at least 10 each",
			len(b.Pathways()), len(b.Documents()), len(b.Articles()))
	}
	for _, id := range []string{"fines_overstay", "registration_place_of_stay", "at_the_office", "rights_protections",
		"children_born_here", "stateless_persons", "lost_documents", "fees_vs_scams", "free_legal_help", "emergency_numbers"} {
		if b.Article(id) == nil {
			t.Errorf("Article(%q) = nil, want the article the brief asks for", id)
		}
	}
}

func TestEveryFactHasASource(t *testing.T) {
	b := loadReal(t)
	check := func(what string, sources []string, verified string) {
		t.Helper()
		if len(sources) == 0 {
			t.Errorf("%s: no sources", what)
		}
		for _, s := range sources {
			if b.Source(s) == nil {
				t.Errorf("%s: source %q not found", what, s)
			}
		}
		if len(verified) != len("2006-01-02") {
			t.Errorf("%s: verified_on %q", what, verified)
		}
	}
	fees := func(owner string, fs []kb.Fee, verified string) {
		for _, f := range fs {
			v := f.VerifiedOn
			if v == "" {
				v = verified
			}
			check(owner+" fee "+f.Label, f.Sources, v)
			if f.Amount == nil || f.Currency == "" || f.LegalBasis == "" {
				t.Errorf("%s fee %s: amount, currency and legal basis are required", owner, f.Label)
			}
		}
	}
	for _, p := range b.Pathways() {
		check("pathway "+p.ID, p.Sources, p.VerifiedOn)
		fees("pathway "+p.ID, p.Fees, p.VerifiedOn)
		for _, term := range []*kb.Term{p.Processing, p.Validity} {
			if term != nil {
				check("pathway "+p.ID+" "+term.Text, term.Sources, p.VerifiedOn)
			}
		}
		if len(p.Steps) == 0 || len(p.ApplyAt) == 0 {
			t.Errorf("pathway %s: needs steps and apply_at", p.ID)
		}
		if p.Unconfirmed && p.Note == "" {
			t.Errorf("pathway %s: unconfirmed without a note", p.ID)
		}
	}
	for _, d := range b.Documents() {
		check("document "+d.ID, d.Sources, d.VerifiedOn)
		fees("document "+d.ID, d.Cost, d.VerifiedOn)
	}
	for _, a := range b.Articles() {
		check("article "+a.ID, a.Sources, a.VerifiedOn)
	}
	for _, o := range b.Offices() {
		check("office "+o.ID, o.Sources, o.VerifiedOn)
	}
	for _, h := range b.Hotlines() {
		check("hotline "+h.ID, h.Sources, h.VerifiedOn)
	}
	for _, s := range b.Sources() {
		if !strings.HasPrefix(s.URL, "http") || s.Publisher == "" || s.Accessed == "" {
			t.Errorf("source %s: url, publisher and accessed are required", s.ID)
		}
	}
}

// TestEnglishTexts checks that every message ID the knowledge uses, and the
// common ones, has an English text in locales/kb.en.yaml or
// locales/offices.en.yaml, and that those files have no text nobody uses.
func TestEnglishTexts(t *testing.T) {
	b := loadReal(t)
	texts := map[string]any{}
	for _, f := range []string{"../../locales/kb.en.yaml", "../../locales/offices.en.yaml"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var part map[string]any
		if err := yaml.Unmarshal(data, &part); err != nil {
			t.Fatal(err)
		}
		for k, v := range part {
			texts[k] = v
		}
	}
	used := map[string]bool{}
	for _, m := range b.MessageIDs() {
		used[m.ID] = true
		switch v := texts[m.ID].(type) {
		case string:
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s:%d: %s: empty English text", m.File, m.Line, m.ID)
			}
		case map[string]any:
			if _, ok := v["other"]; !ok {
				t.Errorf("%s:%d: %s: plural text without 'other'", m.File, m.Line, m.ID)
			}
		default:
			t.Errorf("%s:%d: %s: no English text in locales/kb.en.yaml or offices.en.yaml", m.File, m.Line, m.ID)
		}
	}
	for _, id := range kb.CommonMessageIDs() {
		used[id] = true
		if texts[id] == nil {
			t.Errorf("common message %s: no English text", id)
		}
	}
	var unused []string
	for id := range texts {
		if !used[id] {
			unused = append(unused, id)
		}
	}
	sort.Strings(unused)
	for _, id := range unused {
		t.Errorf("locales/kb.en.yaml, offices.en.yaml: %s is not used by the knowledge", id)
	}
}

func TestMessageRefsHaveLines(t *testing.T) {
	b := loadReal(t)
	refs := b.MessageIDs()
	if len(refs) == 0 {
		t.Fatal("no message IDs")
	}
	for _, m := range refs {
		if m.Line <= 0 || !strings.HasPrefix(m.File, "knowledge/") {
			t.Errorf("%s: got %s:%d, want a knowledge file and a line", m.ID, m.File, m.Line)
		}
	}
}

func TestValidFixture(t *testing.T) {
	b := loadFixture(t)
	if got, want := len(b.Offices()), 2; got != want {
		t.Errorf("offices: got %d, want %d", got, want)
	}
	if got, want := len(b.Hotlines()), 1; got != want {
		t.Errorf("hotlines: got %d, want %d", got, want)
	}
}

func TestLoadWithoutOffices(t *testing.T) {
	fsys := fixture(t, "")
	delete(fsys, "knowledge/offices.yaml")
	b, probs := kb.Load(fsys, "knowledge")
	if len(probs) > 0 {
		t.Fatalf("got %v, want no problems (offices.yaml is optional)", probs)
	}
	if got := b.Nearest(40.4, 49.8, 3); len(got) != 0 {
		t.Errorf("Nearest without offices: got %d, want 0", len(got))
	}
}

func TestLoadMissingFile(t *testing.T) {
	fsys := fixture(t, "")
	delete(fsys, "knowledge/pathways.yaml")
	b, probs := kb.Load(fsys, "knowledge")
	if b != nil || len(probs) != 1 {
		t.Fatalf("got %v, %v; want nil and one problem", b, probs)
	}
	if got, want := probs[0].String(), "knowledge/pathways.yaml: cannot read the file: file does not exist"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestBrokenFixtures loads each testdata/broken/<case> (its files replace the
// valid fixture's) and compares the problems with want.txt.
func TestBrokenFixtures(t *testing.T) {
	cases, err := os.ReadDir("testdata/broken")
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 10 {
		t.Fatalf("got %d broken fixtures, want at least 10", len(cases))
	}
	for _, c := range cases {
		t.Run(c.Name(), func(t *testing.T) {
			b, probs := kb.Load(fixture(t, c.Name()), "knowledge")
			if b != nil {
				t.Errorf("Load returned a base despite problems")
			}
			var lines []string
			for _, p := range probs {
				lines = append(lines, p.String())
			}
			got := strings.Join(lines, "\n") + "\n"
			wantFile := filepath.Join("testdata/broken", c.Name(), "want.txt")
			if *update {
				if err := os.WriteFile(wantFile, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(wantFile)
			if err != nil {
				t.Fatal(err)
			}
			if len(probs) == 0 {
				t.Fatalf("got no problems, want:\n%s", want)
			}
			if got != string(want) {
				t.Errorf("got:\n%swant:\n%s", got, want)
			}
		})
	}
}
