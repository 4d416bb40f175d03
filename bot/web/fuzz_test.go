package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/staff"
)

// FuzzForms sends random values to every form and JSON body the console
// and the simulator read: a person's input and a staff member's forms get
// a clear answer (never a 5xx) and nothing panics.
func FuzzForms(f *testing.F) {
	f.Add("text", "hello", "2026-12-01", "10:00", "claimed", `{"kind":"text","text":"hi"}`)
	f.Add("button", "!article:none", "31.02.2026", "25:61", "regularized", `{"kind":"location","lat":"x"}`)
	f.Add("location", "", "", "", "", `{"kind":`)
	f.Add("contact", "<script>", "2026-13-45", "-1:00", "no_such", `[1,2,3]`)
	f.Add("location", "x", "NaN", "NaN", "", `{"kind":"location","lat":1e999}`)
	e := newEnv(f, unlimited)
	e.account("admin", staff.RoleAdmin)
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

// FuzzQuery sends random query strings to every page the console and the
// simulator answer to a GET, signed in as an admin: any parameter, every
// known parameter at once, and a raw query string. Never a 5xx, never raw
// markup, and a banner only for a flash code (never for free text).
func FuzzQuery(f *testing.F) {
	f.Add("age", "2147483648", "before=9223372036854775807")
	f.Add("before", "-9223372036854775808", "age=99999999999999999999&age=-1&all=1")
	f.Add("since", "0000-01-01", "since=9999-12-31&until=0001-01-01&by=week")
	f.Add("until", "9999-12-31", "by=campaign&since=2026-02-30")
	f.Add("flash", "<script>alert(1)</script>", "flash=note-added&flash=%3Cscript%3E")
	f.Add("status", "claimed", "status=%ZZ&language=%00&department=%E2%80%AE")
	f.Add("by", "department", ";;;&&&===")
	f.Add("x", "", "age=1e9&before=0x10&age=+5&before=%2B7")
	e := newEnv(f)
	e.account("admin", staff.RoleAdmin)
	admin := e.signIn("admin")
	ref := e.referral(bot.ChannelTelegram, 9101, "baku_dept", "en", "hello")
	paths := []string{"/console/cases", "/console/cases/" + strconv.FormatInt(ref.ID, 10), "/console/dashboard", "/console/dashboard.csv",
		"/console/audit", "/console/accounts", "/console/unanswered", "/console/coverage", "/console/login", "/simulator", "/simulator/poll", "/healthz"}
	known := []string{"age", "before", "status", "department", "language", "all", "by", "since", "until", "flash"}
	banner := regexp.MustCompile(`<p class="flash" role="status">`)
	code := regexp.MustCompile(`^[a-z]+(-[a-z_]+)*$`)
	f.Fuzz(func(t *testing.T, name, value, raw string) {
		e.t = t
		all := url.Values{}
		for _, k := range known {
			all.Set(k, value)
		}
		raw = wireSafe(raw)
		for _, query := range []string{url.Values{name: {value}}.Encode(), all.Encode(), raw} {
			flash, _ := url.ParseQuery(query)
			for _, p := range paths {
				req, _ := http.NewRequest("GET", e.ts.URL+p, nil)
				req.URL.RawQuery = query
				r := admin.do(req)
				if r.code >= 500 {
					t.Fatalf("GET %s?%s: status %d:\n%s", p, query, r.code, r.body)
				}
				if strings.Contains(r.body, "<script>") && !strings.Contains(r.body, "<script src=") {
					t.Fatalf("GET %s?%s: raw <script> in the response", p, query)
				}
				if banner.MatchString(r.body) && !code.MatchString(flash.Get("flash")) {
					t.Fatalf("GET %s?%s: a banner for flash=%q, which is not a code", p, query, flash.Get("flash"))
				}
			}
		}
	})
}

// wireSafe percent-encodes the bytes of a raw query that cannot be sent in
// a request line (controls, space, '#', non-ASCII), so that the fuzzer
// reaches the server with everything else as it is.
func wireSafe(raw string) string {
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c <= ' ' || c == '#' || c >= 0x7f {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func (c *client) postJSONRaw(path, body string) resp {
	c.e.t.Helper()
	req, _ := http.NewRequest("POST", c.e.ts.URL+path, bytes.NewReader([]byte(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(req)
}
