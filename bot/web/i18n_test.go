package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/locale"
	"github.com/yol-project/yol/bot/redact"
	"github.com/yol-project/yol/bot/staff"
	"github.com/yol-project/yol/bot/web"
	"github.com/yol-project/yol/locales"
)

// staffAccount creates an account whose console is in lang ("" follows the
// browser), with the test password.
func (e *env) staffAccount(login string, role staff.Role, lang string, depts ...string) *staff.Account {
	e.t.Helper()
	var content []string
	if role == staff.RoleTranslator {
		content = web.TranslationLanguages(e.content.Load())
	}
	a, err := web.CreateAccount(context.Background(), e.db, web.AccountRequest{Login: login, Name: "Aysel Məmmədova", Role: role,
		Departments: depts, Language: lang, Languages: []string{"en", "az", "ru"}, ContentLanguages: content, Translatable: web.TranslationLanguages(e.content.Load())},
		"correct horse battery staple", []string{"baku_dept", "ganja_dept"}, 0)
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

// getIn is a GET with the browser's Accept-Language.
func (c *client) getIn(path, accept string) resp {
	c.e.t.Helper()
	req, _ := http.NewRequest("GET", c.e.ts.URL+path, nil)
	req.Header.Set("Accept-Language", accept)
	return c.do(req)
}

var (
	dropBlocks = regexp.MustCompile(`(?is)<(script|style|code|title)\b[^>]*>.*?</(script|style|code|title)>`)
	tagRE      = regexp.MustCompile(`(?s)<[^>]*>`)
	attrRE     = regexp.MustCompile(`(?i)\s(title|placeholder|aria-label)="([^"]*)"`)
	buttonRE   = regexp.MustCompile(`(?i)<input\b[^>]*type="(?:submit|button)"[^>]*>`)
	valueRE    = regexp.MustCompile(`(?i)\svalue="([^"]*)"`)
	templateRE = regexp.MustCompile(`\{\{[^}]*\}\}`)
)

// visibleText is what a reader sees of a page: its text nodes (not
// scripts, styles or code) and the attributes a browser shows (title,
// placeholder, aria-label, a button's value).
func visibleText(page string) string {
	var b strings.Builder
	for _, m := range attrRE.FindAllStringSubmatch(page, -1) {
		b.WriteString(m[2] + "\n")
	}
	for _, in := range buttonRE.FindAllString(page, -1) {
		if m := valueRE.FindStringSubmatch(in); m != nil {
			b.WriteString(m[1] + "\n")
		}
	}
	body := dropBlocks.ReplaceAllString(page, " ")
	b.WriteString(tagRE.ReplaceAllString(body, " "))
	return html.UnescapeString(b.String())
}

// words are the lowercased words (runs of two letters or more) of s.
func words(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if len([]rune(w)) >= 2 {
			out = append(out, strings.ToLower(w))
		}
	}
	return out
}

// consoleWords are the words of every console text of lang in the default
// pack (templates left out).
func consoleWords(t *testing.T, texts *locale.Bundle, lang string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for id := range texts.IDs(lang) {
		if !strings.HasPrefix(id, web.ConsolePrefix) {
			continue
		}
		for _, raw := range texts.Raw(lang, id) {
			for _, w := range words(templateRE.ReplaceAllString(raw, " ")) {
				out[w] = true
			}
		}
	}
	if len(out) == 0 {
		t.Fatalf("no console texts in %s", lang)
	}
	return out
}

// TestConsoleSpeaksStaffLanguages renders every console page as an account
// whose language is az, then ru, and fails on any visible English word of
// the English console catalogue that the page's language does not use too:
// a text left in English. Proper nouns, codes, logins and the data the test
// put in (names, the person's messages) are allowed.
func TestConsoleSpeaksStaffLanguages(t *testing.T) {
	texts, probs := locale.Load(locales.FS, ".")
	if texts == nil {
		t.Fatalf("default locales: %v", probs)
	}
	english := consoleWords(t, texts, "en")
	e := newEnv(t, withBot)
	ref := e.referral(bot.ChannelTelegram, 9001, "baku_dept", "ru", "Я потерял паспорт")
	other := e.referral(bot.ChannelSimulator, 9002, "ganja_dept", "fa", "گذرنامه")
	e.source("poster_1") // named "Source poster_1", with its link and QR codes
	record(t, e, 9001, "ru", redact.ForEditors("Где можно сделать фото на документы?"))
	// The data on the pages (not console texts): allowed whatever its language.
	allowed := map[string]bool{}
	for _, w := range words("Source poster_1 https t.me yol_test_bot start Yol Telegram CSV Aysel Məmmədova boss Passport valid Pathway Family family " +
		"English Azərbaycanca Русский فارسی Baku Asia UTC en az ru fa " +
		ref.Code + " " + other.Code) { // random codes may hold "AT" or "IN"
		allowed[w] = true
	}
	// The test pack's own article and pathway titles (content, not console
	// texts; it has them in English only), shown on the unanswered page.
	c := e.content.Load()
	for _, a := range c.KB.Articles() {
		for _, w := range words(c.Texts.Text("en", a.Title, nil, nil)) {
			allowed[w] = true
		}
	}
	for _, p := range c.KB.Pathways() {
		for _, w := range words(c.Texts.Text("en", p.Title, nil, nil)) {
			allowed[w] = true
		}
	}
	for _, lang := range []string{"az", "ru"} {
		t.Run(lang, func(t *testing.T) {
			own := consoleWords(t, texts, lang)
			login := "boss_" + lang
			e.staffAccount(login, staff.RoleAdmin, lang)
			anon := e.client()
			pages := map[string]resp{"login": anon.getIn("/console/login", lang)}
			c := e.signIn(login)
			// Some history on the case: a note, a status change, an appointment.
			c.post(caseURL(ref)+"/notes", url.Values{"text": {"zəng etdim"}})
			if lang == "az" {
				c.post(caseURL(ref)+"/status", url.Values{"status": {"claimed"}})
			}
			for name, path := range map[string]string{
				"queue": "/console/cases", "all cases": "/console/cases?all=1", "case": caseURL(ref), "case with a banner": caseURL(ref) + "?flash=note-added",
				"status banner": caseURL(ref) + "?flash=status-claimed", "dashboard": "/console/dashboard",
				"dashboard by department": "/console/dashboard?by=department", "coverage": "/console/coverage",
				"campaigns": "/console/campaigns", "dashboard by campaign and week": "/console/dashboard?by=campaign_week",
				"unanswered": "/console/unanswered", "accounts": "/console/accounts", "audit": "/console/audit",
				"password": "/console/password", "no such case": "/console/cases/999999",
				"simulator": "/simulator", "dashboard by language": "/console/dashboard?by=language",
			} {
				pages[name] = c.getIn(path, "en-US,en")
			}
			for name, r := range pages {
				if r.code != http.StatusOK && !(name == "no such case" && r.code == http.StatusNotFound) {
					t.Errorf("%s: status %d", name, r.code)
					continue
				}
				if !strings.Contains(r.body, `<html lang="`+lang+`">`) {
					t.Errorf("%s: <html lang> is not %s", name, lang)
				}
				if strings.Contains(r.body, "[console.") {
					t.Errorf("%s: a console text is missing (shown as its id)", name)
				}
				left := map[string]bool{}
				for _, w := range words(visibleText(r.body)) {
					if english[w] && !own[w] && !allowed[w] {
						left[w] = true
					}
				}
				if len(left) > 0 {
					var list []string
					for w := range left {
						list = append(list, w)
					}
					sort.Strings(list)
					t.Errorf("%s in %s shows English words %v", name, lang, list)
				}
			}
			// Status names come from the staff member's language.
			want := map[string]string{"az": "Baxılır", "ru": "На рассмотрении"}[lang]
			if r := c.get(caseURL(ref)); lang == "az" && !strings.Contains(r.body, want) {
				t.Errorf("case page in %s lacks the status %q", lang, want)
			}
			if r := c.get("/console/cases?status=claimed"); !strings.Contains(r.body, want) {
				t.Errorf("queue in %s lacks the status %q", lang, want)
			}
		})
	}
	// The check sees English where there is some: the English sign-in page
	// against the Azerbaijani catalogue.
	az := consoleWords(t, texts, "az")
	n := 0
	for _, w := range words(visibleText(e.client().get("/console/login").body)) {
		if english[w] && !az[w] && !allowed[w] {
			n++
		}
	}
	if n < 5 {
		t.Errorf("the English sign-in page has only %d English words: the check sees nothing", n)
	}
}

// TestSignInFollowsTheBrowser: before sign-in the console follows
// Accept-Language (Russian here, English for a language it does not
// speak); an account that follows the browser gets its language after
// sign-in, one with its own language keeps it whatever the browser says.
func TestSignInFollowsTheBrowser(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	r := c.getIn("/console/login", "ru-RU,ru;q=0.9,en;q=0.5")
	for _, want := range []string{`<html lang="ru">`, "Вход для сотрудников", "Логин", "Пароль", `>Войти</button>`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("Russian sign-in page lacks %q", want)
		}
	}
	if strings.Contains(r.body, "Staff sign-in") || strings.Contains(r.body, "Password") {
		t.Errorf("Russian sign-in page shows English")
	}
	if r.header.Get("Content-Language") != "ru" {
		t.Errorf("Content-Language %q", r.header.Get("Content-Language"))
	}
	for accept, want := range map[string]string{"fa-IR,fa": `<html lang="en">`, "": `<html lang="en">`, "az-AZ": `<html lang="az">`} {
		if r := c.getIn("/console/login", accept); !strings.Contains(r.body, want) || !strings.Contains(r.body, `autocomplete="username"`) {
			t.Errorf("Accept-Language %q: want %s", accept, want)
		}
	}
	// A failed sign-in answers in the browser's language, and does not say why.
	req, _ := http.NewRequest("POST", e.ts.URL+"/console/login", strings.NewReader(url.Values{"login": {"nobody"}, "password": {"x"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Accept-Language", "ru")
	if r := c.do(req); r.code != http.StatusUnauthorized || !strings.Contains(r.body, "Неверный логин или пароль.") {
		t.Errorf("failed sign-in in Russian: %d", r.code)
	}

	e.staffAccount("follows", staff.RoleStaff, "", "baku_dept")
	e.staffAccount("azeri", staff.RoleStaff, "az", "baku_dept")
	if r := e.signIn("follows").getIn("/console/cases", "ru"); !strings.Contains(r.body, `<html lang="ru">`) || !strings.Contains(r.body, "Обращения") {
		t.Errorf("an account that follows the browser: not in Russian")
	}
	if r := e.signIn("follows").get("/console/cases"); !strings.Contains(r.body, `<html lang="en">`) || !strings.Contains(r.body, "Referrals") {
		t.Errorf("an account that follows the browser, no Accept-Language: not in English")
	}
	if r := e.signIn("azeri").getIn("/console/cases", "ru"); !strings.Contains(r.body, `<html lang="az">`) || !strings.Contains(r.body, "Müraciətlər") {
		t.Errorf("an account in az: not in Azerbaijani")
	}
}

// TestChooseConsoleLanguage: a staff member chooses their language on the
// account page (audited; only a staff language); an admin gives one to a
// new account.
func TestChooseConsoleLanguage(t *testing.T) {
	e := newEnv(t)
	me := e.staffAccount("leyla", staff.RoleStaff, "", "baku_dept")
	c := e.signIn("leyla")
	if r := c.get("/console/password"); !strings.Contains(r.body, `action="/console/language"`) || !strings.Contains(r.body, "Azərbaycanca") {
		t.Fatalf("the account page has no language choice")
	}
	r := c.post("/console/language", url.Values{"language": {"ru"}})
	if r.code != http.StatusSeeOther || r.header.Get("Location") != "/console/password?flash=language-saved" {
		t.Fatalf("choose ru: %d to %q", r.code, r.header.Get("Location"))
	}
	page := c.get(r.header.Get("Location"))
	if !strings.Contains(page.body, `<html lang="ru">`) || !strings.Contains(page.body, "Язык сохранён.") || !strings.Contains(page.body, `<option value="ru" selected>`) {
		t.Errorf("after choosing ru: the page is not Russian")
	}
	if n := e.count("SELECT count(*) FROM audit_log WHERE action = 'account.language' AND staff_id = $1", me.ID); n != 1 {
		t.Errorf("language change audits: %d", n)
	}
	for _, bad := range []string{"fa", "xx", "<b>"} {
		if r := c.post("/console/language", url.Values{"language": {bad}}); !strings.HasSuffix(r.header.Get("Location"), "flash=invalid-form") {
			t.Errorf("language %q accepted", bad)
		}
	}
	if n := e.count("SELECT count(*) FROM staff_accounts WHERE login = 'leyla' AND language = 'ru'"); n != 1 {
		t.Errorf("the language is not ru any more")
	}
	c.post("/console/language", url.Values{"language": {""}})
	if r := c.getIn("/console/cases", "az"); !strings.Contains(r.body, `<html lang="az">`) {
		t.Errorf("back to the browser's language: not followed")
	}
	if r := e.client().post("/console/language", url.Values{"language": {"ru"}}); r.code != http.StatusUnauthorized {
		t.Errorf("signed out: %d", r.code)
	}

	e.staffAccount("boss", staff.RoleAdmin, "en")
	admin := e.signIn("boss")
	if r := admin.post("/console/accounts", url.Values{"login": {"elvin"}, "role": {"staff"}, "departments": {"baku_dept"}, "language": {"az"}}); r.code != http.StatusOK {
		t.Fatalf("create an account in az: %d", r.code)
	}
	if n := e.count("SELECT count(*) FROM staff_accounts WHERE login = 'elvin' AND language = 'az'"); n != 1 {
		t.Errorf("the new account's language is not az")
	}
	if r := admin.post("/console/accounts", url.Values{"login": {"murad"}, "role": {"staff"}, "departments": {"baku_dept"}, "language": {"tr"}}); r.code != http.StatusBadRequest ||
		!strings.Contains(r.body, "Choose a console language from the list.") {
		t.Errorf("an account in tr: %d", r.code)
	}
}
