package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/staff"
	"github.com/yol-project/yol/bot/web"
)

func caseURL(r *bot.Referral) string { return fmt.Sprintf("/console/cases/%d", r.ID) }

// TestRolesSeeOnlyWhatTheyMay: admin sees every case; staff only their
// departments' (another department's case id is 404, in the queue and for
// every change); an editor sees no case and no personal data at all.
func TestRolesSeeOnlyWhatTheyMay(t *testing.T) {
	e := newEnv(t)
	baku := e.referral(bot.ChannelTelegram, 1001, "baku_dept", "ru", "I lost my passport")
	ganja := e.referral(bot.ChannelTelegram, 1002, "ganja_dept", "fa", "Ganja secret words")
	e.account("boss", staff.RoleAdmin)
	e.account("bakuofficer", staff.RoleStaff, "baku_dept")
	e.account("writer", staff.RoleEditor)

	admin := e.signIn("boss")
	q := admin.get("/console/cases")
	if q.code != 200 || !strings.Contains(q.body, baku.Code) || !strings.Contains(q.body, ganja.Code) {
		t.Fatalf("admin queue: got %d, want both cases\n%s", q.code, q.body)
	}
	if r := admin.get(caseURL(ganja)); r.code != 200 || !strings.Contains(r.body, "Ganja secret words") {
		t.Fatalf("admin case: got %d", r.code)
	}

	staff := e.signIn("bakuofficer")
	q = staff.get("/console/cases")
	if !strings.Contains(q.body, baku.Code) || strings.Contains(q.body, ganja.Code) {
		t.Fatalf("staff queue: want only the Baku case\n%s", q.body)
	}
	if q := staff.get("/console/cases?department=ganja_dept"); strings.Contains(q.body, ganja.Code) {
		t.Fatalf("staff queue filtered by another department shows its case")
	}
	r := staff.get(caseURL(baku))
	if r.code != 200 || !strings.Contains(r.body, "I lost my passport") || !strings.Contains(r.body, "994501112233") {
		t.Fatalf("staff own case: got %d\n%s", r.code, r.body)
	}
	r = staff.get(caseURL(ganja))
	if r.code != http.StatusNotFound || strings.Contains(r.body, "Ganja secret words") || strings.Contains(r.body, ganja.Code) {
		t.Fatalf("staff other department's case: got %d, want 404 without its data", r.code)
	}
	for _, p := range []struct {
		path string
		form url.Values
	}{
		{"/status", url.Values{"status": {"claimed"}}},
		{"/notes", url.Values{"text": {"x"}}},
		{"/message", url.Values{"text": {"x"}}},
		{"/appointment", url.Values{"date": {"2030-01-02"}, "time": {"10:00"}, "place": {"x"}}},
	} {
		if r := staff.post(caseURL(ganja)+p.path, p.form); r.code != http.StatusNotFound {
			t.Errorf("staff POST %s on another department's case: got %d, want 404", p.path, r.code)
		}
	}
	if n := e.count("SELECT count(*) FROM referral_notes") + e.count("SELECT count(*) FROM outbox") +
		e.count("SELECT count(*) FROM referrals WHERE status <> 'new'"); n != 0 {
		t.Errorf("a refused change left %d rows", n)
	}
	if r := staff.get("/console/cases/999999"); r.code != http.StatusNotFound {
		t.Errorf("unknown case: got %d, want 404", r.code)
	}
	if r := staff.get("/console/accounts"); r.code != http.StatusForbidden {
		t.Errorf("staff on accounts: got %d, want 403", r.code)
	}
	if r := staff.get("/console/audit"); r.code != http.StatusForbidden {
		t.Errorf("staff on audit: got %d, want 403", r.code)
	}

	editor := e.signIn("writer")
	for _, p := range []string{"/console/cases", caseURL(baku), caseURL(ganja), "/console/accounts", "/console/audit"} {
		r := editor.get(p)
		if r.code != http.StatusForbidden {
			t.Errorf("editor GET %s: got %d, want 403", p, r.code)
		}
		for _, secret := range []string{baku.Code, ganja.Code, "passport", "+994", "Ganja secret"} {
			if strings.Contains(r.body, secret) {
				t.Errorf("editor GET %s shows %q", p, secret)
			}
		}
	}
	if r := editor.post(caseURL(baku)+"/status", url.Values{"status": {"claimed"}}); r.code != http.StatusForbidden {
		t.Errorf("editor status change: got %d, want 403", r.code)
	}
	for _, p := range []string{"/console/dashboard", "/console/coverage", "/simulator"} {
		r := editor.get(p)
		if r.code != 200 {
			t.Errorf("editor GET %s: got %d, want 200", p, r.code)
		}
		if strings.Contains(r.body, baku.Code) || strings.Contains(r.body, "+994501112233") {
			t.Errorf("editor GET %s shows personal data", p)
		}
	}
	// Signed out: everything sends to the sign-in page.
	anon := e.client()
	for _, p := range []string{"/console", "/console/cases", caseURL(baku), "/console/dashboard"} {
		if r := anon.get(p); r.code != http.StatusSeeOther || r.header.Get("Location") != "/console/login" {
			t.Errorf("anonymous GET %s: got %d %q", p, r.code, r.header.Get("Location"))
		}
	}
	if r := anon.post(caseURL(baku)+"/status", url.Values{"status": {"claimed"}}); r.code != http.StatusUnauthorized {
		t.Errorf("anonymous POST: got %d, want 401", r.code)
	}
}

// TestCrossOriginRejected: a state-changing request from another site is
// refused whatever the cookies, and changes nothing.
func TestCrossOriginRejected(t *testing.T) {
	e := newEnv(t)
	ref := e.referral(bot.ChannelTelegram, 2001, "baku_dept", "en")
	e.account("boss", staff.RoleAdmin)
	admin := e.signIn("boss")
	form := url.Values{"status": {"claimed"}}.Encode()
	for _, h := range []map[string]string{
		{"Sec-Fetch-Site": "cross-site"},
		{"Sec-Fetch-Site": "same-site"},
		{"Origin": "https://evil.example"},
	} {
		req, _ := http.NewRequest("POST", e.ts.URL+caseURL(ref)+"/status", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range h {
			req.Header.Set(k, v)
		}
		if r := admin.do(req); r.code != http.StatusForbidden {
			t.Errorf("%v: got %d, want 403", h, r.code)
		}
	}
	// The login form and the simulator are protected too.
	req, _ := http.NewRequest("POST", e.ts.URL+"/console/login", strings.NewReader("login=boss&password=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if r := e.client().do(req); r.code != http.StatusForbidden {
		t.Errorf("cross-site sign-in: got %d, want 403", r.code)
	}
	req, _ = http.NewRequest("POST", e.ts.URL+"/simulator/send", strings.NewReader(`{"text":"hi"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", "https://evil.example")
	if r := e.client().do(req); r.code != http.StatusForbidden {
		t.Errorf("cross-site simulator: got %d, want 403", r.code)
	}
	if n := e.count("SELECT count(*) FROM referrals WHERE status = 'claimed'"); n != 0 {
		t.Errorf("a cross-site request changed the case")
	}
	// GET never changes state: a status change by GET is not even routed.
	if r := admin.get(caseURL(ref) + "/status?status=claimed"); r.code != http.StatusMethodNotAllowed {
		t.Errorf("GET status: got %d, want 405", r.code)
	}
}

var hostile = []string{
	`<script>alert(1)</script>`,
	`<img src=x onerror=alert(2)>`,
	`"><svg onload=alert(3)>`,
	`javascript:alert(4)`,
	"\u202eevil\u202c RTL override",
	`{{.Secret}} ${7*7}`,
	`</textarea><script>alert(5)</script>`,
}

// TestHostileTextRendersInert: what a migrant writes (and notes, codes in
// filters) shows as text on every page.
func TestHostileTextRendersInert(t *testing.T) {
	e := newEnv(t)
	ref := e.referral(bot.ChannelTelegram, 3001, "baku_dept", "en", hostile...)
	e.account("boss", staff.RoleAdmin)
	admin := e.signIn("boss")
	admin.post(caseURL(ref)+"/notes", url.Values{"text": {hostile[0] + hostile[1]}})
	r := admin.get(caseURL(ref))
	if r.code != 200 {
		t.Fatalf("case: got %d", r.code)
	}
	for _, bad := range []string{"<script>alert", "<img src=x", "<svg onload", "</textarea><script>"} {
		if strings.Contains(r.body, bad) {
			t.Errorf("case page contains %q unescaped", bad)
		}
	}
	if !strings.Contains(r.body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("the script payload is not shown as text")
	}
	if n := strings.Count(r.body, "<script"); n != 0 {
		t.Errorf("case page has %d script tags, want 0 (no JavaScript on console pages)", n)
	}
	q := admin.get("/console/cases?language=" + url.QueryEscape(`"><script>alert(1)</script>`))
	if strings.Contains(q.body, "<script>alert") {
		t.Errorf("queue filter echoed unescaped")
	}
	// The simulator's JSON escapes markup too; its script renders with textContent only.
	c := e.client()
	c.postJSON("/simulator/reset", map[string]string{"lang": "en"})
	sr := c.postJSON("/simulator/send", map[string]any{"text": hostile[0]})
	if strings.Contains(sr.body, "<script>") {
		t.Errorf("simulator JSON contains raw markup: %s", sr.body)
	}
	js, _ := os.ReadFile("static/sim.js")
	if regexp.MustCompile(`innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(`).Match(js) {
		t.Errorf("sim.js uses an HTML sink")
	}
}

// TestSignInThrottled: failures get the generic message whether or not the
// login exists; five failures for a login make the next try wait, even with
// the right password, in every process (the counts are in the database);
// refused tries are counted, not audited. More in signin_test.go.
func TestSignInThrottled(t *testing.T) {
	e := newEnv(t)
	e.frozenClock()
	e.account("boss", staff.RoleAdmin)
	c := e.client()
	unknown := c.post("/console/login", url.Values{"login": {"nobody"}, "password": {"whatever whatever"}})
	wrong := c.post("/console/login", url.Values{"login": {"boss"}, "password": {"wrong password!!"}})
	if unknown.code != http.StatusUnauthorized || wrong.code != http.StatusUnauthorized {
		t.Fatalf("failures: got %d and %d, want 401", unknown.code, wrong.code)
	}
	if !strings.Contains(unknown.body, "Wrong login or password.") || !strings.Contains(wrong.body, "Wrong login or password.") {
		t.Errorf("failure messages are not the generic one")
	}
	for i := 0; i < 4; i++ {
		c.post("/console/login", url.Values{"login": {"boss"}, "password": {"wrong password!!"}})
	}
	r := c.post("/console/login", url.Values{"login": {"boss"}, "password": {"correct horse battery staple"}})
	if r.code != http.StatusTooManyRequests {
		t.Fatalf("after 5 failures: got %d, want 429", r.code)
	}
	if n := e.count("SELECT count(*) FROM audit_log WHERE action = 'signin.failed'"); n != 6 {
		t.Errorf("audited failures: got %d, want 6", n)
	}
	if n := e.count("SELECT count(*) FROM audit_log WHERE action = 'signin.throttled'"); n != 0 {
		t.Errorf("audited throttles: got %d, want 0 (they are counted)", n)
	}
	// A fresh server (another process) refuses as well.
	other := &web.Server{Log: e.srv.Log, Store: e.db, Content: e.content, Now: e.srv.Now}
	ts2 := newServerFor(t, other)
	req, _ := http.NewRequest("POST", ts2+"/console/login", strings.NewReader(url.Values{"login": {"boss"}, "password": {"correct horse battery staple"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if r := e.client().do(req); r.code != http.StatusTooManyRequests {
		t.Errorf("second process after 5 failures: got %d, want 429", r.code)
	}
	if n := e.count("SELECT coalesce(sum(throttled), 0) FROM signin_throttle WHERE scope = 'login' AND key = 'boss'"); n != 2 {
		t.Errorf("counted throttles: got %d, want 2", n)
	}
}

// TestSessionCookieAndTimeouts: cookie flags, rotation at sign-in, idle
// timeout, sign-out.
func TestSessionCookieAndTimeouts(t *testing.T) {
	e := newEnv(t)
	e.account("boss", staff.RoleAdmin)
	c := e.client()
	r := c.post("/console/login", url.Values{"login": {"boss"}, "password": {"correct horse battery staple"}})
	cookie := r.header.Get("Set-Cookie")
	for _, want := range []string{"yol_console=", "HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=43200"} {
		if !strings.Contains(cookie, want) {
			t.Errorf("cookie %q lacks %q", cookie, want)
		}
	}
	if strings.Contains(cookie, "Secure") {
		t.Errorf("cookie over plain HTTP without an https public URL is Secure: %q", cookie)
	}
	if n := e.count("SELECT count(*) FROM staff_sessions WHERE length(token_hash) = 32"); n != 1 {
		t.Errorf("sessions with a SHA-256: got %d, want 1", n)
	}
	token := regexp.MustCompile(`yol_console=([^;]+)`).FindStringSubmatch(cookie)[1]
	if n := e.count("SELECT count(*) FROM staff_sessions WHERE token_hash = $1", []byte(token)); n != 0 {
		t.Errorf("the raw token is stored")
	}
	// Signing in again rotates: the old token no longer works.
	old := token
	r = c.post("/console/login", url.Values{"login": {"boss"}, "password": {"correct horse battery staple"}})
	token = regexp.MustCompile(`yol_console=([^;]+)`).FindStringSubmatch(r.header.Get("Set-Cookie"))[1]
	if token == old {
		t.Fatalf("token not rotated")
	}
	stale := e.client()
	stale.jar.SetCookies(mustURL(e.ts.URL), []*http.Cookie{{Name: "yol_console", Value: old}})
	if r := stale.get("/console/cases"); r.code != http.StatusSeeOther {
		t.Errorf("old token after rotation: got %d, want 303 to sign-in", r.code)
	}
	if r := c.get("/console/cases"); r.code != 200 {
		t.Fatalf("new token: got %d", r.code)
	}
	// Idle for 31 minutes: the session is over.
	e.db.Pool.Exec(context.Background(), "UPDATE staff_sessions SET last_seen_at = now() - interval '31 minutes'")
	if r := c.get("/console/cases"); r.code != http.StatusSeeOther {
		t.Errorf("idle session: got %d, want 303", r.code)
	}
	if n := e.count("SELECT count(*) FROM staff_sessions"); n != 0 {
		t.Errorf("idle session not deleted")
	}
	// Absolute lifetime.
	c = e.signIn("boss")
	e.db.Pool.Exec(context.Background(), "UPDATE staff_sessions SET expires_at = now() - interval '1 second'")
	if r := c.get("/console/cases"); r.code != http.StatusSeeOther {
		t.Errorf("expired session: got %d, want 303", r.code)
	}
	// Sign-out ends the session.
	c = e.signIn("boss")
	if r := c.post("/console/logout", nil); r.code != http.StatusSeeOther || !strings.Contains(r.header.Get("Set-Cookie"), "Max-Age=0") {
		t.Errorf("sign-out: got %d %q", r.code, r.header.Get("Set-Cookie"))
	}
	if n := e.count("SELECT count(*) FROM staff_sessions"); n != 0 {
		t.Errorf("sessions after sign-out: %d", n)
	}
	// Behind an https public URL the cookie is Secure.
	e.srv.PublicURL = "https://console.example"
	r = e.client().post("/console/login", url.Values{"login": {"boss"}, "password": {"correct horse battery staple"}})
	if !strings.Contains(r.header.Get("Set-Cookie"), "Secure") {
		t.Errorf("https public URL: cookie not Secure: %q", r.header.Get("Set-Cookie"))
	}
}

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	e.account("boss", staff.RoleAdmin)
	admin := e.signIn("boss")
	for _, p := range []string{"/console/login", "/console/cases", "/console/dashboard", "/simulator", "/healthz", "/static/style.css"} {
		r := admin.get(p)
		h := r.header
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", p, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP allows inline code: %q", p, csp)
		}
		for k, v := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"} {
			if h.Get(k) != v {
				t.Errorf("%s: %s = %q, want %q", p, k, h.Get(k), v)
			}
		}
		if strings.HasPrefix(p, "/console") && h.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", p, h.Get("Cache-Control"))
		}
	}
	// No inline script or style in any console page (the CSP would block them).
	for _, p := range []string{"/console/login", "/console/cases", "/console/dashboard", "/console/accounts", "/console/audit", "/console/coverage"} {
		body := admin.get(p).body
		if regexp.MustCompile(`<script>|<script [^s]|\sstyle=|<style|\son[a-z]+="`).MatchString(body) {
			t.Errorf("%s has inline script, style or handler", p)
		}
	}
}

// TestCaseWorkflow: audit rows on view and change, validated transitions,
// the notice in the person's language, a staff message sealed in the
// outbox, notes sealed, an appointment and its reminder.
func TestCaseWorkflow(t *testing.T) {
	e := newEnv(t)
	ref := e.referral(bot.ChannelTelegram, 4001, "baku_dept", "ru", "Здравствуйте")
	boss := e.account("boss", staff.RoleAdmin)
	admin := e.signIn("boss")
	ctx := context.Background()

	if r := admin.get(caseURL(ref)); r.code != 200 {
		t.Fatalf("case: %d", r.code)
	}
	if n := e.count("SELECT count(*) FROM audit_log WHERE action = 'case.view' AND referral_id = $1 AND staff_id = $2", ref.ID, boss.ID); n != 1 {
		t.Errorf("view audits: got %d, want 1", n)
	}
	// Not allowed: new → regularized.
	if r := admin.post(caseURL(ref)+"/status", url.Values{"status": {"regularized"}}); r.code != http.StatusConflict {
		t.Errorf("new → regularized: got %d, want 409", r.code)
	}
	if r := admin.post(caseURL(ref)+"/status", url.Values{"status": {"bogus"}}); r.code != http.StatusConflict {
		t.Errorf("bogus status: got %d, want 409", r.code)
	}
	if n := e.count("SELECT count(*) FROM outbox"); n != 0 {
		t.Fatalf("a refused transition wrote %d outbox rows", n)
	}
	for _, st := range []string{"claimed", "contacted"} {
		if r := admin.post(caseURL(ref)+"/status", url.Values{"status": {st}}); r.code != http.StatusSeeOther {
			t.Fatalf("→ %s: got %d\n%s", st, r.code, r.body)
		}
	}
	if n := e.count("SELECT count(*) FROM referrals WHERE id = $1 AND status = 'contacted' AND claimed_by = $2", ref.ID, boss.ID); n != 1 {
		t.Errorf("case not contacted and claimed by the admin")
	}
	if n := e.count("SELECT count(*) FROM referral_events WHERE referral_id = $1", ref.ID); n != 3 {
		t.Errorf("events: got %d, want 3 (new, claimed, contacted)", n)
	}
	if n := e.count("SELECT count(*) FROM audit_log WHERE action = 'case.status' AND referral_id = $1", ref.ID); n != 2 {
		t.Errorf("status audits: got %d, want 2", n)
	}
	notices := outbox(t, e)
	if len(notices) != 2 || notices[1].Text != "Ваше дело "+ref.Code+": с вами связались." {
		t.Fatalf("notices: got %+v", notices)
	}

	// A staff message: sealed in the outbox, a 'staff' transcript line.
	secret := "Приходите в понедельник"
	if r := admin.post(caseURL(ref)+"/message", url.Values{"text": {secret}}); r.code != http.StatusSeeOther {
		t.Fatalf("message: got %d", r.code)
	}
	var raw []byte
	e.db.Pool.QueryRow(ctx, "SELECT payload_enc FROM outbox ORDER BY id DESC LIMIT 1").Scan(&raw)
	if strings.Contains(string(raw), "понедельник") {
		t.Errorf("outbox payload is not sealed")
	}
	if got := outbox(t, e); got[len(got)-1].Text != secret {
		t.Errorf("last outbox reply: got %q", got[len(got)-1].Text)
	}
	if n := e.count("SELECT count(*) FROM messages WHERE direction = 'staff'"); n != 1 {
		t.Errorf("staff transcript lines: got %d, want 1", n)
	}
	if n := e.count("SELECT count(*) FROM outbox o JOIN conversations c ON c.id = o.conversation_id AND o.chat_enc = c.chat_enc"); n != 3 {
		t.Errorf("outbox rows addressed to the conversation: got %d, want 3", n)
	}
	if r := admin.get(caseURL(ref)); !strings.Contains(r.body, secret) {
		t.Errorf("the staff message is not in the transcript")
	}

	// A note, sealed.
	admin.post(caseURL(ref)+"/notes", url.Values{"text": {"called twice, no answer"}})
	e.db.Pool.QueryRow(ctx, "SELECT text_enc FROM referral_notes").Scan(&raw)
	if strings.Contains(string(raw), "called twice") {
		t.Errorf("note not sealed")
	}

	// An appointment tomorrow: a notice now, a reminder once.
	at := time.Now().Add(20 * time.Hour).In(time.FixedZone("", 4*3600))
	r := admin.post(caseURL(ref)+"/appointment", url.Values{"date": {at.Format("2006-01-02")}, "time": {at.Format("15:04")}, "place": {"Baku department, room 4"}})
	if r.code != http.StatusSeeOther {
		t.Fatalf("appointment: got %d\n%s", r.code, r.body)
	}
	got := outbox(t, e)
	if want := "Ваше дело " + ref.Code + ": приём " + at.Format("2006-01-02") + " в " + at.Format("15:04") + ", Baku department, room 4."; got[len(got)-1].Text != want {
		t.Errorf("appointment notice: got %q, want %q", got[len(got)-1].Text, want)
	}
	n, err := e.srv.SendReminders(ctx, time.Now())
	if err != nil || n != 1 {
		t.Fatalf("reminders: got %d, %v; want 1", n, err)
	}
	if n, _ := e.srv.SendReminders(ctx, time.Now()); n != 0 {
		t.Errorf("reminded twice")
	}
	got = outbox(t, e)
	if !strings.HasPrefix(got[len(got)-1].Text, "Напоминание: завтра") {
		t.Errorf("reminder: got %q", got[len(got)-1].Text)
	}
	if bad := admin.post(caseURL(ref)+"/appointment", url.Values{"date": {"tomorrow"}, "time": {"10"}, "place": {"x"}}); bad.code != http.StatusSeeOther || !strings.Contains(bad.header.Get("Location"), "flash=") {
		t.Errorf("bad appointment: got %d", bad.code)
	}

	// Cancelled from the case page: the person is told not to go, once.
	if page := admin.get(caseURL(ref)); !strings.Contains(page.body, `name="cancel"`) {
		t.Errorf("the case page offers no way to cancel the appointment")
	}
	before := len(outbox(t, e))
	if r := admin.post(caseURL(ref)+"/appointment", url.Values{"cancel": {"1"}}); r.code != http.StatusSeeOther || !strings.Contains(r.header.Get("Location"), "appointment-cancelled") {
		t.Fatalf("cancel appointment: got %d %s", r.code, r.header.Get("Location"))
	}
	got = outbox(t, e)
	if len(got) != before+1 || got[len(got)-1].Text != "Ваше дело "+ref.Code+": приём отменён." {
		t.Errorf("cancellation notice: got %d new rows, last %q", len(got)-before, got[len(got)-1].Text)
	}
	if page := admin.get(caseURL(ref)); strings.Contains(page.body, `name="cancel"`) {
		t.Errorf("the cancel button stays after the cancellation")
	}
	if r := admin.post(caseURL(ref)+"/appointment", url.Values{"cancel": {"1"}}); r.code != http.StatusSeeOther || !strings.Contains(r.header.Get("Location"), "no-appointment") {
		t.Fatalf("second cancel: got %d to %q, want 303 with the no-appointment banner", r.code, r.header.Get("Location"))
	}
	if n := len(outbox(t, e)); n != before+1 {
		t.Errorf("cancelling no appointment told the person again: %d rows, want %d", n, before+1)
	}
	if n := e.count("SELECT count(*) FROM audit_log WHERE action = 'case.appointment_cancel' AND referral_id = $1", ref.ID); n != 1 {
		t.Errorf("cancellations audited: got %d, want 1 (the second cancelled nothing)", n)
	}

	// Workflow to the end; a closed case takes no more changes.
	for _, st := range []string{"submitted", "regularized"} {
		if r := admin.post(caseURL(ref)+"/status", url.Values{"status": {st}}); r.code != http.StatusSeeOther {
			t.Fatalf("→ %s: got %d", st, r.code)
		}
	}
	if r := admin.post(caseURL(ref)+"/status", url.Values{"status": {"claimed"}}); r.code != http.StatusConflict {
		t.Errorf("closed case reopened: got %d", r.code)
	}
	if n := e.count("SELECT count(*) FROM referrals WHERE closed_at IS NOT NULL"); n != 1 {
		t.Errorf("regularized case not closed")
	}
	for _, a := range []string{"case.view", "case.status", "case.message", "case.note", "case.appointment"} {
		if n := e.count("SELECT count(*) FROM audit_log WHERE action = $1 AND referral_id = $2 AND staff_id = $3", a, ref.ID, boss.ID); n == 0 {
			t.Errorf("no audit row %s", a)
		}
	}
}

// outbox opens every outbox reply, in order.
func outbox(t *testing.T, e *env) []bot.Reply {
	t.Helper()
	rows, err := e.db.Pool.Query(context.Background(), "SELECT payload_enc FROM outbox ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []bot.Reply
	for rows.Next() {
		var p []byte
		rows.Scan(&p)
		plain, err := e.db.Keys.Open(p, "outbox.payload")
		if err != nil {
			t.Fatalf("open outbox payload: %v", err)
		}
		var r bot.Reply
		json.Unmarshal(plain, &r)
		out = append(out, r)
	}
	return out
}

// TestAuditLogIsAppendOnly: no statement in the code base updates audit
// rows, and the only one that deletes any is the retention janitor's purge
// of old sign-in rows (bot/postgres/audit.go).
func TestAuditLogIsAppendOnly(t *testing.T) {
	const signInPurge = "DELETE FROM audit_log WHERE action IN ('signin', 'signin.failed', 'signin.throttled', 'signout') AND at < $1"
	re := regexp.MustCompile(`(?i)(UPDATE\s+audit_log|DELETE\s+FROM\s+audit_log|TRUNCATE\s+(TABLE\s+)?audit_log)`)
	for _, dir := range []string{"..", "../../cmd"} {
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
				return nil
			}
			b, _ := os.ReadFile(p)
			for _, m := range re.FindAllIndex(b, -1) {
				if filepath.ToSlash(p) == "../postgres/audit.go" && strings.HasPrefix(string(b[m[0]:]), signInPurge) {
					continue
				}
				t.Errorf("%s changes the audit log", p)
			}
			return nil
		})
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}
