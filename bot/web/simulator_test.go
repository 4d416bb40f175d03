package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/staff"
)

type simReply struct {
	Replies []bot.Reply `json:"replies"`
	Error   string      `json:"error"`
}

func decodeSim(t *testing.T, r resp) simReply {
	t.Helper()
	if r.code != http.StatusOK {
		t.Fatalf("got %d, want 200: %s", r.code, r.body)
	}
	var out simReply
	if err := json.Unmarshal([]byte(r.body), &out); err != nil {
		t.Fatalf("decode %q: %v", r.body, err)
	}
	return out
}

func allText(rs []bot.Reply) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(r.Text + "\n")
	}
	return b.String()
}

// TestSimulatorJourney talks to the real Service through the simulator's
// endpoints: start, consent with a button, a referral with a shared contact;
// then a staff message reaches the page through the poll.
func TestSimulatorJourney(t *testing.T) {
	e := newEnv(t)
	c := e.client()

	r := c.get("/")
	if r.code != http.StatusFound || r.header.Get("Location") != "/simulator" {
		t.Fatalf("GET /: got %d %q, want 302 to /simulator", r.code, r.header.Get("Location"))
	}
	r = c.get("/simulator")
	if r.code != http.StatusOK || !strings.Contains(r.body, `src="/static/sim.js"`) || !strings.Contains(r.body, "فارسی") {
		t.Fatalf("GET /simulator: got %d\n%s", r.code, r.body)
	}
	if strings.Contains(r.body, "<script>") || strings.Contains(r.body, "style=") {
		t.Errorf("simulator page has inline script or style (the CSP forbids them)")
	}
	if got := c.get("/static/sim.js"); got.code != http.StatusOK || !strings.Contains(got.body, "textContent") {
		t.Errorf("GET /static/sim.js: got %d", got.code)
	}

	out := decodeSim(t, c.postJSON("/simulator/reset", map[string]string{"lang": "fa"}))
	if !strings.Contains(allText(out.Replies), "سلام") {
		t.Fatalf("start in fa: got %q", allText(out.Replies))
	}
	last := out.Replies[len(out.Replies)-1]
	if !last.RTL || len(last.Buttons) == 0 {
		t.Fatalf("consent question: want RTL with buttons, got %+v", last)
	}
	yes := last.Buttons[0][0].Data

	out = decodeSim(t, c.postJSON("/simulator/send", map[string]any{"kind": "button", "data": yes, "lang": "fa"}))
	if !strings.Contains(allText(out.Replies), "What do you need?") { // falls back to the source language
		t.Fatalf("after consent: got %q", allText(out.Replies))
	}
	out = decodeSim(t, c.postJSON("/simulator/send", map[string]any{"kind": "button", "data": "refer"}))
	if out.Replies[len(out.Replies)-1].Keyboard != bot.KeyboardRequestContact {
		t.Fatalf("phone question: want a contact keyboard, got %+v", out.Replies)
	}
	out = decodeSim(t, c.postJSON("/simulator/send", map[string]any{"kind": "contact", "phone": "+994501234567"}))
	if !strings.Contains(allText(out.Replies), "Your case code is") {
		t.Fatalf("referral: got %q", allText(out.Replies))
	}
	if n := e.count("SELECT count(*) FROM referrals r JOIN conversations c ON c.id = r.conversation_id WHERE c.channel = 'simulator'"); n != 1 {
		t.Fatalf("simulator referrals: got %d, want 1", n)
	}

	// Nothing pushed yet.
	if out := decodeSim(t, c.get("/simulator/poll")); len(out.Replies) != 0 {
		t.Fatalf("poll: got %+v, want nothing", out.Replies)
	}
	var id int64
	e.db.Pool.QueryRow(context.Background(), "SELECT id FROM referrals").Scan(&id)
	if err := e.db.MessagePerson(context.Background(), staff.Scope{All: true}, id, 0, "Come on Monday <b>at 10</b>"); err != nil {
		t.Fatal(err)
	}
	out = decodeSim(t, c.get("/simulator/poll"))
	if len(out.Replies) != 1 || out.Replies[0].Text != "Come on Monday <b>at 10</b>" {
		t.Fatalf("poll: got %+v", out.Replies)
	}
	if strings.Contains(c.get("/simulator/poll").body, "Monday") {
		t.Errorf("a polled message came back twice")
	}
	// Another browser does not see this chat's messages.
	e.db.MessagePerson(context.Background(), staff.Scope{All: true}, id, 0, "second")
	if out := decodeSim(t, e.client().get("/simulator/poll")); len(out.Replies) != 0 {
		t.Errorf("another browser polled %+v", out.Replies)
	}
}

func TestSimulatorRejectsBadInput(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	for _, body := range []map[string]any{
		{"kind": "text", "text": "   "},
		{"kind": "button", "data": strings.Repeat("x", 65)},
		{"kind": "location", "lat": 91, "lng": 0},
		{"kind": "teleport"},
	} {
		if r := c.postJSON("/simulator/send", body); r.code != http.StatusBadRequest {
			t.Errorf("%v: got %d, want 400", body, r.code)
		}
	}
	for _, form := range []url.Values{
		{"kind": {"location"}, "lat": {"NaN"}, "lng": {"49.8"}},
		{"kind": {"location"}, "lat": {"40.4"}, "lng": {"nan"}},
		{"kind": {"location"}, "lat": {"+Inf"}, "lng": {"49.8"}},
	} {
		if r := c.post("/simulator/send", form); r.code != http.StatusBadRequest {
			t.Errorf("form %v: got %d, want 400", form, r.code)
		}
	}
	req, _ := http.NewRequest("POST", e.ts.URL+"/simulator/send", strings.NewReader("{"))
	req.Header.Set("Content-Type", "application/json")
	if r := c.do(req); r.code != http.StatusBadRequest {
		t.Errorf("broken JSON: got %d, want 400", r.code)
	}
}

// TestSimulatorCommandsAndLocation: a typed /command and a location reach
// the Service as such.
func TestSimulatorCommandsAndLocation(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	decodeSim(t, c.postJSON("/simulator/reset", map[string]string{"lang": "en"}))
	out := decodeSim(t, c.postJSON("/simulator/send", map[string]any{"text": "/menu"}))
	if !strings.Contains(allText(out.Replies), "What do you need?") {
		t.Fatalf("/menu: got %q", allText(out.Replies))
	}
	decodeSim(t, c.postJSON("/simulator/send", map[string]any{"kind": "button", "data": "office"}))
	out = decodeSim(t, c.postJSON("/simulator/send", map[string]any{"kind": "location", "lat": 40.41, "lng": 49.87}))
	if !strings.Contains(allText(out.Replies), "Baku department") {
		t.Fatalf("location: got %q", allText(out.Replies))
	}
}
