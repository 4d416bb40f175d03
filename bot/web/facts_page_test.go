package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/editor"
	"github.com/yol-project/yol/bot/locale"
	"github.com/yol-project/yol/bot/staff"
	"github.com/yol-project/yol/bot/web"
	"github.com/yol-project/yol/locales"
)

// factKey finds the key of the fact with label (a fee) or key suffix.
func factKey(t *testing.T, files map[string][]byte, label string) string {
	t.Helper()
	facts, err := editor.Facts(files)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range facts {
		if f.Label == label {
			return f.Key
		}
	}
	t.Fatalf("no fact %s", label)
	return ""
}

// onlyLinesDiffer reports the lines that differ between a and b (same
// line count) and whether the counts are the same.
func onlyLinesDiffer(a, b []byte) ([]string, bool) {
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	if len(la) != len(lb) {
		return nil, false
	}
	var out []string
	for i := range la {
		if la[i] != lb[i] {
			out = append(out, lb[i])
		}
	}
	return out, true
}

// TestConsoleEditsFacts: an editor changes an office's phones and a fee,
// each with its source and date, on the facts page; each save is a draft
// differing from its parent in that fact's lines alone; the draft needs
// another person's approval, and then passes the whole check and is
// published.
func TestConsoleEditsFacts(t *testing.T) {
	e := newContentEnv(t)
	eda := e.signIn("eda")
	page := eda.get("/console/facts")
	if page.code != http.StatusOK || !strings.Contains(page.body, `id="f-phone-offices-yaml-ganja_regional-phones"`) || !strings.Contains(page.body, "Opening hours") || !strings.Contains(page.body, `href="/console/facts"`) {
		t.Fatalf("facts page: %d\n%.3000s", page.code, page.body)
	}
	if !strings.Contains(page.body, "The same fee list is also used by: ") {
		t.Errorf("a shared fee list is not marked as shared")
	}
	v1 := e.files(1)
	phone := url.Values{"key": {"phone/offices.yaml/ganja_regional/phones"}, "phones": {"+994 22 265 19 30\r\n+994  22 265 19 31"}, "sources": {"metbuat_regional_phones_2020, sms_press_398"}, "verified_on": {"2026-12-01"}}
	r := eda.post("/console/facts", phone)
	if r.code != http.StatusOK || !strings.Contains(r.body, "Saved as draft version 2.") {
		t.Fatalf("save phone: %d\n%.3000s", r.code, r.body)
	}
	v2 := e.files(2)
	feeKey := factKey(t, v1, "fee.extension.30d_3d")
	r = eda.post("/console/facts", url.Values{"key": {feeKey}, "amount": {"35"}, "sources": {"sms_state_fees"}, "verified_on": {"2026-12-02"}})
	if r.code != http.StatusOK || !strings.Contains(r.body, "Saved as draft version 3.") {
		t.Fatalf("save fee: %d\n%.3000s", r.code, r.body)
	}
	v3 := e.files(3)
	vs, err := e.db.ContentVersions(context.Background(), 5)
	if err != nil || vs[0].ID != 3 || vs[0].Parent != 2 || vs[1].Parent != 1 {
		t.Fatalf("versions: %+v %v", vs, err)
	}
	for _, step := range []struct {
		name     string
		old, neu map[string][]byte
		file     string
		want     []string
	}{
		{"phone", v1, v2, "knowledge/offices.yaml", []string{`    phones: ["+994 22 265 19 30", "+994 22 265 19 31"]`, `    sources: [metbuat_regional_phones_2020, sms_press_398]`, `    verified_on: 2026-12-01`}},
		{"fee", v2, v3, "knowledge/pathways.yaml", []string{`      - {label: fee.extension.30d_3d, amount: 35, currency: AZN, legal_basis: "Law on State Duty (extension of the period of temporary stay), as listed by the State Migration Service", sources: [sms_state_fees], verified_on: 2026-12-02}`}},
	} {
		if len(step.old) != len(step.neu) {
			t.Errorf("%s: %d files, want %d", step.name, len(step.neu), len(step.old))
		}
		for p, b := range step.old {
			if p == step.file {
				continue
			}
			if string(step.neu[p]) != string(b) {
				t.Errorf("%s: %s changed", step.name, p)
			}
		}
		got, same := onlyLinesDiffer(step.old[step.file], step.neu[step.file])
		if !same || !slices.Equal(got, step.want) {
			t.Errorf("%s: changed lines\n%q\nwant\n%q", step.name, got, step.want)
		}
	}
	if !editor.Diff(v1, v3).NeedsApproval() {
		t.Errorf("a fact change does not need approval")
	}
	// The page shows the draft's value.
	if r := eda.get("/console/facts"); !strings.Contains(r.body, "35 AZN") || !strings.Contains(r.body, "Your edits are in draft version 3") && !strings.Contains(r.body, "version 3") {
		t.Errorf("the page does not show the draft")
	}
	// Needs approval: the author cannot publish; a reviewer approves; it passes the check and goes live.
	if r := eda.post("/console/content/3/publish", nil); r.code != http.StatusForbidden {
		t.Fatalf("unapproved fact publish: %d", r.code)
	}
	rev := e.signIn("rev")
	if r := rev.post("/console/content/3/approve", nil); r.code != http.StatusSeeOther {
		t.Fatalf("approve: %d\n%.2000s", r.code, r.body)
	}
	if r := eda.post("/console/content/3/publish", nil); r.code != http.StatusSeeOther {
		t.Fatalf("publish: %d\n%.3000s", r.code, r.body)
	}
	if e.live() != 3 {
		t.Fatalf("live = %d, want 3", e.live())
	}
	c, probs := editor.CheckContent(bot.PackFS(v3))
	if c == nil || len(probs) > 0 {
		t.Errorf("the whole check of the draft: %v", probs)
	}
}

// TestConsoleFactBadInput: each bad input is refused with its message in
// the staff member's language (en, az, ru), what was typed kept in the
// form, and nothing stored; a made-up fact is refused too.
func TestConsoleFactBadInput(t *testing.T) {
	e := newContentEnv(t)
	texts, lp := locale.Load(locales.FS, ".")
	if texts == nil {
		t.Fatal(lp)
	}
	feeKey := factKey(t, e.files(1), "fee.extension.30d_3d")
	phone := func(phones, sources, date string) url.Values {
		return url.Values{"key": {"phone/offices.yaml/ganja_regional/phones"}, "phones": {phones}, "sources": {sources}, "verified_on": {date}}
	}
	tests := []struct {
		name  string
		form  url.Values
		want  string // message ID
		typed string // shown again in the form
	}{
		{"future date", phone("+994 22 265 19 29", "metbuat_regional_phones_2020", "2099-01-01"), "console.facts.problem.future", "2099-01-01"},
		{"malformed date", phone("+994 22 265 19 29", "metbuat_regional_phones_2020", "01.12.2026"), "console.facts.problem.date", "01.12.2026"},
		{"empty source", phone("+994 22 265 19 29", " , ", "2026-12-01"), "console.facts.problem.no_source", "+994 22 265 19 29"},
		{"unknown source", phone("+994 22 265 19 29", "my_cousin", "2026-12-01"), "console.facts.problem.unknown_source", "my_cousin"},
		{"malformed phone", phone("022 265-19-29 ext", "metbuat_regional_phones_2020", "2026-12-01"), "console.facts.problem.phone", "022 265-19-29 ext"},
		{"non-numeric fee", url.Values{"key": {feeKey}, "amount": {"thirty manat"}, "sources": {"sms_state_fees"}, "verified_on": {"2026-12-01"}}, "console.facts.problem.amount", "thirty manat"},
		{"bad hours", url.Values{"key": {"hours/offices.yaml/baku_central/hours"}, "hours": {"every day 9-6"}, "sources": {"azerbaijans_sms"}, "verified_on": {"2026-12-01"}}, "console.facts.problem.hours", "every day 9-6"},
		{"made-up fact", phone("+994 22 265 19 29", "metbuat_regional_phones_2020", "2026-12-01"), "console.facts.no_such_fact", ""},
	}
	tests[len(tests)-1].form.Set("key", "phone/offices.yaml/atlantis/phones")
	for _, lang := range []string{"en", "az", "ru"} {
		login := "ed_" + lang
		e.staffAccount(login, staff.RoleEditor, lang)
		c := e.signIn(login)
		for _, tc := range tests {
			t.Run(lang+"/"+tc.name, func(t *testing.T) {
				before, _ := e.db.ContentVersions(context.Background(), 50)
				r := c.post("/console/facts", tc.form)
				want := texts.Text(lang, tc.want, map[string]any{"Days": "mon tue wed thu fri sat sun"}, nil)
				body := html.UnescapeString(r.body)
				if r.code != http.StatusBadRequest || !strings.Contains(body, want) {
					t.Errorf("got %d, want 400 with %q\n%.2000s", r.code, want, r.body)
				}
				if tc.typed != "" && !strings.Contains(body, tc.typed) {
					t.Errorf("what was typed (%q) is not kept", tc.typed)
				}
				after, _ := e.db.ContentVersions(context.Background(), 50)
				if len(after) != len(before) {
					t.Errorf("versions %d, want %d: something was stored", len(after), len(before))
				}
			})
		}
	}
}

// TestFactsPageRoles: a translator, a reviewer and a case worker may not
// see or change facts; editors and admins may.
func TestFactsPageRoles(t *testing.T) {
	e := newContentEnv(t)
	form := url.Values{"key": {"phone/offices.yaml/police/number"}, "phones": {"102"}, "sources": {"trend_102_anama"}, "verified_on": {"2026-12-01"}}
	for _, tc := range []struct {
		login string
		get   int
		post  int
	}{
		{"tia", http.StatusForbidden, http.StatusForbidden},
		{"rev", http.StatusForbidden, http.StatusForbidden},
		{"sam", http.StatusForbidden, http.StatusForbidden},
		{"ada", http.StatusOK, http.StatusOK},
	} {
		c := e.signIn(tc.login)
		if got := c.get("/console/facts").code; got != tc.get {
			t.Errorf("%s GET: %d, want %d", tc.login, got, tc.get)
		}
		if got := c.post("/console/facts", form).code; got != tc.post {
			t.Errorf("%s POST: %d, want %d", tc.login, got, tc.post)
		}
		if nav := c.get("/console/texts").body; strings.Contains(nav, `href="/console/facts"`) != (tc.get == http.StatusOK) {
			t.Errorf("%s: the nav link to facts shown = %v", tc.login, !(tc.get == http.StatusOK))
		}
	}
	vs, _ := e.db.ContentVersions(context.Background(), 10)
	if len(vs) != 2 || vs[0].Author != "ada" {
		t.Errorf("versions after the role checks: %+v", vs)
	}
}

// TestFactsPageSpeaksStaffLanguages: the facts page, and a refused save,
// in Azerbaijani and Russian show no English console words.
func TestFactsPageSpeaksStaffLanguages(t *testing.T) {
	texts, lp := locale.Load(locales.FS, ".")
	if texts == nil {
		t.Fatal(lp)
	}
	english := consoleWords(t, texts, "en")
	e := newContentEnv(t)
	pack, _ := bot.LoadPack(bot.PackFS(e.files(1)))
	facts, err := editor.Facts(e.files(1))
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"az", "ru"} {
		t.Run(lang, func(t *testing.T) {
			// The content shown (names, addresses, terms in lang, or the source
			// language where lang lacks them), editors' notes, IDs and codes:
			// data, not console.
			allowed := map[string]bool{}
			for _, w := range words("azn mon tue wed thu fri sat sun") {
				allowed[w] = true
			}
			pt := pack.Texts
			for id := range pt.IDs(pt.Source()) {
				l := lang
				if !pt.Has(lang, id) {
					l = pt.Source()
				}
				for _, w := range words(pt.Text(l, id, nil, nil)) {
					allowed[w] = true
				}
			}
			for _, f := range facts { // a note is for editors, in English: data too
				for _, w := range words(f.Owner + " " + strings.Join(f.Sources, " ") + " " + f.Note) {
					allowed[w] = true
				}
			}
			own := consoleWords(t, texts, lang)
			login := "boss_" + lang
			e.staffAccount(login, staff.RoleEditor, lang)
			c := e.signIn(login)
			pages := map[string]resp{
				"facts":   c.getIn("/console/facts", "en-US,en"),
				"refused": c.post("/console/facts", url.Values{"key": {"phone/offices.yaml/police/number"}, "phones": {"12-34"}, "sources": {""}, "verified_on": {"31.12.2026"}}),
			}
			for name, r := range pages {
				if !strings.Contains(r.body, `<html lang="`+lang+`">`) || strings.Contains(r.body, "[console.") {
					t.Errorf("%s: not in %s, or a text is missing (%d)", name, lang, r.code)
				}
				var left []string
				for _, w := range words(visibleText(r.body)) {
					if english[w] && !own[w] && !allowed[w] && !slices.Contains(left, w) {
						left = append(left, w)
					}
				}
				sort.Strings(left)
				if len(left) > 0 {
					t.Errorf("%s in %s shows English words %v", name, lang, left)
				}
			}
		})
	}
	// The check sees English: the English page against the Azerbaijani words.
	az := consoleWords(t, texts, "az")
	n := 0
	for _, w := range words(visibleText(e.signIn("eda").get("/console/facts").body)) {
		if english[w] && !az[w] {
			n++
		}
	}
	if n < 5 {
		t.Errorf("the English facts page has only %d English words: the check sees nothing", n)
	}
}

// TestFactsPageMarksStale: with a short stale age, a fact checked before
// it is marked stale, and no longer once it is saved with today's date.
func TestFactsPageMarksStale(t *testing.T) {
	e := newContentEnv(t, func(s *web.Server) { s.StaleAge = 24 * time.Hour })
	eda := e.signIn("eda")
	stale := `<span class="tag warn">stale</span>`
	if r := rowOf(eda.get("/console/facts").body, "f-phone-offices-yaml-police-number"); !strings.Contains(r, stale) {
		t.Fatalf("an old fact is not marked stale: %q", r)
	}
	today := time.Now().Format("2006-01-02")
	r := eda.post("/console/facts", url.Values{"key": {"phone/offices.yaml/police/number"}, "phones": {"102"}, "sources": {"trend_102_anama, xezernews_102"}, "verified_on": {today}})
	if got := rowOf(r.body, "f-phone-offices-yaml-police-number"); r.code != http.StatusOK || strings.Contains(got, stale) || !strings.Contains(got, today) {
		t.Errorf("after a save with today's date: %d %q", r.code, got)
	}
}

// rowOf is the table row with HTML id on a page ("" when absent).
func rowOf(body, id string) string {
	i := strings.Index(body, `<tr id="`+id+`">`)
	if i < 0 {
		return ""
	}
	rest := body[i:]
	if j := strings.Index(rest, "</tr>"); j >= 0 {
		return rest[:j]
	}
	return rest
}

// A note written on several lines (a YAML block) is kept as written when
// only the date changes, and a change the form cannot splice into it is
// refused with a message, never a 5xx.
func TestFactWithABlockNote(t *testing.T) {
	e := newContentEnv(t)
	ctx := context.Background()
	files := e.files(1)
	const name = "knowledge/pathways.yaml"
	// The validity term, rewritten with its note as a block before its sources.
	src := string(files[name])
	i := strings.Index(src, "    validity: &trp_validity\n")
	if i < 0 {
		t.Fatalf("%s no longer has the validity term this test rewrites; update the test", name)
	}
	end := i + strings.Index(src[i:], "\n    legal_basis:") + 1
	block := "      note: |\n        Conflict: the fee table says 3 years,\n        a consultancy says 1 year.\n"
	files[name] = []byte(src[:i] + "    validity: &trp_validity\n      text: term.trp.validity\n" + block +
		"      sources: [trend_trp_fees_2019, caucasus_trp_fees_2019, sms_application_periods]\n      unconfirmed: true\n" + src[end:])
	id, _, err := e.db.PushContent(ctx, files, "dev", "a block note", 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.PublishContent(ctx, id, "test"); err != nil {
		t.Fatal(err)
	}
	key := "deadline/pathways.yaml/trp_relative_citizen/validity"
	var fact editor.Fact
	facts, _ := editor.Facts(e.files(id))
	for _, f := range facts {
		if f.Kind == editor.FactDeadline && f.TextID == "term.trp.validity" {
			fact, key = f, f.Key
		}
	}
	if fact.Key == "" {
		t.Fatal("the validity deadline is not listed")
	}
	e.staffAccount("ed", staff.RoleEditor, "en")
	c := e.signIn("ed")
	form := func(note, date string) url.Values {
		return url.Values{"key": {key}, "sources": {strings.Join(fact.Sources, ", ")}, "verified_on": {date}, "note": {note}, "unconfirmed": {"yes"}}
	}
	before, _ := e.db.ContentVersions(ctx, 50)
	r := c.post("/console/facts", form("A different note entirely.", "2026-12-01"))
	if r.code != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(r.body), "a way the form cannot change") {
		t.Errorf("a note the form cannot splice: got %d, want 422 with the reason\n%.1500s", r.code, r.body)
	}
	if after, _ := e.db.ContentVersions(ctx, 50); len(after) != len(before) {
		t.Errorf("something was stored for a refused edit")
	}
	// The textarea sends the note back on one line: only the date changes.
	r = c.post("/console/facts", form(strings.Join(strings.Fields(fact.Note), " "), "2026-12-01"))
	if r.code >= 400 {
		t.Fatalf("saving the date: got %d\n%.1500s", r.code, r.body)
	}
	versions, _ := e.db.ContentVersions(ctx, 50)
	draft := e.files(versions[0].ID)
	if !strings.Contains(string(draft[name]), block) {
		t.Errorf("the block note was rewritten by a save of the date")
	}
}
