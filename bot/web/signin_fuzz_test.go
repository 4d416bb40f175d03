package web_test

import (
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/yol-project/yol/bot/staff"
)

// FuzzSignIn sends random logins and passwords to the sign-in form: never a
// 5xx, never a logged error, always a clean page.
func FuzzSignIn(f *testing.F) {
	f.Add("boss", "correct horse battery staple")
	f.Add("adm\xffin", "x")
	f.Add("ad\x00min", "\x00")
	f.Add(strings.Repeat("a", 63)+"ü", "")
	f.Add(strings.Repeat("ж", 40), strings.Repeat("p", 300))
	f.Add("<script>alert(1)</script>", "<script>")
	f.Add(" boss ", "\xff\xfe")
	e := newEnv(f)
	e.account("boss", staff.RoleAdmin)
	f.Fuzz(func(t *testing.T, login, password string) {
		e.t = t
		logged := e.log.Len()
		r := e.client().post("/console/login", signInForm(login, password))
		if r.code >= 500 {
			t.Fatalf("login %q password %q: status %d\n%s", login, password, r.code, r.body)
		}
		if r.code != http.StatusSeeOther && (!utf8.ValidString(r.body) || strings.Contains(r.body, "<script>")) {
			t.Fatalf("login %q: the page is not clean", login)
		}
		if l := e.log.String()[logged:]; strings.Contains(l, "level=ERROR") {
			t.Fatalf("login %q: an error was logged:\n%s", login, l)
		}
	})
}
