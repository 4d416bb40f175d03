package web_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/yol-project/yol/bot/staff"
)

// With SimulatorSignIn (YOL_SIMULATOR=staff) strangers cannot use the
// simulator, so they cannot fill the referral queue; staff still can.
func TestSimulatorForStaffOnly(t *testing.T) {
	e := newEnv(t)
	e.srv.SimulatorSignIn = true
	stranger := e.client()
	if r := stranger.get("/simulator"); r.code != http.StatusSeeOther && r.code != http.StatusUnauthorized && r.code != http.StatusFound {
		t.Errorf("stranger GET /simulator = %d, want a redirect to sign in or 401", r.code)
	}
	if r := stranger.postJSON("/simulator/send", map[string]string{"kind": "text", "text": "hi"}); r.code < 300 {
		t.Errorf("stranger POST /simulator/send = %d, want refused", r.code)
	}
	e.account("ed", staff.RoleEditor)
	if r := e.signIn("ed").get("/simulator"); r.code != http.StatusOK {
		t.Errorf("editor GET /simulator = %d, want 200", r.code)
	}

	// An account that must choose a new password first (reset, or the
	// first admin's printed one) is sent to do so; its session opens nothing else.
	e.account("reset", staff.RoleEditor)
	if _, err := e.db.Pool.Exec(context.Background(), "UPDATE staff_accounts SET password_change_required = true WHERE login = 'reset'"); err != nil {
		t.Fatal(err)
	}
	pending := e.signIn("reset")
	if r := pending.get("/simulator"); r.code != http.StatusSeeOther || r.header.Get("Location") != "/console/password" {
		t.Errorf("pending account GET /simulator = %d to %q, want 303 to /console/password", r.code, r.header.Get("Location"))
	}
	if r := pending.postJSON("/simulator/reset", map[string]string{"lang": "en"}); r.code != http.StatusUnauthorized {
		t.Errorf("pending account POST /simulator/reset = %d, want 401", r.code)
	}
}
