package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/yol-project/yol/bot/staff"
	"github.com/yol-project/yol/bot/web"
)

// TestTranslatorWorksOnItsLanguagesOnly: a translator for Persian is
// offered Persian only, edits it into a draft and marks it reviewed; a
// page, a save, a check or a review of Russian is refused (403, a message
// in the console's language) and changes nothing. An editor keeps every
// language.
func TestTranslatorWorksOnItsLanguagesOnly(t *testing.T) {
	e := newContentEnv(t)
	e.translator("fara", "fa")
	fara := e.signIn("fara")

	page := fara.get("/console/texts")
	if page.code != http.StatusOK || !strings.Contains(page.body, `<option value="fa" selected>`) || !strings.Contains(page.body, `lang="fa"`) {
		t.Errorf("a Persian translator's page: got %d, want 200 in Persian\n%.2000s", page.code, page.body)
	}
	for _, other := range []string{"ru", "az", "tr", "en"} {
		if strings.Contains(page.body, `<option value="`+other+`"`) {
			t.Errorf("the language picker offers %s to a Persian translator", other)
		}
	}
	r := fara.get("/console/texts?lang=ru")
	if r.code != http.StatusForbidden || !strings.Contains(r.body, "You translate فارسی (fa) only: the texts of Русский (ru) are not shown to you.") {
		t.Errorf("GET ru: got %d, want 403 with the reason\n%.2000s", r.code, r.body)
	}
	if strings.Contains(r.body, `lang="ru"`) || !strings.Contains(r.body, `lang="fa"`) {
		t.Errorf("GET ru: the Russian texts are shown, or the Persian ones are not")
	}

	// Persian is saved into the translator's draft.
	fa := "انجام شد. کد شما {{.referral_code}}"
	r = fara.post("/console/texts", url.Values{"lang": {"fa"}, "id": {"referral.created"}, "text": {fa}})
	if r.code != http.StatusOK || !strings.Contains(r.body, "version 2") {
		t.Fatalf("save fa: got %d, want 200 and draft 2\n%.2000s", r.code, r.body)
	}
	if !anyFileHas(e.files(2), fa) || e.live() != 1 {
		t.Errorf("the Persian text is not in draft 2, or the draft went live")
	}

	// Russian is refused, nothing stored.
	versions := e.count("SELECT count(*) FROM content_versions")
	ru := "Готово. Ваш код {{.referral_code}}."
	r = fara.post("/console/texts", url.Values{"lang": {"ru"}, "id": {"referral.created"}, "text": {ru}})
	if r.code != http.StatusForbidden || !strings.Contains(r.body, "Not saved: you translate فارسی (fa) only, not Русский (ru).") {
		t.Errorf("save ru: got %d, want 403 with the reason\n%.2000s", r.code, r.body)
	}
	if n := e.count("SELECT count(*) FROM content_versions"); n != versions {
		t.Errorf("save ru: got %d versions, want %d", n, versions)
	}
	if anyFileHas(e.files(2), ru) {
		t.Errorf("save ru: the Russian text reached the draft")
	}
	r = fara.post("/console/texts/check", url.Values{"lang": {"ru"}, "id": {"referral.created"}, "text": {ru}})
	var list []string
	if err := json.Unmarshal([]byte(r.body), &list); err != nil || r.code != http.StatusForbidden || len(list) != 1 || !strings.HasPrefix(list[0], "Not saved") {
		t.Errorf("check ru: got %d %q, want 403 with the reason", r.code, r.body)
	}
	r = fara.post("/console/texts/review", url.Values{"lang": {"ru"}, "id": {"common.back"}})
	if r.code != http.StatusForbidden || !strings.Contains(r.body, "you translate فارسی (fa) only") {
		t.Errorf("review ru: got %d, want 403 with the reason\n%.1500s", r.code, r.body)
	}
	if n := e.count("SELECT count(*) FROM text_reviews WHERE lang = 'ru'"); n != 0 {
		t.Errorf("review ru: got %d reviews, want 0", n)
	}
	if r := fara.post("/console/texts/review", url.Values{"lang": {"fa"}, "id": {"common.back"}}); r.code != http.StatusSeeOther {
		t.Errorf("review fa: got %d, want 303", r.code)
	}
	if n := e.count("SELECT count(*) FROM text_reviews WHERE lang = 'fa' AND reviewer = 'fara'"); n != 1 {
		t.Errorf("review fa: got %d reviews, want 1", n)
	}

	// A translator whose console is in Russian is refused in Russian.
	e.accountFor(web.AccountRequest{Login: "farid", Role: staff.RoleTranslator, ContentLanguages: []string{"fa"}, Language: "ru", Languages: []string{"en", "az", "ru"}})
	r = e.signIn("farid").post("/console/texts", url.Values{"lang": {"ru"}, "id": {"referral.created"}, "text": {ru}})
	if r.code != http.StatusForbidden || !strings.Contains(r.body, "Не сохранено: ваши языки перевода — فارسی (fa), язык Русский (ru) к ним не относится.") {
		t.Errorf("a Russian console's refusal: got %d\n%.2000s", r.code, r.body)
	}

	// A translator none of whose languages the content has is told so.
	e.translator("xena", "fa")
	if _, err := e.db.Pool.Exec(context.Background(), "UPDATE staff_accounts SET content_languages = '{xx}' WHERE login = 'xena'"); err != nil {
		t.Fatal(err)
	}
	r = e.signIn("xena").get("/console/texts")
	if r.code != http.StatusOK || !strings.Contains(r.body, "No language of the content is set for your account") || strings.Contains(r.body, `<option value="fa"`) {
		t.Errorf("a translator without a language of the content: got %d\n%.2000s", r.code, r.body)
	}

	// An editor works on every language.
	eda := e.signIn("eda")
	page = eda.get("/console/texts?lang=ru")
	if page.code != http.StatusOK {
		t.Errorf("an editor's ru page: got %d, want 200", page.code)
	}
	for _, l := range []string{"az", "ru", "fa", "tr", "uz", "ar"} {
		if !strings.Contains(page.body, `<option value="`+l+`"`) {
			t.Errorf("an editor is not offered %s", l)
		}
	}
	if r := eda.post("/console/texts", url.Values{"lang": {"ru"}, "id": {"referral.created"}, "text": {ru}}); r.code != http.StatusOK {
		t.Errorf("an editor's ru save: got %d, want 200", r.code)
	}
}

// anyFileHas reports whether one of files holds text.
func anyFileHas(files map[string][]byte, text string) bool {
	for _, b := range files {
		if bytes.Contains(b, []byte(text)) {
			return true
		}
	}
	return false
}

// TestAdminSetsTranslatorLanguages: an admin creates a translator for the
// languages ticked, never without one nor for the source language; the
// accounts page shows them; an admin changes them (audited as
// account.update); nobody else may.
func TestAdminSetsTranslatorLanguages(t *testing.T) {
	e := newContentEnv(t)
	ada := e.signIn("ada")
	for _, tc := range []struct {
		name  string
		form  url.Values
		code  int
		want  string
		login string // the account stored ("": none)
	}{
		{"no language", url.Values{"login": {"tom"}, "role": {"translator"}}, http.StatusBadRequest,
			"A translator&#39;s account needs at least one language to translate", ""},
		{"the source language", url.Values{"login": {"ted"}, "role": {"translator"}, "content_languages": {"en"}}, http.StatusBadRequest,
			"en is not one of the languages translators work on.", ""},
		{"unknown language", url.Values{"login": {"tod"}, "role": {"translator"}, "content_languages": {"fa", "xx"}}, http.StatusBadRequest,
			"xx is not one of the languages translators work on.", ""},
		{"Persian and Russian", url.Values{"login": {"tina"}, "role": {"translator"}, "content_languages": {"ru", "fa", "fa"}}, http.StatusOK,
			"Account tina created", "tina"},
		{"an editor's languages are ignored", url.Values{"login": {"ed"}, "role": {"editor"}, "content_languages": {"fa"}}, http.StatusOK,
			"Account ed created", "ed"},
	} {
		r := ada.post("/console/accounts", tc.form)
		if r.code != tc.code || !strings.Contains(r.body, tc.want) {
			t.Errorf("%s: got %d, want %d with %q\n%.1500s", tc.name, r.code, tc.code, tc.want, r.body)
		}
		n := e.count("SELECT count(*) FROM staff_accounts WHERE login = $1", tc.form.Get("login"))
		if (n == 1) != (tc.login != "") {
			t.Errorf("%s: %d accounts stored", tc.name, n)
		}
	}
	accounts, err := e.db.Accounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var tina, ed *staff.Account
	for i := range accounts {
		switch accounts[i].Login {
		case "tina":
			tina = &accounts[i]
		case "ed":
			ed = &accounts[i]
		}
	}
	if got := strings.Join(tina.ContentLanguages, ","); got != "ru,fa" {
		t.Errorf("tina's languages: got %q, want ru,fa", got)
	}
	if len(ed.ContentLanguages) != 0 {
		t.Errorf("an editor got languages: %v", ed.ContentLanguages)
	}
	if n := e.count("SELECT count(*) FROM audit_log WHERE action = 'account.create' AND detail->>'login' = 'tina' AND detail->>'content_languages' = 'ru,fa'"); n != 1 {
		t.Errorf("the creation's audit: got %d entries with the languages, want 1", n)
	}
	page := ada.get("/console/accounts")
	if !strings.Contains(accountRow(page.body, "tina"), `<span class="content-languages">Русский (ru), فارسی (fa)</span>`) {
		t.Errorf("the accounts page does not show tina's languages\n%s", accountRow(page.body, "tina"))
	}

	// An admin changes them; a change without a language, of an editor,
	// of no account or by a non-admin is refused.
	path := "/console/accounts/" + itoa(tina.ID) + "/languages"
	if r := ada.post(path, url.Values{"content_languages": {"fa"}}); r.code != http.StatusSeeOther {
		t.Errorf("change to fa: got %d, want 303\n%.1500s", r.code, r.body)
	}
	if n := e.count("SELECT count(*) FROM audit_log WHERE action = 'account.update' AND detail->>'login' = 'tina' AND detail->>'content_languages' = 'fa'"); n != 1 {
		t.Errorf("the change's audit: got %d entries, want 1", n)
	}
	for _, tc := range []struct {
		name string
		c    *client
		path string
		form url.Values
		code int
		want string
	}{
		{"none", ada, path, nil, http.StatusBadRequest, "needs at least one language"},
		{"the source", ada, path, url.Values{"content_languages": {"en"}}, http.StatusBadRequest, "en is not one of the languages"},
		{"an editor", ada, "/console/accounts/" + itoa(ed.ID) + "/languages", url.Values{"content_languages": {"fa"}}, http.StatusBadRequest,
			"Only a translator&#39;s account has languages to translate."},
		{"no account", ada, "/console/accounts/99999/languages", url.Values{"content_languages": {"fa"}}, http.StatusNotFound, ""},
		{"not a number", ada, "/console/accounts/x/languages", url.Values{"content_languages": {"fa"}}, http.StatusBadRequest, ""},
		{"by a translator", e.signIn("tia"), path, url.Values{"content_languages": {"ru", "fa"}}, http.StatusForbidden, ""},
	} {
		r := tc.c.post(tc.path, tc.form)
		if r.code != tc.code || !strings.Contains(r.body, tc.want) {
			t.Errorf("%s: got %d, want %d with %q\n%.1500s", tc.name, r.code, tc.code, tc.want, r.body)
		}
	}
	got, err := e.db.AccountByLogin(context.Background(), "tina")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got.ContentLanguages, ",") != "fa" {
		t.Errorf("tina's languages after the refused changes: got %v, want [fa]", got.ContentLanguages)
	}
	if !strings.Contains(accountRow(ada.get("/console/accounts").body, "tina"), `<input type="checkbox" name="content_languages" value="fa" checked>`) {
		t.Errorf("the edit form does not tick tina's language")
	}
}

// accountRow is the accounts page's table row of login.
func accountRow(body, login string) string {
	i := strings.Index(body, "<td>"+login)
	if i < 0 {
		return ""
	}
	end := strings.Index(body[i:], "</tr>")
	if end < 0 {
		return body[i:]
	}
	return body[i : i+end]
}
