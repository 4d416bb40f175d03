package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/staff"
	"github.com/yol-project/yol/bot/web"
)

var _ web.Store = (*postgres.DB)(nil)

func passwordForm(current, next, again string) url.Values {
	return url.Values{"current": {current}, "new": {next}, "again": {again}}
}

// An account changes its own password: the current one first, the new one
// twice and long enough; its other sessions end, this one goes on.
func TestChangeOwnPassword(t *testing.T) {
	e := newEnv(t)
	e.account("leyla", staff.RoleStaff, "baku_dept")
	here := e.signIn("leyla")
	other := e.signIn("leyla")
	if r := here.get("/console/password"); r.code != 200 || !strings.Contains(r.body, `name="again"`) {
		t.Fatalf("password page: got %d\n%s", r.code, r.body)
	}
	const next = "a brand new long passphrase"
	for _, tt := range []struct {
		name string
		form url.Values
		want string
	}{
		{"wrong current", passwordForm("not my password at all", next, next), "The current password is wrong."},
		{"the two differ", passwordForm(rightPassword, next, next+"!"), "The two new passwords differ."},
		{"too short", passwordForm(rightPassword, "short one", "short one"), "at least 12 characters"},
		{"twelve bytes, six characters", passwordForm(rightPassword, "жжжжжж", "жжжжжж"), "at least 12 characters"},
		{"the same again", passwordForm(rightPassword, rightPassword, rightPassword), "must differ from the current one"},
	} {
		r := here.post("/console/password", tt.form)
		if r.code != http.StatusBadRequest || !strings.Contains(r.body, tt.want) {
			t.Errorf("%s: got %d, want 400 saying %q\n%s", tt.name, r.code, tt.want, r.body)
		}
	}
	r := here.post("/console/password", passwordForm(rightPassword, next, next))
	if r.code != 200 || !strings.Contains(r.body, "Your password is changed.") {
		t.Fatalf("change: got %d\n%s", r.code, r.body)
	}
	if r := here.get("/console/cases"); r.code != 200 {
		t.Errorf("this session after the change: got %d, want 200", r.code)
	}
	if r := other.get("/console/cases"); r.code != http.StatusSeeOther {
		t.Errorf("the other session after the change: got %d, want 303 to sign in", r.code)
	}
	if r := e.client().post("/console/login", signInForm("leyla", rightPassword)); r.code != http.StatusUnauthorized {
		t.Errorf("the old password: got %d, want 401", r.code)
	}
	if r := e.client().post("/console/login", signInForm("leyla", next)); r.code != http.StatusSeeOther {
		t.Errorf("the new password: got %d, want 303", r.code)
	}
	if n := e.count("SELECT count(*) FROM audit_log WHERE action = 'password.change'"); n != 1 {
		t.Errorf("password.change audit rows: got %d, want 1", n)
	}
	if r := e.client().post("/console/password", passwordForm(next, "x", "x")); r.code != http.StatusUnauthorized {
		t.Errorf("without a session: got %d, want 401", r.code)
	}
}

// An admin resets another account's password: a generated one, shown once;
// the account's sessions end, and at its next sign-in it sees only the
// password page until it has chosen its own.
func TestAdminForcesAPasswordReset(t *testing.T) {
	e := newEnv(t)
	e.account("boss", staff.RoleAdmin)
	gulnar := e.account("gulnar", staff.RoleStaff, "baku_dept")
	admin := e.signIn("boss")
	old := e.signIn("gulnar")
	staff := e.signIn("gulnar")
	if r := staff.post("/console/accounts/"+itoa(gulnar.ID)+"/password", nil); r.code != http.StatusForbidden {
		t.Errorf("staff resets a password: got %d, want 403", r.code)
	}
	r := admin.post("/console/accounts/"+itoa(gulnar.ID)+"/password", nil)
	m := regexp.MustCompile(`shown only now: ([A-Z2-7]{26})`).FindStringSubmatch(r.body)
	if r.code != 200 || m == nil {
		t.Fatalf("reset: got %d, want the new password shown\n%s", r.code, r.body)
	}
	if strings.Contains(e.log.String(), m[1]) {
		t.Errorf("the generated password is in the log")
	}
	if r := old.get("/console/cases"); r.code != http.StatusSeeOther {
		t.Errorf("a session from before the reset: got %d, want 303", r.code)
	}
	if r := e.client().post("/console/login", signInForm("gulnar", rightPassword)); r.code != http.StatusUnauthorized {
		t.Errorf("the password from before the reset: got %d, want 401", r.code)
	}
	c := e.client()
	r = c.post("/console/login", signInForm("gulnar", m[1]))
	if r.code != http.StatusSeeOther || r.header.Get("Location") != "/console/password" {
		t.Fatalf("sign-in with the reset password: got %d to %q, want 303 to /console/password", r.code, r.header.Get("Location"))
	}
	if r := c.get("/console/cases"); r.code != http.StatusSeeOther || r.header.Get("Location") != "/console/password" {
		t.Errorf("a page before the new password: got %d to %q, want 303 to /console/password", r.code, r.header.Get("Location"))
	}
	if r := c.post("/console/cases/1/notes", url.Values{"text": {"x"}}); r.code != http.StatusForbidden {
		t.Errorf("a change before the new password: got %d, want 403", r.code)
	}
	if r := c.get("/console/password"); r.code != 200 || !strings.Contains(r.body, "reset by an administrator, or printed at the first start") {
		t.Errorf("password page: got %d\n%s", r.code, r.body)
	}
	const mine = "gulnar's own long password"
	if r := c.post("/console/password", passwordForm(m[1], mine, mine)); r.code != 200 {
		t.Fatalf("choose a new password: got %d\n%s", r.code, r.body)
	}
	if r := c.get("/console/cases"); r.code != 200 {
		t.Errorf("the queue after choosing: got %d, want 200", r.code)
	}
	if r := admin.post("/console/accounts/"+itoa(gulnar.ID+1000)+"/password", nil); r.code != http.StatusNotFound {
		t.Errorf("reset of no account: got %d, want 404", r.code)
	}
	var boss int64
	e.db.Pool.QueryRow(context.Background(), "SELECT id FROM staff_accounts WHERE login = 'boss'").Scan(&boss)
	if r := admin.post("/console/accounts/"+itoa(boss)+"/password", nil); r.code != http.StatusBadRequest {
		t.Errorf("an admin resets their own password: got %d, want 400", r.code)
	}
	if n := e.count("SELECT count(*) FROM audit_log WHERE action = 'password.reset' AND staff_id IS NOT NULL"); n != 1 {
		t.Errorf("password.reset audit rows by the admin: got %d, want 1", n)
	}
}
