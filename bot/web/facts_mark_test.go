package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/editor"
	"github.com/yol-project/yol/bot/locale"
	"github.com/yol-project/yol/bot/staff"
	"github.com/yol-project/yol/locales"
)

// follow loads the live version into the content the bot answers from,
// as every replica of `yol serve` does when a version is published.
func (e *env) follow() {
	e.t.Helper()
	ctx := context.Background()
	id, err := e.db.LiveContent(ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	files, err := e.db.ContentFiles(ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	c, probs := bot.LoadPack(bot.PackFS(files))
	if c == nil {
		e.t.Fatalf("live version %d does not load: %v", id, probs)
	}
	e.content.Swap(c)
}

// officeHoursLine is the opening hours line of the Baku headquarters (the
// one office with hours) in what the bot says to a person in English who
// asks for the offices in Baku.
func officeHoursLine(t *testing.T, e *env) string {
	t.Helper()
	c := e.client()
	decodeSim(t, c.postJSON("/simulator/reset", map[string]string{"lang": "en"}))
	for _, press := range []string{"yes", "yes", "office"} {
		decodeSim(t, c.postJSON("/simulator/send", map[string]any{"kind": "button", "data": press, "lang": "en"}))
	}
	got := allText(decodeSim(t, c.postJSON("/simulator/send", map[string]any{"kind": "button", "data": "baku", "lang": "en"})).Replies)
	for _, l := range strings.Split(got, "\n") {
		if strings.HasPrefix(l, "Open: Mon") {
			return l
		}
	}
	t.Fatalf("no opening hours in the answer:\n%s", got)
	return ""
}

// TestConsoleFactMarkReachesTheBot: an editor marks the Baku
// headquarters' opening hours unconfirmed and moves its lunch break on
// the facts page; the draft changes those lines of offices.yaml alone, the
// content page shows the approver the mark by name, the author cannot
// publish it unapproved; a reviewer approves, it is published, and the
// bot says "not confirmed yet" after the hours, with the new lunch. A
// clearing without a known source or with an old date is refused in the
// editor's language; with a source and today's date it is saved, approved,
// published, and the bot no longer marks the hours.
func TestConsoleFactMarkReachesTheBot(t *testing.T) {
	e := newDraftEnv(t)
	mark := "(not confirmed yet: please check at a migration department)"
	const key = "hours/offices.yaml/baku_central/hours"
	const row = "f-hours-offices-yaml-baku_central-hours"
	if got := officeHoursLine(t, e); strings.Contains(got, mark) || !strings.HasSuffix(got, "(lunch 13:00-14:00)") {
		t.Fatalf("before: %q", got)
	}
	eda, rev := e.signIn("eda"), e.signIn("rev")
	if r := rowOf(eda.get("/console/facts").body, row); !strings.Contains(r, `<option value="no" selected>Confirmed by its sources</option>`) || !strings.Contains(r, `name="lunch" value="13:00-14:00"`) {
		t.Fatalf("the hours row offers no mark or lunch: %q", r)
	}
	today := time.Now().UTC().Format("2006-01-02")
	hours := "mon: 09:00-18:00\ntue: 09:00-18:00\nwed: 09:00-18:00\nthu: 09:00-18:00\nfri: 09:00-18:00"
	form := func(unconfirmed, lunch, sources, date string) url.Values {
		return url.Values{"key": {key}, "hours": {hours}, "lunch": {lunch}, "sources": {sources}, "verified_on": {date}, "unconfirmed": {unconfirmed}}
	}
	sources := "azerbaijans_sms, angloinfo_registration, wikipedia_sms_en, oneclick_sms, sms_baku_permits_2020"

	// Mark: a draft, which needs approval.
	r := eda.post("/console/facts", form("yes", "12:30-13:30", sources, "2026-12-01"))
	if r.code != http.StatusOK || !strings.Contains(r.body, "Saved as draft version 2.") {
		t.Fatalf("mark: %d\n%.3000s", r.code, r.body)
	}
	if got := rowOf(r.body, row); !strings.Contains(got, `<span class="tag warn">unconfirmed</span>`) || !strings.Contains(got, "lunch 12:30-13:30") {
		t.Errorf("the row after the save: %q", got)
	}
	d := editor.Diff(e.files(1), e.files(2))
	if len(d.Files) != 1 || d.Files[0].Path != "knowledge/offices.yaml" || len(d.Texts) != 0 || !d.NeedsApproval() {
		t.Fatalf("changes: %+v", d)
	}
	got, same := onlyLinesDiffer(e.files(1)["knowledge/offices.yaml"], e.files(2)["knowledge/offices.yaml"])
	if want := []string{`    lunch: "12:30-13:30"`, `    unconfirmed: [coordinates, hours]`, `    verified_on: 2026-12-01`}; !same || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("changed lines\n%q\nwant\n%q", got, want)
	}
	page := html.UnescapeString(rev.get("/console/content").body)
	if !strings.Contains(page, "<code>"+key+"</code> <code>office.baku_central.name</code> <span class=\"tag warn\">marked unconfirmed: the bot will say “not confirmed yet” after it</span>") || !strings.Contains(page, "+     unconfirmed: [coordinates, hours]") {
		t.Errorf("the content page does not show the mark change:\n%.6000s", page)
	}
	if r := eda.post("/console/content/2/publish", nil); r.code != http.StatusForbidden {
		t.Fatalf("unapproved publish: %d", r.code)
	}
	if r := rev.post("/console/content/2/approve", nil); r.code != http.StatusSeeOther {
		t.Fatalf("approve: %d", r.code)
	}
	if r := eda.post("/console/content/2/publish", nil); r.code != http.StatusSeeOther {
		t.Fatalf("publish: %d\n%.3000s", r.code, r.body)
	}
	e.follow()
	if got := officeHoursLine(t, e); !strings.HasSuffix(got, "(lunch 12:30-13:30) "+mark) {
		t.Errorf("after the mark: %q, want the new lunch and %q", got, mark)
	}

	// Clear: refused without a known source or with a day before the last check.
	for _, tc := range []struct {
		name string
		form url.Values
		want string
	}{
		{"no source", form("no", "12:30-13:30", "", today), "To clear the unconfirmed mark, give the stored source you checked the fact against"},
		{"unknown source", form("no", "12:30-13:30", "my_neighbour", today), "To clear the unconfirmed mark, give the stored source you checked the fact against"},
		{"an old date", form("no", "12:30-13:30", sources, "2026-11-28"), "To clear the unconfirmed mark, give the day you checked the fact against that source"},
		{"lunch outside the hours", form("yes", "17:30-18:30", sources, today), "Write the lunch break like 13:00-14:00, inside the opening hours"},
	} {
		r := eda.post("/console/facts", tc.form)
		body := html.UnescapeString(r.body)
		if r.code != http.StatusBadRequest || !strings.Contains(body, tc.want) {
			t.Errorf("%s: %d, want 400 with %q", tc.name, r.code, tc.want)
		}
		if !strings.Contains(rowOf(r.body, row), `name="verified_on" value="`+tc.form.Get("verified_on")+`"`) {
			t.Errorf("%s: what was typed is not kept", tc.name)
		}
	}
	if vs, _ := e.db.ContentVersions(context.Background(), 10); len(vs) != 2 {
		t.Fatalf("versions after refusals: %d, want 2", len(vs))
	}
	r = eda.post("/console/facts", form("no", "12:30-13:30", "azerbaijans_sms, sms_baku_permits_2020", today))
	if r.code != http.StatusOK || !strings.Contains(r.body, "Saved as draft version 3.") {
		t.Fatalf("clear: %d\n%.3000s", r.code, r.body)
	}
	if got := rowOf(r.body, row); strings.Contains(got, `<span class="tag warn">unconfirmed</span>`) {
		t.Errorf("the row after clearing is still marked: %q", got)
	}
	if page := html.UnescapeString(rev.get("/console/content").body); !strings.Contains(page, "unconfirmed mark cleared: the bot will state it as confirmed") {
		t.Errorf("the content page does not show the clearing")
	}
	if r := rev.post("/console/content/3/approve", nil); r.code != http.StatusSeeOther {
		t.Fatalf("approve: %d", r.code)
	}
	if r := eda.post("/console/content/3/publish", nil); r.code != http.StatusSeeOther {
		t.Fatalf("publish: %d\n%.3000s", r.code, r.body)
	}
	e.follow()
	if got := officeHoursLine(t, e); strings.Contains(got, mark) || !strings.HasSuffix(got, "(lunch 12:30-13:30)") {
		t.Errorf("after clearing: %q", got)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action = 'content.approve' AND detail->>'version' IN ('2', '3')`); n != 2 {
		t.Errorf("approvals audited: %d, want 2", n)
	}
}

// TestConsoleFactMarkLanguages: a refused clearing and a mark without a
// note are explained in the editor's language (en, az, ru).
func TestConsoleFactMarkLanguages(t *testing.T) {
	e := newContentEnv(t)
	feeKey := factKey(t, e.files(1), "fee.trp_student.1y_20d")
	extKey := factKey(t, e.files(1), "fee.extension.30d_3d")
	texts, lp := locale.Load(locales.FS, ".")
	if texts == nil {
		t.Fatal(lp)
	}
	for _, lang := range []string{"en", "az", "ru"} {
		login := "mark_" + lang
		e.staffAccount(login, staff.RoleEditor, lang)
		c := e.signIn(login)
		for _, tc := range []struct {
			name string
			form url.Values
			want string
		}{
			{"clear without a source", url.Values{"key": {feeKey}, "amount": {"40"}, "sources": {""}, "verified_on": {"2020-01-01"}, "unconfirmed": {"no"}}, "console.facts.problem.clear_source"},
			{"clear with an old date", url.Values{"key": {feeKey}, "amount": {"40"}, "sources": {"azernews_student_fees_2019"}, "verified_on": {"2020-01-01"}, "unconfirmed": {"no"}}, "console.facts.problem.clear_date"},
			{"mark without a note", url.Values{"key": {extKey}, "amount": {"30"}, "sources": {"sms_state_fees"}, "verified_on": {"2026-11-30"}, "unconfirmed": {"yes"}, "note": {" "}}, "console.facts.problem.note"},
			{"a made-up mark value", url.Values{"key": {extKey}, "amount": {"30"}, "sources": {"sms_state_fees"}, "verified_on": {"2026-11-30"}, "unconfirmed": {"maybe"}}, "console.error.bad_request"},
		} {
			r := c.post("/console/facts", tc.form)
			want := texts.Text(lang, tc.want, nil, nil)
			if r.code != http.StatusBadRequest || want == "" || !strings.Contains(html.UnescapeString(r.body), want) {
				t.Errorf("%s/%s: %d, want 400 with %q", lang, tc.name, r.code, want)
			}
		}
	}
	if vs, _ := e.db.ContentVersions(context.Background(), 10); len(vs) != 1 {
		t.Errorf("versions: %d, want 1", len(vs))
	}
}
