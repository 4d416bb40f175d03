package web_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/org"
	"github.com/yol-project/yol/bot/referral"
	"github.com/yol-project/yol/bot/staff"
	"github.com/yol-project/yol/bot/web"
)

func TestPasswordHash(t *testing.T) {
	h, err := web.HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`).MatchString(h) {
		t.Fatalf("hash %q is not a PHC argon2id string with OWASP parameters", h)
	}
	if ok, err := web.CheckPassword(h, "correct horse battery staple"); !ok || err != nil {
		t.Errorf("right password: %v %v", ok, err)
	}
	if ok, _ := web.CheckPassword(h, "correct horse battery stapl"); ok {
		t.Errorf("wrong password accepted")
	}
	if h2, _ := web.HashPassword("correct horse battery staple"); h2 == h {
		t.Errorf("no salt")
	}
	if _, err := web.HashPassword("short"); err == nil {
		t.Errorf("short password accepted")
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA", "$argon2id$v=19$m=1,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA", "plain"} {
		if ok, err := web.CheckPassword(bad, "x"); ok || err == nil {
			t.Errorf("CheckPassword(%q): %v %v", bad, ok, err)
		}
	}
}

// The first admin's password was printed to the log: signing in with it
// lands on the password page, no other console page opens (nor a stored
// content version in the simulator) until it has chosen its own, and the
// printed one no longer works after.
func TestFirstAdminChoosesPassword(t *testing.T) {
	e := newEnv(t, draftSimulator)
	ctx := context.Background()
	if _, _, err := e.db.PushContent(ctx, builtinPack(t), "built-in", "a stored version", 0); err != nil {
		t.Fatal(err)
	}
	login, printed, created, err := web.EnsureAdmin(ctx, e.db)
	if err != nil || !created || login != "admin" || len(printed) < 20 {
		t.Fatalf("first: %q %q %v %v", login, printed, created, err)
	}
	if _, _, created, err := web.EnsureAdmin(ctx, e.db); created || err != nil {
		t.Fatalf("second: created %v, err %v", created, err)
	}
	if n := e.count("SELECT count(*) FROM audit_log WHERE action = 'account.create' AND detail->>'by' = 'first start' AND detail->>'must_change' = 'true'"); n != 1 {
		t.Errorf("account.create audit rows of the first admin: got %d, want 1", n)
	}
	c := e.client()
	r := c.post("/console/login", signInForm(login, printed))
	if r.code != http.StatusSeeOther || r.header.Get("Location") != "/console/password" {
		t.Fatalf("sign-in with the printed password: got %d to %q, want 303 to /console/password", r.code, r.header.Get("Location"))
	}
	pages := []string{"/console", "/console/cases", "/console/cases/1", "/console/find?code=X", "/console/dashboard", "/console/dashboard.csv",
		"/console/coverage", "/console/unanswered", "/console/campaigns", "/console/campaigns/1/qr.png", "/console/accounts",
		"/console/organisations", "/console/content", "/console/texts", "/console/facts", "/console/audit", "/console/audit.csv", "/console/updates"}
	for _, p := range pages {
		if r := c.get(p); r.code != http.StatusSeeOther || r.header.Get("Location") != "/console/password" {
			t.Errorf("GET %s before choosing: got %d to %q, want 303 to /console/password", p, r.code, r.header.Get("Location"))
		}
	}
	for _, p := range []string{"/console/accounts", "/console/campaigns", "/console/organisations", "/console/updates", "/console/content/1/publish"} {
		if r := c.post(p, url.Values{"login": {"intruder"}, "role": {"admin"}}); r.code != http.StatusForbidden || !strings.Contains(r.body, "Choose a new password first.") {
			t.Errorf("POST %s before choosing: got %d, want 403 with the reason\n%.300s", p, r.code, r.body)
		}
	}
	if r := c.postJSON("/simulator/reset?version=1", map[string]string{"lang": "en"}); r.code != http.StatusForbidden {
		t.Errorf("a stored version in the simulator before choosing: got %d, want 403\n%s", r.code, r.body)
	}
	if r := c.get("/console/password"); r.code != 200 || !strings.Contains(r.body, "printed at the first start") {
		t.Errorf("password page: got %d, want 200 with why\n%s", r.code, r.body)
	}
	if n := e.count("SELECT count(*) FROM staff_accounts"); n != 1 {
		t.Errorf("accounts: got %d, want 1 (nothing was created before choosing)", n)
	}
	mine := firstAdminPassword
	if r := c.post("/console/password", passwordForm(printed, mine, mine)); r.code != 200 {
		t.Fatalf("choose a password: got %d\n%s", r.code, r.body)
	}
	for _, p := range []string{"/console/cases", "/console/accounts", "/console/audit"} {
		if r := c.get(p); r.code != 200 {
			t.Errorf("GET %s after choosing: got %d, want 200", p, r.code)
		}
	}
	if r := e.client().post("/console/login", signInForm(login, printed)); r.code != http.StatusUnauthorized {
		t.Errorf("the printed password after choosing: got %d, want 401", r.code)
	}
	if r := e.client().post("/console/login", signInForm(login, mine)); r.code != http.StatusSeeOther || r.header.Get("Location") != "/console" {
		t.Errorf("the chosen password: got %d to %q, want 303 to /console", r.code, r.header.Get("Location"))
	}
	if n := e.count("SELECT count(*) FROM staff_accounts WHERE password_hash LIKE '$argon2id$%' AND NOT password_change_required"); n != 1 {
		t.Errorf("accounts with their own argon2id password: got %d, want 1", n)
	}
}

func TestAccountsPage(t *testing.T) {
	e := newEnv(t)
	e.account("boss", staff.RoleAdmin)
	admin := e.signIn("boss")
	r := admin.post("/console/accounts", url.Values{"login": {"gulnar"}, "name": {"Gülnar"}, "role": {"staff"}, "departments": {"ganja_dept"}})
	if r.code != 200 || !strings.Contains(r.body, "Its password, shown only now:") {
		t.Fatalf("create: got %d\n%s", r.code, r.body)
	}
	pw := regexp.MustCompile(`shown only now: ([A-Z2-7]{26})`).FindStringSubmatch(r.body)
	if pw == nil {
		t.Fatalf("no password shown")
	}
	for _, bad := range []url.Values{
		{"login": {"gulnar"}, "role": {"editor"}},                                 // taken
		{"login": {"x y"}, "role": {"editor"}},                                    // bad login
		{"login": {"nodept"}, "role": {"staff"}},                                  // staff without department
		{"login": {"baddept"}, "role": {"staff"}, "departments": {"mars_office"}}, // unknown office
		{"login": {"root"}, "role": {"superuser"}},                                // unknown role
	} {
		if r := admin.post("/console/accounts", bad); r.code == 200 {
			t.Errorf("%v accepted", bad)
		}
	}
	ganja := e.referral(bot.ChannelTelegram, 5001, "ganja_dept", "en")
	g := e.client()
	if r := g.post("/console/login", url.Values{"login": {"gulnar"}, "password": {pw[1]}}); r.code != http.StatusSeeOther {
		t.Fatalf("new account sign-in: %d", r.code)
	}
	if r := g.get(caseURL(ganja)); r.code != 200 {
		t.Errorf("new staff on own department: %d", r.code)
	}
	// Disable: sessions end.
	var id int64
	e.db.Pool.QueryRow(context.Background(), "SELECT id FROM staff_accounts WHERE login = 'gulnar'").Scan(&id)
	r = admin.post("/console/accounts/"+itoa(id)+"/disable", nil)
	if r.code != http.StatusSeeOther {
		t.Fatalf("disable: %d", r.code)
	}
	// The banner after it is a code of the fixed list, and it shows.
	if loc := r.header.Get("Location"); !strings.Contains(admin.get(loc).body, "Account updated.") {
		t.Errorf("after disabling, %s shows no banner", loc)
	}
	if r := g.get("/console/cases"); r.code != http.StatusSeeOther {
		t.Errorf("disabled account still signed in: %d", r.code)
	}
	if r := g.post("/console/login", url.Values{"login": {"gulnar"}, "password": {pw[1]}}); r.code != http.StatusUnauthorized {
		t.Errorf("disabled account signs in: %d", r.code)
	}
	audit := admin.get("/console/audit")
	for _, a := range []string{"account.create", "account.disable", "signin", "signin.failed"} {
		if !strings.Contains(audit.body, a) {
			t.Errorf("audit page lacks %s", a)
		}
	}
	csv := admin.get("/console/audit.csv")
	if csv.code != 200 || !strings.HasPrefix(csv.body, "id,at,staff,action") {
		t.Errorf("audit CSV: %d %q", csv.code, csv.body[:min(len(csv.body), 80)])
	}
	if n := e.count("SELECT count(*) FROM audit_log WHERE action = 'audit.export'"); n != 1 {
		t.Errorf("audit export not audited")
	}
}

func TestDashboard(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	// Three people start in en/fa; two consent; one is referred and regularized.
	e.source("poster_en")
	e.source("poster_fa")
	for i, lang := range []string{"en", "fa", "fa"} {
		e.db.InTx(ctx, func(tx bot.Tx) error {
			conv, _ := tx.Conversation(ctx, bot.Chat{Channel: bot.ChannelTelegram, ID: int64(7000 + i)})
			conv.Language, conv.Campaign = lang, "poster_"+lang
			tx.AddEvent(ctx, conv, "started", nil)
			if i > 0 {
				tx.AddEvent(ctx, conv, "consented", nil)
				tx.AddEvent(ctx, conv, "consented", nil) // counted once per person
			}
			return nil
		})
	}
	ref := e.referral(bot.ChannelTelegram, 7100, "baku_dept", "fa")
	for _, st := range []referral.Status{"claimed", "contacted", "submitted", "regularized"} {
		if err := e.db.ChangeStatus(ctx, staff.Scope{All: true}, ref.ID, 0, st, nil); err != nil {
			t.Fatal(err)
		}
	}
	e.account("writer", staff.RoleEditor)
	ed := e.signIn("writer")
	r := ed.get("/console/dashboard?by=language")
	if r.code != 200 || !strings.Contains(r.body, "<svg") || !strings.Contains(r.body, "<rect") {
		t.Fatalf("dashboard: %d\n%s", r.code, r.body)
	}
	rows, err := e.db.Funnel(ctx, "language", time.Now().Add(-time.Hour), time.Now().Add(time.Hour), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]int64{}
	for _, row := range rows {
		got[row.Group] = row.Counts
	}
	if want := []int64{1, 0, 0, 0, 0}; !equal(got["en"], want) {
		t.Errorf("en: got %v, want %v", got["en"], want)
	}
	if want := []int64{2, 2, 0, 0, 1}; !equal(got["fa"], want) {
		t.Errorf("fa: got %v, want %v", got["fa"], want)
	}
	for _, by := range []string{"department", "week", "campaign"} {
		if r := ed.get("/console/dashboard?by=" + by); r.code != 200 {
			t.Errorf("by %s: %d", by, r.code)
		}
	}
	csv := ed.get("/console/dashboard.csv?by=campaign")
	if csv.code != 200 || !strings.Contains(csv.body, "campaign,started,consented,eligibility_done,referral_created,regularized") ||
		!strings.Contains(csv.body, "poster_fa,2,2,0,0,0") {
		t.Errorf("CSV: %d\n%s", csv.code, csv.body)
	}
	// Organisations by name, with their ids for machines.
	byDept := ed.get("/console/dashboard.csv?by=department")
	if byDept.code != 200 || !strings.HasPrefix(byDept.body, "department,name,started") {
		t.Errorf("CSV by department: %d\n%s", byDept.code, byDept.body)
	}
	if n := e.count("SELECT count(*) FROM audit_log WHERE action = 'dashboard.export'"); n != 2 {
		t.Errorf("export not audited")
	}
}

// TestStaffNoticeHasNoPersonalData: the staff chat's message about a new
// referral is in the chat's language (the pack's second staff language,
// Azerbaijani), names the organisation and the person's language, links
// the case, and holds nothing personal.
func TestStaffNoticeHasNoPersonalData(t *testing.T) {
	c, probs := bot.LoadPack(os.DirFS("../.."))
	if c == nil {
		t.Fatalf("the pack does not load: %v", probs)
	}
	r := &bot.Referral{ID: 42, Code: "K7M-4QX9", Department: "lawyers", Language: "fa", Pathway: "trp_work",
		Phone: "+994501234567", Summary: "secret answers"}
	stored := []org.Organisation{{ID: "lawyers", Kind: org.LegalAid, Names: map[string]string{"en": "Free Lawyers", "az": "Pulsuz hüquqşünaslar"}}}
	n := web.StaffNotice(c, web.OrgNames(c, stored), r, "https://console.example/")
	for _, want := range []string{"Yeni müraciət K7M-4QX9", "Pulsuz hüquqşünaslar", "فارسی", c.Texts.Text("az", "pathway.trp_work.title", nil, nil),
		"https://console.example/console/cases/42"} {
		if !strings.Contains(n.Text, want) {
			t.Errorf("notice %q lacks %q", n.Text, want)
		}
	}
	for _, bad := range []string{"+994", "secret"} {
		if strings.Contains(n.Text, bad) {
			t.Errorf("notice %q contains %q", n.Text, bad)
		}
	}
}

func equal(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
