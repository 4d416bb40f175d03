package web_test

import (
	"context"
	"errors"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/staff"
)

// fakeTranslator stands in for the model server (an outside service).
type fakeTranslator struct {
	mu   sync.Mutex
	seen []string
}

func (f *fakeTranslator) Translate(ctx context.Context, text, lang string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seen = append(f.seen, text)
	if strings.Contains(text, "fail") {
		return "", errors.New("model down")
	}
	return "<b>" + lang + ":" + text + "</b>", nil
}

// TranslateReply translates what staff wrote; "unsafe" in it fails as a
// model that changed a date would.
func (f *fakeTranslator) TranslateReply(ctx context.Context, text, from, to string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seen = append(f.seen, text)
	if strings.Contains(text, "unsafe") {
		return "", errors.New("translate: the translation changed a number")
	}
	return to + "(" + from + "): " + text, nil
}

// TestTranslatedReply: a staff member sees the translation into the
// person's language before sending, sends it (the person reads the
// translation), and what they wrote is kept as a note; a translation the
// model could not make safely is not sent; without a model the console
// says to write in the person's language.
func TestTranslatedReply(t *testing.T) {
	e := newEnv(t)
	ref := e.referral(bot.ChannelSimulator, 4101, "baku_dept", "ru")
	e.account("leyla", staff.RoleStaff, "baku_dept")
	c := e.signIn("leyla")
	path := "/console/cases/" + strconv.FormatInt(ref.ID, 10)
	if r := c.get(path); !strings.Contains(r.body, html.EscapeString(e.content.Load().Texts.Text("en", "console.case.write_in_their_language", map[string]any{"Lang": "Русский"}, nil))) {
		t.Errorf("without a model the console does not say to write in the person's language")
	}
	e.srv.Translator = &fakeTranslator{}
	r := c.post(path+"/message", url.Values{"text": {"Come on 10 December"}, "translate": {"1"}})
	if r.code != http.StatusOK || !strings.Contains(r.body, `id="send-translated"`) || !strings.Contains(r.body, "ru(en): Come on 10 December") {
		t.Fatalf("no preview of the translation: %d", r.code)
	}
	if n := e.count("SELECT count(*) FROM outbox"); n != 0 {
		t.Errorf("something was sent before the staff member sent it: %d rows", n)
	}
	r = c.post(path+"/message", url.Values{"text": {"ru(en): Come on 10 December"}, "original": {"Come on 10 December"}})
	if r.code != http.StatusSeeOther {
		t.Fatalf("send: %d", r.code)
	}
	got, _ := e.db.TakeReplies(context.Background(), bot.Chat{Channel: bot.ChannelSimulator, ID: 4101})
	if len(got) != 1 || got[0].Text != "ru(en): Come on 10 December" {
		t.Errorf("the person got %+v, want the translation", got)
	}
	f, err := e.db.OpenCase(context.Background(), staff.Scope{All: true}, ref.ID, 0)
	if err != nil || len(f.Notes) != 1 || !strings.Contains(f.Notes[0].Text, "Come on 10 December") {
		t.Errorf("what the staff member wrote is not kept: %+v %v", f.Notes, err)
	}
	r = c.post(path+"/message", url.Values{"text": {"unsafe 10:30"}, "translate": {"1"}})
	if r.code != http.StatusOK || strings.Contains(r.body, `id="send-translated"`) || !strings.Contains(r.body, "unsafe 10:30") {
		t.Errorf("an unsafe translation: %d; want the draft back, no send button", r.code)
	}
}

func TestTranslateCase(t *testing.T) {
	e := newEnv(t)
	tr := &fakeTranslator{}
	e.srv.Translator = tr
	ref := e.referral(bot.ChannelTelegram, 4001, "baku_dept", "ru", "Я потерял паспорт", "please fail")
	e.account("leyla", staff.RoleStaff, "baku_dept")
	c := e.signIn("leyla")
	path := "/console/cases/" + strconv.FormatInt(ref.ID, 10)
	if r := c.get(path); !strings.Contains(r.body, `action="`+path+`/translate"`) {
		t.Fatalf("no translate button on the case page")
	}
	r := c.post(path+"/translate", url.Values{})
	if r.code != http.StatusOK {
		t.Fatalf("translate: %d", r.code)
	}
	if !strings.Contains(r.body, "EN: &lt;b&gt;en:Я потерял паспорт&lt;/b&gt;") {
		t.Errorf("the translation is missing or not escaped:\n%s", r.body)
	}
	if !strings.Contains(r.body, "could not be translated") {
		t.Error("a failed translation is not reported")
	}
	if n := e.count("SELECT count(*) FROM audit_log WHERE action = 'case.translate' AND referral_id = $1", ref.ID); n != 1 {
		t.Errorf("translate audit rows = %d, want 1", n)
	}
	for _, s := range tr.seen {
		if !strings.Contains(s, "паспорт") && !strings.Contains(s, "fail") {
			t.Errorf("something else than the person's messages was sent: %q", s)
		}
	}
	// Another department's case: 404, nothing translated.
	other := e.referral(bot.ChannelTelegram, 4002, "ganja_dept", "ru", "секрет")
	before := len(tr.seen)
	if r := c.post("/console/cases/"+strconv.FormatInt(other.ID, 10)+"/translate", url.Values{}); r.code != http.StatusNotFound {
		t.Errorf("other department: %d, want 404", r.code)
	}
	if len(tr.seen) != before {
		t.Error("another department's messages were sent for translation")
	}
}

func TestDashboardShowsModelUse(t *testing.T) {
	e := newEnv(t)
	e.srv.Metrics.LLMTokens.WithLabelValues("prompt").Add(1200)
	e.srv.Metrics.LLMTokens.WithLabelValues("completion").Add(300)
	e.srv.Metrics.LLMRequests.WithLabelValues("ok").Add(7)
	e.account("boss", staff.RoleAdmin)
	r := e.signIn("boss").get("/console/dashboard")
	if !strings.Contains(r.body, "7 model requests, 1200 prompt tokens and 300 completion tokens") {
		t.Errorf("dashboard lacks the model use:\n%s", r.body)
	}
}

// TestDashboardShowsDeadLetters: replies Telegram kept refusing, set aside,
// are counted on the dashboard.
func TestDashboardShowsDeadLetters(t *testing.T) {
	e := newEnv(t)
	e.account("boss", staff.RoleAdmin)
	admin := e.signIn("boss")
	if r := admin.get("/console/dashboard"); !strings.Contains(r.body, "No reply is set aside") {
		t.Errorf("an empty dashboard does not say that no reply is set aside:\n%s", r.body)
	}
	for i := 0; i < 2; i++ {
		if _, err := e.db.Pool.Exec(t.Context(), `INSERT INTO outbox (chat_enc, method, payload_enc, attempts, failures, dead_at)
			VALUES ('\x02', 'sendMessage', '\x06', 5, 5, now())`); err != nil {
			t.Fatal(err)
		}
	}
	r := admin.get("/console/dashboard")
	if !strings.Contains(r.body, "2 replies were refused by Telegram") {
		t.Errorf("the dashboard does not count 2 dead letters:\n%s", r.body)
	}
	if !strings.Contains(r.body, `id="dead-letter-list"`) || strings.Count(r.body, "<td>#") != 2 {
		t.Errorf("an admin does not see the 2 dead letters listed:\n%s", r.body)
	}
}
