package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// row is the table row of text id on a translations page ("" when the
// page lacks it).
func row(body, id string) string {
	i := strings.Index(body, `<tr id="t-`+id+`">`)
	if i < 0 {
		return ""
	}
	rest := body[i:]
	if j := strings.Index(rest, "</tr>"); j >= 0 {
		return rest[:j]
	}
	return rest
}

// TestTranslationFilters: "missing" lists the texts the language lacks,
// "unreviewed" those it has that nobody reviewed; "Mark reviewed" records
// the live text and the row says who reviewed it, until the text changes.
func TestTranslationFilters(t *testing.T) {
	e := newContentEnv(t)
	eda := e.signIn("eda")

	missing := eda.get("/console/texts?lang=fa&filter=missing")
	if missing.code != http.StatusOK || row(missing.body, onlyEnglish) == "" || !strings.Contains(row(missing.body, onlyEnglish), "missing") {
		t.Fatalf("missing filter lacks %s: %d\n%.2000s", onlyEnglish, missing.code, missing.body)
	}
	if row(missing.body, "referral.created") != "" {
		t.Errorf("missing filter lists a translated text")
	}
	if strings.Contains(row(missing.body, onlyEnglish), `action="/console/texts/review"`) {
		t.Errorf("a missing text can be marked reviewed")
	}
	unrev := eda.get("/console/texts?lang=fa&filter=unreviewed&after=referral.a")
	r := row(unrev.body, "referral.created")
	if r == "" || !strings.Contains(r, "needs native review") || row(unrev.body, onlyEnglish) != "" {
		t.Fatalf("unreviewed filter: %q\n%.2000s", r, unrev.body)
	}

	// Mark reviewed.
	res := eda.post("/console/texts/review", url.Values{"lang": {"fa"}, "id": {"referral.created"}, "filter": {"unreviewed"}, "after": {"referral.a"}})
	if res.code != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/console/texts?") || !strings.Contains(res.header.Get("Location"), "after=referral.a") {
		t.Fatalf("review: %d %q\n%.2000s", res.code, res.header.Get("Location"), res.body)
	}
	after := eda.get(res.header.Get("Location"))
	if !strings.Contains(after.body, "Marked as reviewed.") || row(after.body, "referral.created") != "" {
		t.Errorf("after the review the text is still unreviewed, or no banner")
	}
	all := eda.get("/console/texts?lang=fa&after=referral.a")
	if r := row(all.body, "referral.created"); !strings.Contains(r, "reviewed by eda on ") || strings.Contains(r, `action="/console/texts/review"`) {
		t.Errorf("reviewed row: %q", r)
	}
	if row(all.body, onlyEnglish) == "" {
		t.Errorf("all lacks the missing text")
	}
	// Another language is not reviewed by it.
	if r := row(eda.get("/console/texts?lang=ru&after=referral.a").body, "referral.created"); strings.Contains(r, "reviewed by") {
		t.Errorf("the review of fa shows in ru")
	}
	// A missing text cannot be reviewed.
	if r := eda.post("/console/texts/review", url.Values{"lang": {"fa"}, "id": {onlyEnglish}}); r.code != http.StatusBadRequest || !strings.Contains(r.body, "There is no translation to review yet.") {
		t.Errorf("review of a missing text: %d", r.code)
	}

	// A missing text saved goes into a draft; a second edit builds on it.
	res = eda.post("/console/texts", url.Values{"lang": {"fa"}, "id": {onlyEnglish}, "text": {"فقط انگلیسی\r\nخط دوم"}})
	if res.code != http.StatusOK || !strings.Contains(res.body, "Saved as draft version 2") {
		t.Fatalf("save a missing text: %d\n%.2000s", res.code, res.body)
	}
	if !strings.Contains(string(e.files(2)["locales/dialogs.fa.yaml"]), onlyEnglish+`: "فقط انگلیسی\nخط دوم"`) {
		t.Errorf("the new text is not at the end of dialogs.fa.yaml with its line break")
	}
	res = eda.post("/console/texts", url.Values{"lang": {"fa"}, "id": {"referral.created"}, "text": {"کد شما {{.referral_code}} است."}})
	if res.code != http.StatusOK || !strings.Contains(res.body, "Saved as draft version 3") {
		t.Fatalf("second edit: %d", res.code)
	}
	vs, err := e.db.ContentVersions(context.Background(), 5)
	if err != nil || vs[0].ID != 3 || vs[0].Parent != 2 {
		t.Fatalf("the second edit is not built on the draft: %+v %v", vs, err)
	}
	if !strings.Contains(string(e.files(3)["locales/dialogs.fa.yaml"]), onlyEnglish) {
		t.Errorf("the second edit lost the first")
	}
	// Still missing on the page (the live version lacks it), with the draft shown.
	if r := row(eda.get("/console/texts?lang=fa&filter=missing").body, onlyEnglish); !strings.Contains(r, "In your draft:") {
		t.Errorf("missing row lacks the draft: %q", r)
	}
	// The same text again: nothing to store.
	if r := eda.post("/console/texts", url.Values{"lang": {"fa"}, "id": {"referral.created"}, "text": {"کد شما {{.referral_code}} است."}}); !strings.Contains(r.body, "Nothing changed") {
		t.Errorf("an unchanged save: %d", r.code)
	}
	// Another editor's drafts are not this one's working draft.
	ada := e.signIn("ada")
	if r := ada.get("/console/texts?lang=fa"); strings.Contains(r.body, "In your draft:") {
		t.Errorf("ada sees eda's draft as her own")
	}
}

// TestTranslationBadInput: unknown languages, texts and filters, and texts
// too long, get a message in the staff language, never a 5xx; the live
// check answers JSON; the staff role cannot edit.
func TestTranslationBadInput(t *testing.T) {
	e := newContentEnv(t)
	eda := e.signIn("eda")
	for _, tc := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"lang": {"xx"}, "id": {"referral.created"}, "text": {"x"}}, "That is not a language to translate into."},
		{url.Values{"lang": {"en"}, "id": {"referral.created"}, "text": {"x"}}, "That is not a language to translate into."},
		{url.Values{"lang": {"fa"}, "id": {"no.such.text"}, "text": {"x"}}, "There is no such text of the person&#39;s side."},
		{url.Values{"lang": {"fa"}, "id": {"console.nav.texts"}, "text": {"x"}}, "There is no such text of the person&#39;s side."},
		{url.Values{"lang": {"fa"}, "id": {"referral.created"}, "text": {strings.Repeat("ب", 4001)}}, "The text is too long: at most 4000 characters."},
		{url.Values{"lang": {"fa"}, "id": {"common.back"}, "text": {"  "}}, "The text is empty."},
	} {
		r := eda.post("/console/texts", tc.form)
		if r.code != http.StatusBadRequest || !strings.Contains(r.body, tc.want) {
			t.Errorf("%v: %d, want 400 with %q\n%.1500s", tc.form, r.code, tc.want, r.body)
		}
	}
	if n := e.count("SELECT count(*) FROM content_versions"); n != 1 {
		t.Errorf("bad input stored versions: %d", n)
	}
	if r := eda.get("/console/texts?lang=zz"); r.code != http.StatusBadRequest || !strings.Contains(r.body, "That is not a language to translate into.") {
		t.Errorf("unknown language: %d", r.code)
	}
	if r := eda.get("/console/texts?lang=fa&filter=odd"); r.code != http.StatusBadRequest || !strings.Contains(r.body, "Unknown filter") {
		t.Errorf("unknown filter: %d", r.code)
	}
	// A Russian console's messages are in Russian.
	e.staffAccount("rita", "editor", "ru")
	if r := e.signIn("rita").post("/console/texts", url.Values{"lang": {"fa"}, "id": {"referral.created"}, "text": {"انجام شد."}}); !strings.Contains(r.body, "Подстановки") {
		t.Errorf("the problem is not in the staff language")
	}

	// The live check.
	r := eda.post("/console/texts/check", url.Values{"lang": {"fa"}, "id": {"referral.created"}, "text": {"بدون کد"}})
	var list []string
	if err := json.Unmarshal([]byte(r.body), &list); err != nil || r.code != http.StatusOK || len(list) != 1 || !strings.HasPrefix(list[0], "The placeholders") {
		t.Errorf("check: %d %q %v", r.code, r.body, err)
	}
	r = eda.post("/console/texts/check", url.Values{"lang": {"fa"}, "id": {"referral.created"}, "text": {"کد {{.referral_code}}"}})
	if r.code != http.StatusOK || strings.TrimSpace(r.body) != "[]" {
		t.Errorf("check of a good text: %d %q", r.code, r.body)
	}
	if r := eda.post("/console/texts/check", url.Values{"lang": {"qq"}, "id": {"referral.created"}, "text": {"x"}}); r.code != http.StatusBadRequest || !strings.Contains(r.body, "That is not a language") {
		t.Errorf("check with a bad language: %d %q", r.code, r.body)
	}
	if r := eda.get("/console/texts.js"); r.code != http.StatusOK || !strings.Contains(r.body, "/console/texts/check") || !strings.HasPrefix(r.header.Get("Content-Type"), "text/javascript") {
		t.Errorf("script: %d %q", r.code, r.header.Get("Content-Type"))
	}
	if r := eda.get("/console/texts?lang=fa"); !strings.Contains(r.body, `<script src="/console/texts.js" defer></script>`) {
		t.Errorf("the page does not load its script")
	}

	// Staff (not admin or editor) cannot use the page.
	sam := e.signIn("sam")
	if r := sam.get("/console/texts?lang=fa"); r.code != http.StatusForbidden {
		t.Errorf("staff see the texts page: %d", r.code)
	}
	for _, p := range []string{"/console/texts", "/console/texts/review", "/console/texts/check"} {
		if r := sam.post(p, url.Values{"lang": {"fa"}, "id": {"referral.created"}, "text": {"کد {{.referral_code}}"}}); r.code != http.StatusForbidden {
			t.Errorf("staff POST %s: %d", p, r.code)
		}
	}
	if n := e.count("SELECT count(*) FROM content_versions"); n != 1 {
		t.Errorf("staff stored a version")
	}
	if n := e.count("SELECT count(*) FROM text_reviews"); n != 0 {
		t.Errorf("staff reviewed a text")
	}
}

// TestTranslationsWithoutLiveVersion: a database with nothing published
// says so.
func TestTranslationsWithoutLiveVersion(t *testing.T) {
	e := newEnv(t)
	e.account("eda", "editor")
	c := e.signIn("eda")
	if r := c.get("/console/texts"); r.code != http.StatusConflict || !strings.Contains(r.body, "No content version is live yet") {
		t.Errorf("no live version: %d\n%.1500s", r.code, r.body)
	}
	if r := c.post("/console/texts", url.Values{"lang": {"fa"}, "id": {"t.hello"}, "text": {"x"}}); r.code != http.StatusConflict {
		t.Errorf("save without a live version: %d", r.code)
	}
	if r := c.get("/console/content"); r.code != http.StatusOK || !strings.Contains(r.body, "No content version is stored yet.") {
		t.Errorf("empty content page: %d", r.code)
	}
}
