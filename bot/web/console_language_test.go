package web_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/locale"
	"github.com/yol-project/yol/bot/staff"
	"github.com/yol-project/yol/locales"
)

// simFrame are the texts of the simulator page's frame (templates/simulator.html).
var simFrame = []string{"heading", "language", "restart", "placeholder", "send", "share_location",
	"latitude", "longitude", "send_location", "share_phone", "send_contact"}

// simScript are the texts static/sim.js writes, as the page passes them to it.
var simScript = []string{"new_chat", "cleared", "protected", "map", "kbd_location", "kbd_phone", "server_error", "network_error"}

var simTextsRE = regexp.MustCompile(`(?s)<script type="application/json" id="sim-texts">(.*?)</script>`)

// simScriptTexts reads the texts the simulator page passes to sim.js.
func simScriptTexts(t *testing.T, body string) map[string]string {
	t.Helper()
	m := simTextsRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("the simulator page has no #sim-texts block")
	}
	var out map[string]string
	if err := json.Unmarshal([]byte(m[1]), &out); err != nil {
		t.Fatalf("#sim-texts %q: %v", m[1], err)
	}
	return out
}

// TestSimulatorAndDashboardInStaffLanguages: an admin whose console is in
// Azerbaijani, then Russian, gets the simulator's frame (and the texts
// sim.js writes, and the simulator's errors) in that language while the
// chat stays in the chat's language; the dashboard, the queue and the
// accounts and audit pages name languages, departments, pathways and
// actions instead of showing their codes; errors before routing follow the account's language too.
func TestSimulatorAndDashboardInStaffLanguages(t *testing.T) {
	texts, probs := locale.Load(locales.FS, ".")
	if texts == nil {
		t.Fatalf("default locales: %v", probs)
	}
	e := newEnv(t)
	ctx := context.Background()
	for i, lang := range []string{"ru", "fa"} {
		e.db.InTx(ctx, func(tx bot.Tx) error {
			conv, _ := tx.Conversation(ctx, bot.Chat{Channel: bot.ChannelTelegram, ID: int64(8000 + i)})
			conv.Language = lang
			return tx.AddEvent(ctx, conv, "started", map[string]string{"department": "baku_dept"})
		})
	}
	e.referral(bot.ChannelTelegram, 8100, "baku_dept", "ru")
	e.staffAccount("leyla", staff.RoleStaff, "az", "baku_dept")
	c := e.content.Load()
	office := c.KB.Offices()[0]
	if office.ID != "baku_dept" {
		t.Fatalf("the test pack's first office is %q", office.ID)
	}
	// The English the page frame had, hard-coded, before it was translated.
	oldEnglish := []string{"Chat simulator", "Start over", "Type a message", "Share a location", "latitude", "longitude",
		"Send location", "Share a phone number", "Send contact", "The same bot and content"}
	for _, lang := range []string{"az", "ru"} {
		t.Run(lang, func(t *testing.T) {
			login := "boss_" + lang
			e.staffAccount(login, staff.RoleAdmin, lang)
			cl := e.signIn(login)
			tx := func(id string, kv ...any) string {
				var data map[string]any
				if len(kv) == 2 {
					data = map[string]any{kv[0].(string): kv[1]}
				}
				return texts.Text(lang, id, data, nil)
			}

			r := cl.getIn("/simulator", "en-US,en")
			if r.code != http.StatusOK {
				t.Fatalf("simulator: %d", r.code)
			}
			page := html.UnescapeString(r.body)
			for _, en := range oldEnglish {
				if strings.Contains(page, en) {
					t.Errorf("the simulator in %s shows %q", lang, en)
				}
			}
			for _, k := range simFrame {
				id := "console.sim." + k
				if want := tx(id); !strings.Contains(page, want) {
					t.Errorf("the simulator in %s lacks %s %q", lang, id, want)
				}
				if en := texts.Text("en", id, nil, nil); strings.Contains(page, en) {
					t.Errorf("the simulator in %s shows the English %s %q", lang, id, en)
				}
			}
			if want := tx("console.sim.intro", "Tag", tx("console.tag.simulator")); !strings.Contains(page, want) {
				t.Errorf("the simulator in %s lacks its intro %q", lang, want)
			}
			script := simScriptTexts(t, r.body)
			for _, k := range simScript {
				id := "console.sim.js." + k
				if got, want := script[k], tx(id); got != want || got == texts.Text("en", id, nil, nil) {
					t.Errorf("sim.js's %s in %s: got %q, want %q", k, lang, got, want)
				}
			}
			// The chat itself starts in the pack's language, as before.
			if !strings.Contains(r.body, `<option value="en" data-rtl="false" selected>`) {
				t.Errorf("the chat's language is not the pack's source any more")
			}
			// The simulator's errors are in the console's language too.
			if got := decodeSimError(t, cl.postJSON("/simulator/send", map[string]string{"kind": "button"})); got != tx("console.sim.error.bad_message") {
				t.Errorf("a bad message in %s: got %q", lang, got)
			}

			r = cl.getIn("/console/dashboard?by=language", "en-US,en")
			for _, want := range []string{"Русский <span class=\"muted\">(ru)</span>", "فارسی <span class=\"muted\">(fa)</span>", ">Русский</h3>"} {
				if !strings.Contains(r.body, want) {
					t.Errorf("the dashboard by language in %s lacks %q", lang, want)
				}
			}
			if strings.Contains(r.body, "<td>ru</td>") || strings.Contains(r.body, ">ru</h3>") {
				t.Errorf("the dashboard by language in %s shows a bare language code", lang)
			}
			dept := html.EscapeString(c.Texts.Text(lang, office.Name, nil, nil))
			r = cl.getIn("/console/dashboard?by=department", "en-US,en")
			if want := dept + ` <span class="muted">(baku_dept)</span>`; !strings.Contains(r.body, want) {
				t.Errorf("the dashboard by department in %s lacks %q", lang, want)
			}
			if strings.Contains(r.body, "<td>baku_dept</td>") || strings.Contains(r.body, "Baku department") {
				t.Errorf("the dashboard by department in %s shows the code or the English name", lang)
			}

			r = cl.getIn("/console/cases", "en-US,en")
			if !strings.Contains(r.body, `<td title="ru">Русский</td>`) || !strings.Contains(r.body, `<option value="ru">Русский (ru)</option>`) {
				t.Errorf("the queue in %s does not name the language", lang)
			}
			if want := `<td title="family">` + html.EscapeString(c.Texts.Text(lang, c.KB.Pathway("family").Title, nil, nil)) + `</td>`; !strings.Contains(r.body, want) {
				t.Errorf("the queue in %s lacks the pathway's title %q", lang, want)
			}
			r = cl.getIn("/console/accounts", "en-US,en")
			if want := `<span title="baku_dept">` + dept + `</span>`; !strings.Contains(r.body, want) {
				t.Errorf("the accounts page in %s lacks %q", lang, want)
			}
			r = cl.getIn("/console/audit", "en-US,en")
			if want := `<td>` + html.EscapeString(tx("console.audit.action.signin")) + ` <code class="muted">signin</code></td>`; !strings.Contains(r.body, want) {
				t.Errorf("the audit page in %s lacks %q", lang, want)
			}

			// Refused before routing: in the account's language, not the browser's.
			if r := cl.getIn("/console/cases?status=%ff", "en-US,en"); r.code != http.StatusBadRequest || !strings.Contains(r.body, tx("console.error.bad_query")) {
				t.Errorf("a bad query in %s: %d %q", lang, r.code, r.body)
			}
			req, _ := http.NewRequest("POST", e.ts.URL+"/console/language", strings.NewReader("language=en"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "cross-site")
			req.Header.Set("Accept-Language", "en")
			if r := cl.do(req); r.code != http.StatusForbidden || !strings.Contains(r.body, tx("console.error.cross_origin")) {
				t.Errorf("a cross-origin request in %s: %d %q", lang, r.code, r.body)
			}
		})
	}
	// Signed out, the simulator follows the browser.
	r := e.client().getIn("/simulator", "ru-RU,ru")
	if !strings.Contains(html.UnescapeString(r.body), texts.Text("ru", "console.sim.heading", nil, nil)) {
		t.Errorf("the simulator for a Russian browser is not in Russian")
	}
	if got := decodeSimError(t, e.client().postJSON("/simulator/send", map[string]string{"kind": "nonsense"})); got != texts.Text("en", "console.sim.error.bad_message", nil, nil) {
		t.Errorf("a bad message without a language: got %q", got)
	}
}

// decodeSimError is the error of a simulator answer that refused.
func decodeSimError(t *testing.T, r resp) string {
	t.Helper()
	var out simReply
	if r.code < 400 {
		t.Errorf("got %d, want an error", r.code)
	}
	if err := json.Unmarshal([]byte(r.body), &out); err != nil {
		t.Fatalf("decode %q: %v", r.body, err)
	}
	return out.Error
}
