package web_test

import (
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
}
