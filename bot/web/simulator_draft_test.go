package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/staff"
	"github.com/yol-project/yol/bot/web"
)

// draftSimulator lets the server run stored versions in the simulator, as
// `yol serve` does: a copy of the live service with the version's content.
func draftSimulator(s *web.Server) {
	live := s.Chat.(*bot.Service)
	s.DraftChat = func(c *bot.Content) web.Handler { return live.WithContent(c) }
}

// newDraftEnv is newContentEnv (version 1, the built-in pack, live) whose
// content in use is that same pack, with stored versions in the simulator;
// opts change the server before it starts.
func newDraftEnv(t *testing.T, opts ...func(*web.Server)) *env {
	t.Helper()
	e := newContentEnv(t, append([]func(*web.Server){draftSimulator}, opts...)...)
	c, probs := bot.LoadPack(bot.PackFS(builtinPack(t)))
	if c == nil {
		t.Fatalf("built-in pack: %v", probs)
	}
	e.content.Swap(c)
	return e
}

// draftLabels are the continue buttons' labels of the draft pushed by
// pushDraft, by language.
var draftLabels = map[string]string{"ru": "Да, продолжить (черновик 2)", "fa": "بله، ادامه بدهیم (پیش\u200cنویس ۲)"}

// liveLabels are the same buttons in the live pack.
var liveLabels = map[string]string{"ru": "Да, продолжить", "fa": "بله، ادامه بدهیم"}

// pushDraft stores the built-in pack with the Russian and Persian continue
// buttons changed, by eda, as version 2.
func (e *env) pushDraft(t *testing.T) int64 {
	t.Helper()
	files := builtinPack(t)
	for lang, label := range draftLabels {
		p := "locales/dialogs." + lang + ".yaml"
		old := []byte("onboarding.continue_yes: \"" + liveLabels[lang] + "\"")
		if !bytes.Contains(files[p], old) {
			t.Fatalf("%s lacks %s", p, old)
		}
		files[p] = bytes.Replace(files[p], old, []byte("onboarding.continue_yes: \""+label+"\""), 1)
	}
	id, _, err := e.db.PushContent(context.Background(), files, "eda", "a test draft", 1)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// labels joins every button label of the replies.
func labels(rs []bot.Reply) string {
	var b strings.Builder
	for _, r := range rs {
		for _, row := range r.Buttons {
			for _, btn := range row {
				b.WriteString(btn.Label + "\n")
			}
		}
	}
	return b.String()
}

// TestSimulatorRunsADraft: an editor picks draft 2 on the simulator page,
// sees which version runs, and talks to it in Russian and Persian: the
// draft's texts; the live simulator in the same browser still answers the
// live texts, and the two chats are separate conversations (one of each
// content version), neither continuing the other.
func TestSimulatorRunsADraft(t *testing.T) {
	e := newDraftEnv(t)
	id := e.pushDraft(t)
	if id != 2 {
		t.Fatalf("draft id: got %d, want 2", id)
	}
	eda := e.signIn("eda")

	page := eda.get("/simulator?version=2")
	if page.code != http.StatusOK {
		t.Fatalf("GET /simulator?version=2: got %d\n%.3000s", page.code, page.body)
	}
	for _, want := range []string{`data-version="2"`, "Draft 2 by eda — not live", `<option value="2" selected>2 — draft by eda`, `<option value="1">1 — live, by built-in`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the draft's page lacks %q", want)
		}
	}
	if one := eda.get("/simulator?version=1"); one.code != http.StatusOK || !strings.Contains(one.body, "Version 1 by built-in — the live version") {
		t.Errorf("the live version by its number: got %d\n%.2000s", one.code, one.body)
	}
	if live := eda.get("/simulator"); strings.Contains(live.body, "data-version") || !strings.Contains(live.body, `name="version"`) {
		t.Errorf("the live page of an editor: a version is run, or no picker")
	}

	for _, lang := range []string{"ru", "fa"} {
		draft := decodeSim(t, eda.postJSON("/simulator/reset?version=2", map[string]string{"lang": lang}))
		if got, want := labels(draft.Replies), draftLabels[lang]; !strings.Contains(got, want) {
			t.Errorf("%s draft: got buttons %q, want %q", lang, got, want)
		}
		live := decodeSim(t, eda.postJSON("/simulator/reset", map[string]string{"lang": lang}))
		if got := labels(live.Replies); !strings.Contains(got, liveLabels[lang]) || strings.Contains(got, draftLabels[lang]) {
			t.Errorf("%s live: got buttons %q, want %q and not the draft's", lang, got, liveLabels[lang])
		}
	}
	// Each chat goes on with its own content: the draft's conversation
	// answers a button of the draft, the live one the live pack's.
	draft := decodeSim(t, eda.postJSON("/simulator/send?version=2", map[string]string{"kind": "button", "data": "yes"}))
	live := decodeSim(t, eda.postJSON("/simulator/send", map[string]string{"kind": "button", "data": "yes"}))
	if got, want := allText(draft.Replies), allText(live.Replies); got != want || got == "\n" {
		t.Errorf("the privacy notice after continue: draft %q, live %q, want the same text", got, want)
	}
	drafted := e.count("SELECT count(*) FROM conversations WHERE channel = 'simulator' AND content_version = $1", e.versionHash(t, 2))
	lived := e.count("SELECT count(*) FROM conversations WHERE channel = 'simulator' AND content_version = $1", e.content.Load().Version)
	if drafted != 2 || lived != 2 { // one reset per language in each
		t.Errorf("simulator conversations: %d of the draft, %d of the live content, want 2 and 2", drafted, lived)
	}

	// Polls are per chat too: nothing waits in either.
	for _, path := range []string{"/simulator/poll?version=2", "/simulator/poll"} {
		if out := decodeSim(t, eda.get(path)); len(out.Replies) != 0 {
			t.Errorf("%s: got %+v, want nothing", path, out.Replies)
		}
	}
}

// versionHash is the content hash of stored version id.
func (e *env) versionHash(t *testing.T, id int64) string {
	t.Helper()
	c, probs := bot.LoadPack(bot.PackFS(e.files(id)))
	if c == nil {
		t.Fatalf("version %d: %v", id, probs)
	}
	return c.Version
}

// TestSimulatorRefusesVersions: a visitor's or plain staff's version is
// refused (403, the live content's page with the reason); a garbled or
// unknown version is a clear message, in the account's language; a draft
// that does not load shows its problem, and the live simulator goes on.
func TestSimulatorRefusesVersions(t *testing.T) {
	e := newDraftEnv(t)
	e.pushDraft(t)
	files := builtinPack(t)
	files["locales/dialogs.ru.yaml"] = []byte("common.back: [unclosed\n")
	broken, _, err := e.db.PushContent(context.Background(), files, "eda", "broken", 1)
	if err != nil {
		t.Fatal(err)
	}
	e.staffAccount("rus", staff.RoleTranslator, "ru")
	visitor := e.client()
	eda, sam, rus := e.signIn("eda"), e.signIn("sam"), e.signIn("rus")
	refused := "Only accounts with a content role"
	for _, tc := range []struct {
		name    string
		c       *client
		version string
		code    int
		want    string
	}{
		{"visitor", visitor, "2", http.StatusForbidden, refused},
		{"plain staff", sam, "2", http.StatusForbidden, refused},
		{"letters", eda, "abc", http.StatusBadRequest, "That is not a content version number."},
		{"zero", eda, "0", http.StatusBadRequest, "That is not a content version number."},
		{"negative", eda, "-2", http.StatusBadRequest, "That is not a content version number."},
		{"too big", eda, "99999999999999999999", http.StatusBadRequest, "That is not a content version number."},
		{"two", eda, "2&version=1", http.StatusBadRequest, "That is not a content version number."},
		{"unknown", eda, "999", http.StatusNotFound, "There is no content version 999."},
		{"unknown in Russian", rus, "999", http.StatusNotFound, "Версии контента 999 нет."},
		{"broken", eda, itoa(broken), http.StatusUnprocessableEntity, "does not load, so it cannot be run: locales/dialogs.ru.yaml"},
		{"broken in Russian", rus, itoa(broken), http.StatusUnprocessableEntity, "не загружается, поэтому её нельзя запустить: locales/dialogs.ru.yaml"},
	} {
		page := tc.c.get("/simulator?version=" + tc.version)
		if page.code != tc.code || !strings.Contains(page.body, tc.want) {
			t.Errorf("%s: GET got %d, want %d with %q\n%.2000s", tc.name, page.code, tc.code, tc.want, page.body)
		}
		// The page stays usable: the live chat, no version run.
		if !strings.Contains(page.body, `id="composer"`) || strings.Contains(page.body, "data-version") {
			t.Errorf("%s: the page is not the live simulator", tc.name)
		}
		for _, path := range []string{"/simulator/reset", "/simulator/send", "/simulator/poll"} {
			var r resp
			code, want := tc.code, tc.want
			if path == "/simulator/poll" {
				r = tc.c.get(path + "?version=" + tc.version)
				if code == http.StatusNotFound || code == http.StatusUnprocessableEntity {
					code, want = http.StatusOK, "" // a poll never loads a version: no chat with it, nothing waits
				}
			} else {
				r = tc.c.postJSON(path+"?version="+tc.version, map[string]string{"lang": "ru", "text": "hi"})
			}
			var out simReply
			json.Unmarshal([]byte(r.body), &out)
			if r.code != code || !strings.Contains(out.Error, want) || (want == "" && (out.Error != "" || len(out.Replies) != 0)) {
				t.Errorf("%s %s: got %d %q, want %d with %q", tc.name, path, r.code, out.Error, code, want)
			}
		}
	}
	// After all that, the live simulator answers everyone.
	for name, c := range map[string]*client{"visitor": visitor, "eda": eda, "rus": rus} {
		out := decodeSim(t, c.postJSON("/simulator/reset", map[string]string{"lang": "ru"}))
		if got := labels(out.Replies); !strings.Contains(got, liveLabels["ru"]) {
			t.Errorf("%s after the refusals: got %q", name, got)
		}
	}
	// An empty version is the live content.
	if r := eda.get("/simulator?version="); r.code != http.StatusOK || strings.Contains(r.body, "data-version") {
		t.Errorf("an empty version: got %d", r.code)
	}
}

// TestSimulatorWithoutDrafts: a server that runs no stored versions (no
// DraftChat) offers no picker and tells an editor so (403), not a 5xx.
func TestSimulatorWithoutDrafts(t *testing.T) {
	e := newContentEnv(t)
	eda := e.signIn("eda")
	if page := eda.get("/simulator"); page.code != http.StatusOK || strings.Contains(page.body, `name="version"`) {
		t.Errorf("GET /simulator: got %d, want 200 without a version picker", page.code)
	}
	want := "This server runs the content in use only"
	if page := eda.get("/simulator?version=1"); page.code != http.StatusForbidden || !strings.Contains(page.body, want) {
		t.Errorf("GET /simulator?version=1: got %d, want 403 with %q", page.code, want)
	}
	r := eda.postJSON("/simulator/reset?version=1", map[string]string{"lang": "en"})
	if r.code != http.StatusForbidden || !strings.Contains(r.body, want) {
		t.Errorf("reset with a version: got %d %s, want 403 with %q", r.code, r.body, want)
	}
}

// TestSimulatorDraftReferralPoll: a referral made in a draft's chat gets
// the staff's message through the draft's poll, never the live one's.
func TestSimulatorDraftReferralPoll(t *testing.T) {
	e := newDraftEnv(t)
	e.pushDraft(t)
	eda := e.signIn("eda")
	decodeSim(t, eda.postJSON("/simulator/reset", map[string]string{"lang": "ru"})) // a live chat too
	decodeSim(t, eda.postJSON("/simulator/reset?version=2", map[string]string{"lang": "ru"}))
	for _, press := range []string{"yes", "yes", "person", "baku", "yes", "telegram"} {
		decodeSim(t, eda.postJSON("/simulator/send?version=2", map[string]any{"kind": "button", "data": press, "lang": "ru"}))
	}
	var id int64
	if err := e.db.Pool.QueryRow(context.Background(), "SELECT id FROM referrals").Scan(&id); err != nil {
		t.Fatalf("no referral from the draft's chat: %v", err)
	}
	if err := e.db.MessagePerson(context.Background(), staff.Scope{All: true}, id, 0, "Приходите в понедельник"); err != nil {
		t.Fatal(err)
	}
	if out := decodeSim(t, eda.get("/simulator/poll")); len(out.Replies) != 0 {
		t.Errorf("the live poll got the draft chat's message: %+v", out.Replies)
	}
	if out := decodeSim(t, eda.get("/simulator/poll?version=2")); len(out.Replies) != 1 {
		t.Errorf("the draft's poll: got %+v, want the staff message", out.Replies)
	}
}
