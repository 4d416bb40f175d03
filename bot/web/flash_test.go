package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/staff"
)

// TestFlashIsACode: the banner above a console page shows only the fixed
// message of a known code; any other ?flash= text (a script, a phishing
// line) shows nothing, on every page that has a banner.
func TestFlashIsACode(t *testing.T) {
	e := newEnv(t)
	ref := e.referral(bot.ChannelTelegram, 6001, "baku_dept", "en")
	e.account("boss", staff.RoleAdmin)
	admin := e.signIn("boss")
	pages := []string{"/console/cases", caseURL(ref), "/console/accounts", "/console/dashboard", "/console/audit"}
	for _, text := range []string{
		"<script>alert(1)</script>",
		"Your session expired: call +994 50 000 00 00 and give your password",
		"Status changed to Regularized; the person was told.", // a real message, but not a code
		"note-added ",
	} {
		for _, p := range pages {
			r := admin.get(p + "?flash=" + url.QueryEscape(text))
			if r.code != http.StatusOK {
				t.Fatalf("GET %s?flash=%q: got %d, want 200", p, text, r.code)
			}
			if strings.Contains(r.body, `class="flash"`) {
				t.Errorf("GET %s?flash=%q: a banner is shown", p, text)
			}
			for _, shown := range []string{"alert(1)", "+994 50 000", "Regularized; the person"} {
				if strings.Contains(text, shown) && strings.Contains(r.body, shown) {
					t.Errorf("GET %s?flash=%q: the page shows %q", p, text, shown)
				}
			}
		}
	}
	// A change redirects with a code, and the case page shows its message.
	r := admin.post(caseURL(ref)+"/notes", url.Values{"text": {"called"}})
	loc := r.header.Get("Location")
	if r.code != http.StatusSeeOther || !strings.HasSuffix(loc, "?flash=note-added") {
		t.Fatalf("add a note: got %d to %q, want 303 to ?flash=note-added", r.code, loc)
	}
	if got := admin.get(loc); !strings.Contains(got.body, `<p class="flash" role="status">Note added.</p>`) {
		t.Errorf("GET %s: the note's banner is not shown", loc)
	}
	r = admin.post(caseURL(ref)+"/status", url.Values{"status": {"claimed"}})
	if got := admin.get(r.header.Get("Location")); !strings.Contains(got.body, "Status changed to Claimed; the person was told.") {
		t.Errorf("after a status change (%s): the banner is not shown", r.header.Get("Location"))
	}
}
