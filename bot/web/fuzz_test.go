package web_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/web/console"
)

// FuzzForms sends random values to every form and JSON body the console
// and the simulator read: a person's input and a staff member's forms get
// a clear answer (never a 5xx) and nothing panics.
func FuzzForms(f *testing.F) {
	f.Add("text", "hello", "2026-12-01", "10:00", "claimed", `{"kind":"text","text":"hi"}`)
	f.Add("button", "!article:none", "31.02.2026", "25:61", "regularized", `{"kind":"location","lat":"x"}`)
	f.Add("location", "", "", "", "", `{"kind":`)
	f.Add("contact", "<script>", "2026-13-45", "-1:00", "no_such", `[1,2,3]`)
	e := newEnv(f)
	e.account("admin", console.RoleAdmin)
	staff := e.signIn("admin")
	ref := e.referral(bot.ChannelSimulator, 9001, "baku_dept", "en", "hello")
	casePath := "/console/cases/" + strconv.FormatInt(ref.ID, 10)
	person := e.client()
	person.post("/simulator/reset", url.Values{"lang": {"en"}})
	f.Fuzz(func(t *testing.T, kind, text, date, tm, status, body string) {
		e.t = t // the clients report through the running input's test
		for _, r := range []resp{
			person.post("/simulator/send", url.Values{"kind": {kind}, "text": {text}, "data": {text}, "lat": {date}, "lng": {tm}, "phone": {text}}),
			person.postJSONRaw("/simulator/send", body),
			staff.post(casePath+"/appointment", url.Values{"date": {date}, "time": {tm}, "place": {text}}),
			staff.post(casePath+"/status", url.Values{"status": {status}}),
			staff.post(casePath+"/notes", url.Values{"text": {text}}),
			staff.get("/console/cases?status=" + url.QueryEscape(status) + "&age=" + url.QueryEscape(tm) + "&language=" + url.QueryEscape(kind)),
			staff.get("/console/dashboard?by=" + url.QueryEscape(kind) + "&since=" + url.QueryEscape(date)),
		} {
			if r.code >= 500 {
				t.Fatalf("status %d for kind=%q text=%q date=%q time=%q status=%q body=%q:\n%s", r.code, kind, text, date, tm, status, body, r.body)
			}
			if strings.Contains(r.body, "<script>") && !strings.Contains(r.body, "<script src=") {
				t.Fatalf("raw <script> in a response")
			}
		}
	})
}

func (c *client) postJSONRaw(path, body string) resp {
	c.e.t.Helper()
	req, _ := http.NewRequest("POST", c.e.ts.URL+path, bytes.NewReader([]byte(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(req)
}
