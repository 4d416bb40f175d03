package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestContentRolesReachTheirPages: each role reaches the pages of its
// work and is refused the others (403); the navigation shows only what the
// role may open. Role names are shown in the staff language.
func TestContentRolesReachTheirPages(t *testing.T) {
	e := newContentEnv(t)
	ok, no := http.StatusOK, http.StatusForbidden
	for _, tc := range []struct {
		login, path string
		want        int
	}{
		{"tia", "/console/texts?lang=fa", ok},
		{"tia", "/console/content", ok},
		{"tia", "/console/coverage", ok},
		{"tia", "/console/unanswered", no},
		{"tia", "/console/cases", no},
		{"tia", "/console/accounts", no},
		{"rev", "/console/texts?lang=fa", ok},
		{"rev", "/console/content", ok},
		{"rev", "/console/unanswered", no},
		{"rev", "/console/cases", no},
		{"rev", "/console/audit", no},
		{"eda", "/console/texts?lang=fa", ok},
		{"eda", "/console/unanswered", ok},
		{"eda", "/console/cases", no},
		{"eda", "/console/accounts", no},
		{"sam", "/console/texts", no},
		{"sam", "/console/coverage", no},
		{"sam", "/console/cases", ok},
		{"ada", "/console/accounts", ok},
		{"ada", "/console/unanswered", ok},
	} {
		c := e.signIn(tc.login)
		if got := c.get(tc.path).code; got != tc.want {
			t.Errorf("%s GET %s: got %d, want %d", tc.login, tc.path, got, tc.want)
		}
	}

	// A reviewer reads texts but does not edit them.
	rev := e.signIn("rev")
	if r := rev.get("/console/texts?lang=fa"); strings.Contains(r.body, `action="/console/texts" class="stack"`) {
		t.Errorf("a reviewer is offered the text editor")
	}
	if r := rev.post("/console/texts", url.Values{"lang": {"fa"}, "id": {"referral.created"}, "text": {"x {{.referral_code}}"}}); r.code != http.StatusForbidden {
		t.Errorf("a reviewer saved a text: %d", r.code)
	}
	if r := rev.get("/console/dashboard"); strings.Contains(r.body, `href="/console/unanswered"`) || !strings.Contains(r.body, `href="/console/texts"`) {
		t.Errorf("a reviewer's navigation: Unanswered shown or Texts missing")
	}
	// A translator saves a text into a draft; nobody approves their own.
	tia := e.signIn("tia")
	if r := tia.post("/console/texts", url.Values{"lang": {"fa"}, "id": {"referral.created"}, "text": {"انجام شد. کد {{.referral_code}}"}}); r.code != http.StatusOK {
		t.Fatalf("a translator's save: %d\n%.2000s", r.code, r.body)
	}
	// It is not legal text: no approval is asked, an editor publishes it.
	eda := e.signIn("eda")
	if page := eda.get("/console/content"); !strings.Contains(page.body, "not needed (no legal text, fact or dialog changed") {
		t.Errorf("a non-legal draft is not marked as needing no approval\n%.4000s", page.body)
	}
	if page := rev.get("/console/content"); strings.Contains(page.body, `action="/console/content/2/approve"`) {
		t.Errorf("a reviewer is asked to approve a draft that needs no approval")
	}
	if r := eda.post("/console/content/2/publish", nil); r.code != http.StatusSeeOther {
		t.Fatalf("publishing a non-legal draft: %d\n%.3000s", r.code, r.body)
	}
	if got := e.live(); got != 2 {
		t.Fatalf("live is %d, want 2", got)
	}
	ada := e.signIn("ada")
	if r := ada.post("/console/texts", url.Values{"lang": {"ru"}, "id": {"referral.created"}, "text": {"Готово. Ваш код {{.referral_code}}."}}); r.code != http.StatusOK {
		t.Fatalf("an admin's save: %d\n%.2000s", r.code, r.body)
	}
	if r := ada.post("/console/content/3/approve", nil); r.code != http.StatusForbidden || !strings.Contains(r.body, "You made this version: another account approves it.") {
		t.Errorf("self-approval by an admin: %d\n%.1500s", r.code, r.body)
	}

	// The accounts page offers every role, named in the staff language.
	for _, tc := range []struct{ lang, want string }{
		{"en", ">translator</option>"}, {"en", ">reviewer</option>"},
		{"az", ">tərcüməçi</option>"}, {"az", ">rəyçi</option>"},
		{"ru", ">переводчик</option>"}, {"ru", ">рецензент</option>"},
	} {
		if r := ada.post("/console/language", url.Values{"language": {tc.lang}}); r.code >= 400 {
			t.Fatalf("language %s: %d", tc.lang, r.code)
		}
		if r := ada.get("/console/accounts"); !strings.Contains(r.body, tc.want) {
			t.Errorf("accounts page in %s lacks %q", tc.lang, tc.want)
		}
	}
	// An admin creates a translator and a reviewer; a made-up role is refused.
	for _, tc := range []struct {
		role string
		code int
	}{{"translator", http.StatusOK}, {"reviewer", http.StatusOK}, {"lawyer", http.StatusBadRequest}} {
		r := ada.post("/console/accounts", url.Values{"login": {"new_" + tc.role}, "name": {"N"}, "role": {tc.role}, "content_languages": {"fa"}})
		if r.code != tc.code {
			t.Errorf("create %s: got %d, want %d\n%.1500s", tc.role, r.code, tc.code, r.body)
		}
	}
}
