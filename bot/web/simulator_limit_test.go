package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yol-project/yol/bot/staff"
	"github.com/yol-project/yol/bot/web"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// simFrom posts one simulator request as if from the client address addr,
// with the cookies of jar (nil: none).
func simFrom(t *testing.T, h http.Handler, addr, path, body string, cookies []*http.Cookie) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("POST", path, strings.NewReader(body))
	req.RemoteAddr = addr
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for _, c := range cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestSimulatorRateLimit: one address gets DefaultSimulatorLimits and then a
// 429 with a message the simulator shows (never a 5xx); others are not
// affected; the allowance comes back with time; signed-in staff are not
// limited.
func TestSimulatorRateLimit(t *testing.T) {
	e := newEnv(t)
	clock := &fakeClock{now: time.Now()}
	e.srv.Now = clock.Now
	h := e.srv.Handler()
	lim := web.DefaultSimulatorLimits
	const msg = `{"kind":"text","text":"/menu"}`

	first := simFrom(t, h, "198.51.100.7:4000", "/simulator/reset", `{"lang":"en"}`, nil)
	if first.Code != http.StatusOK {
		t.Fatalf("reset: got %d, want 200: %s", first.Code, first.Body)
	}
	chat := first.Result().Cookies()
	for i := 1; i < lim.Messages.Burst; i++ {
		if r := simFrom(t, h, "198.51.100.7:4000", "/simulator/send", msg, chat); r.Code != http.StatusOK {
			t.Fatalf("message %d of %d: got %d, want 200: %s", i+1, lim.Messages.Burst, r.Code, r.Body)
		}
	}
	over := simFrom(t, h, "198.51.100.7:4001", "/simulator/send", msg, chat) // another port, same address
	if over.Code != http.StatusTooManyRequests {
		t.Fatalf("message %d: got %d, want 429", lim.Messages.Burst+1, over.Code)
	}
	var out struct{ Error string }
	if err := json.Unmarshal(over.Body.Bytes(), &out); err != nil || !strings.Contains(out.Error, "Too many messages") {
		t.Errorf("429 body %q: want a JSON error the simulator shows", over.Body)
	}
	if ra := over.Header().Get("Retry-After"); ra == "" || ra == "0" {
		t.Errorf("Retry-After = %q, want seconds", ra)
	}
	if r := simFrom(t, h, "203.0.113.9:4000", "/simulator/reset", `{"lang":"en"}`, nil); r.Code != http.StatusOK {
		t.Errorf("another address: got %d, want 200", r.Code)
	}
	clock.Add(lim.Messages.Every)
	if r := simFrom(t, h, "198.51.100.7:4000", "/simulator/send", msg, chat); r.Code != http.StatusOK {
		t.Errorf("after %v: got %d, want 200 (one message back)", lim.Messages.Every, r.Code)
	}
	if r := simFrom(t, h, "198.51.100.7:4000", "/simulator/send", msg, chat); r.Code != http.StatusTooManyRequests {
		t.Errorf("the message after it: got %d, want 429", r.Code)
	}

	// New chats have an allowance of their own, smaller; an IPv6 /64 is one client.
	for i := 0; i < lim.NewChats.Burst; i++ {
		addr := fmt.Sprintf("[2001:db8:1:2::%x]:5000", 0xa0+i)
		if r := simFrom(t, h, addr, "/simulator/reset", `{"lang":"en"}`, nil); r.Code != http.StatusOK {
			t.Fatalf("new chat %d from the /64: got %d, want 200", i+1, r.Code)
		}
	}
	over = simFrom(t, h, "[2001:db8:1:2:ffff::1]:5000", "/simulator/reset", `{"lang":"en"}`, nil)
	if over.Code != http.StatusTooManyRequests || !strings.Contains(over.Body.String(), "Too many new chats") {
		t.Errorf("new chat %d from the /64: got %d %s, want 429 about new chats", lim.NewChats.Burst+1, over.Code, over.Body)
	}
	if r := simFrom(t, h, "[2001:db8:1:3::1]:5000", "/simulator/reset", `{"lang":"en"}`, nil); r.Code != http.StatusOK {
		t.Errorf("a new chat from the next /64: got %d, want 200", r.Code)
	}

	// Behind a trusted reverse proxy each client keeps its own allowance:
	// the limited /64 stays limited through it, another client is not.
	e.srv.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("192.0.2.0/29")}
	viaProxy := func(client string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/simulator/reset", strings.NewReader(`{"lang":"en"}`))
		req.RemoteAddr = "192.0.2.3:8443"
		req.Header.Set("X-Forwarded-For", "203.0.113.77, "+client)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	if r := viaProxy("2001:db8:1:2::77"); r.Code != http.StatusTooManyRequests {
		t.Errorf("the limited /64 through the proxy: got %d, want 429", r.Code)
	}
	for i := 0; i < 2; i++ {
		if r := viaProxy(fmt.Sprintf("198.51.100.%d", 20+i)); r.Code != http.StatusOK {
			t.Errorf("client %d behind the proxy: got %d, want 200", i+1, r.Code)
		}
	}
	e.srv.TrustedProxies = nil

	// Signed-in staff (a demonstration, a training room behind one address) go on.
	e.account("trainer", staff.RoleStaff, "baku_dept")
	staff := e.signIn("trainer")
	session := staff.jar.Cookies(mustURL(e.ts.URL))
	for i := 0; i < 3; i++ {
		if r := simFrom(t, h, "[2001:db8:1:2::1]:5000", "/simulator/reset", `{"lang":"en"}`, session); r.Code != http.StatusOK {
			t.Errorf("signed-in staff, new chat %d over the limit: got %d, want 200", i+1, r.Code)
		}
	}
	if strings.Contains(e.log.String(), "198.51.100.7") || strings.Contains(e.log.String(), "2001:db8") {
		t.Errorf("the log names a client address")
	}
}
