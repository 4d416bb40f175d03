package web_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/yol-project/yol/bot/staff"
)

const rightPassword = "correct horse battery staple"

// clientFrom is a browser whose connections leave from ip (any 127.x.y.z:
// all of 127/8 is loopback), with its own cookies or those of jar (the same
// browser moved to another network).
func (e *env) clientFrom(ip string, jar *cookiejar.Jar) *client {
	c := e.client()
	if jar != nil {
		c.jar = jar
		c.hc.Jar = jar
	}
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	c.hc.Transport = &http.Transport{DialContext: d.DialContext}
	return c
}

// frozenClock stops the server's clock; the returned function moves it on.
func (e *env) frozenClock() (advance func(time.Duration)) {
	base := time.Now()
	var offset atomic.Int64
	e.srv.Now = func() time.Time { return base.Add(time.Duration(offset.Load())) }
	return func(d time.Duration) { offset.Add(int64(d)) }
}

func signInForm(login, password string) url.Values {
	return url.Values{"login": {login}, "password": {password}}
}

// 40 parallel tries, the right password sent after the others were counted:
// none signs in. The attempt is counted before its password is hashed, so
// tries in flight count; the old code counted a failure only after its
// hash, so every try in flight saw a clean slate.
func TestParallelTriesAreCountedBeforeTheHash(t *testing.T) {
	e := newEnv(t)
	e.account("boss", staff.RoleAdmin)
	release := e.srv.HoldPasswordChecks()
	c := e.client()
	codes := make([]int, 40)
	var wg sync.WaitGroup
	for i := range 39 {
		wg.Go(func() {
			codes[i] = c.post("/console/login", signInForm("boss", fmt.Sprintf("wrong password %02d", i))).code
		})
	}
	// Wait until the server has decided on the 39 (counted, or refused).
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		var n int
		err := e.db.Pool.QueryRow(context.Background(),
			"SELECT coalesce(sum(attempts + throttled), 0) FROM signin_throttle WHERE scope = 'login' AND key = 'boss'").Scan(&n)
		if err == nil && n >= 39 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	wg.Go(func() { codes[39] = c.post("/console/login", signInForm("boss", rightPassword)).code })
	time.Sleep(100 * time.Millisecond) // the right try reaches the server while the others wait for their hash
	release()
	wg.Wait()
	for i, code := range codes {
		if code == http.StatusSeeOther || code >= 500 {
			t.Errorf("try %d: got %d, want 401 or 429", i, code)
		}
	}
	if got := codes[39]; got != http.StatusTooManyRequests {
		t.Errorf("the right password after the limit: got %d, want 429", got)
	}
	if n := e.count("SELECT count(*) FROM staff_sessions"); n != 0 {
		t.Errorf("sessions: got %d, want 0", n)
	}
}

// Failures from anywhere slow a login down but do not lock it: a browser
// that signed in before goes straight through, and a new one waits seconds,
// not a quarter of an hour.
func TestFailuresSlowALoginDownButDoNotLockIt(t *testing.T) {
	e := newEnv(t)
	e.account("boss", staff.RoleAdmin)
	advance := e.frozenClock()
	legit := e.signIn("boss") // this browser is now a known device of boss
	if c := legit.jarCookie("yol_device"); c == nil {
		t.Fatalf("no known-device cookie after a sign-in")
	}
	for i := 2; i < 10; i++ { // eight addresses, five wrong passwords each
		a := e.clientFrom(fmt.Sprintf("127.0.0.%d", i), nil)
		for j := range 5 {
			if r := a.post("/console/login", signInForm("boss", fmt.Sprintf("guess %d %d ....", i, j))); r.code >= 500 || r.code == http.StatusSeeOther {
				t.Fatalf("attacker: got %d", r.code)
			}
		}
	}
	if r := legit.post("/console/login", signInForm("boss", rightPassword)); r.code != http.StatusSeeOther {
		t.Errorf("known device after 40 failures from elsewhere: got %d, want 303\n%s", r.code, r.body)
	}
	fresh := e.clientFrom("127.0.0.20", nil)
	r := fresh.post("/console/login", signInForm("boss", rightPassword))
	if r.code != http.StatusTooManyRequests {
		t.Fatalf("new device during the attack: got %d, want 429", r.code)
	}
	wait, err := strconv.Atoi(r.header.Get("Retry-After"))
	if err != nil || wait < 1 || wait > 60 {
		t.Fatalf("Retry-After = %q, want 1 to 60 seconds", r.header.Get("Retry-After"))
	}
	if !strings.Contains(r.body, "Wait") {
		t.Errorf("the slow-down page does not say to wait:\n%s", r.body)
	}
	advance(time.Duration(wait) * time.Second)
	if r := fresh.post("/console/login", signInForm("boss", rightPassword)); r.code != http.StatusSeeOther {
		t.Errorf("new device after waiting %ds: got %d, want 303", wait, r.code)
	}
}

// One address has a hard limit over every login; a known device behind the
// same address (an office's shared connection) still signs in.
func TestHardLimitPerAddress(t *testing.T) {
	e := newEnv(t)
	e.account("boss", staff.RoleAdmin)
	office := e.clientFrom("127.0.0.30", nil)
	if r := office.post("/console/login", signInForm("boss", rightPassword)); r.code != http.StatusSeeOther {
		t.Fatalf("first sign-in: %d", r.code)
	}
	spray := e.clientFrom("127.0.0.30", nil)
	for i := range 10 {
		if r := spray.post("/console/login", signInForm(fmt.Sprintf("nobody%d", i), "whatever whatever")); r.code != http.StatusUnauthorized {
			t.Fatalf("failure %d: got %d, want 401", i, r.code)
		}
	}
	if r := spray.post("/console/login", signInForm("boss", rightPassword)); r.code != http.StatusTooManyRequests {
		t.Errorf("the right password after 10 failures from the address: got %d, want 429", r.code)
	}
	if r := office.post("/console/login", signInForm("boss", rightPassword)); r.code != http.StatusSeeOther {
		t.Errorf("known device behind the same address: got %d, want 303", r.code)
	}
	if r := e.clientFrom("127.0.0.31", nil).post("/console/login", signInForm("boss", rightPassword)); r.code != http.StatusSeeOther {
		t.Errorf("another address: got %d, want 303", r.code)
	}
}

// Refused attempts are counted (per address and login, per window, and as a
// metric), not written to the audit log one row each.
func TestThrottledAttemptsAreCountedNotAudited(t *testing.T) {
	e := newEnv(t)
	spray := e.clientFrom("127.0.0.40", nil)
	for i := range 10 {
		spray.post("/console/login", signInForm(fmt.Sprintf("nobody%d", i), "whatever whatever"))
	}
	for i := range 30 {
		if r := spray.post("/console/login", signInForm(fmt.Sprintf("other%d", i), "whatever whatever")); r.code != http.StatusTooManyRequests {
			t.Fatalf("attempt %d over the limit: got %d, want 429", i, r.code)
		}
	}
	if n := e.count("SELECT count(*) FROM audit_log WHERE action LIKE 'signin%'"); n != 10 {
		t.Errorf("sign-in audit rows: got %d, want 10 (one per checked password)", n)
	}
	if n := e.count("SELECT coalesce(sum(throttled), 0) FROM signin_throttle WHERE scope = 'address' AND key = '127.0.0.40'"); n != 30 {
		t.Errorf("throttled count of the address: got %d, want 30", n)
	}
	if got := e.metric("yol_signin_attempts_total", "result", "throttled_address"); got != 30 {
		t.Errorf("metric of throttled attempts: got %v, want 30", got)
	}
	if got := e.metric("yol_signin_attempts_total", "result", "failed"); got != 10 {
		t.Errorf("metric of failed attempts: got %v, want 10", got)
	}
}

// A login that cannot be one (invalid UTF-8, a NUL, too long, cut inside a
// character) gets the form with a clear message, not a 500.
func TestMalformedLoginGetsTheForm(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	for _, tt := range []struct{ name, login string }{
		{"invalid UTF-8", "adm\xffin"},
		{"NUL", "ad\x00min"},
		{"65 bytes, a character across byte 64", strings.Repeat("a", 63) + "ü"},
		{"80 bytes of Cyrillic", strings.Repeat("ж", 40)},
		{"control character", "admin\x1b[31m"},
		{"a space inside", "ad min"},
		{"one character", "a"},
	} {
		r := c.post("/console/login", signInForm(tt.login, "whatever whatever"))
		if r.code != http.StatusBadRequest {
			t.Errorf("%s: got %d, want 400", tt.name, r.code)
		}
		if !strings.Contains(r.body, "A login has 2 to 64") || !strings.Contains(r.body, `name="password"`) {
			t.Errorf("%s: the form with a clear message is missing:\n%s", tt.name, r.body)
		}
		if !utf8.ValidString(r.body) || strings.Contains(r.body, "\x00") {
			t.Errorf("%s: the page is not clean UTF-8", tt.name)
		}
	}
	if strings.Contains(e.log.String(), "level=ERROR") {
		t.Errorf("errors logged:\n%s", e.log)
	}
	if n := e.count("SELECT count(*) FROM audit_log"); n != 0 {
		t.Errorf("audit rows for malformed logins: %d", n)
	}
}

// jarCookie returns the client's cookie of that name for the server, or nil.
func (c *client) jarCookie(name string) *http.Cookie {
	for _, k := range c.jar.Cookies(mustURL(c.e.ts.URL + "/console/login")) {
		if k.Name == name {
			return k
		}
	}
	return nil
}

// metric reads one counter of the server's registry (0 when absent).
func (e *env) metric(name, label, value string) float64 {
	e.t.Helper()
	mfs, err := e.srv.Metrics.Registry.Gather()
	if err != nil {
		e.t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == label && l.GetValue() == value {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}
