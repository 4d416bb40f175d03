package bot_test

import (
	"context"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/bot/staff"
)

// testPack is the fixture dialogs and texts of testdata/pack with the real
// knowledge of the default pack.
func testPack(t *testing.T) fs.FS {
	t.Helper()
	m := fstest.MapFS{}
	add := func(root, prefix string) {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || filepath.Ext(p) != ".yaml" {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			m[prefix+"/"+filepath.ToSlash(rel)] = &fstest.MapFile{Data: b}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	add("testdata/pack/dialogs", "dialogs")
	add("testdata/pack/locales", "locales")
	add("../knowledge", "knowledge")
	return m
}

type harness struct {
	t       *testing.T
	logs    *lockedBuffer
	sent    []string // personal values sent, which no log line may hold
	db      *postgres.DB
	svc     *bot.Service
	errs    []string
	mu      sync.Mutex
	content *bot.Content
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	c, probs := bot.LoadPack(testPack(t))
	if c == nil {
		t.Fatalf("test pack does not load: %v", probs)
	}
	h := &harness{t: t, db: pgtest.DB(t), content: c, logs: &lockedBuffer{}}
	t.Cleanup(h.checkLogs)
	h.svc = &bot.Service{
		Store:   h.db,
		Content: bot.NewContentHolder(c),
		Log:     slog.New(slog.NewJSONHandler(io.MultiWriter(testWriter{t}, h.logs), &slog.HandlerOptions{Level: slog.LevelDebug})),
		Helper:  bot.KeywordHelper{},
		Now:     func() time.Time { return time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC) },
		OnContentError: func(d, n, e string) {
			h.mu.Lock()
			h.errs = append(h.errs, d+"/"+n+": "+e)
			h.mu.Unlock()
		},
	}
	return h
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

// checkLogs fails the test when any personal value it sent reached a log line.
func (h *harness) checkLogs() {
	logs := h.logs.String()
	for _, v := range h.sent {
		if len(v) >= 4 && strings.Contains(logs, v) {
			h.t.Errorf("the logs contain a value the person sent: %q", v)
		}
	}
	if strings.Contains(logs, strconv.FormatInt(tg.ID, 10)) {
		h.t.Error("the logs contain the Telegram chat id")
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (h *harness) send(in bot.Inbound) bot.Result {
	h.t.Helper()
	h.mu.Lock()
	h.sent = append(h.sent, in.Text, in.Phone, in.Payload)
	h.mu.Unlock()
	res, err := h.svc.Handle(context.Background(), in)
	if err != nil {
		h.t.Fatalf("Handle(%+v): %v", in, err)
	}
	return res
}

func allText(rs []bot.Reply) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(r.Text + "\n")
	}
	return b.String()
}

func buttonData(rs []bot.Reply) []string {
	var out []string
	for _, r := range rs {
		for _, row := range r.Buttons {
			for _, b := range row {
				out = append(out, b.Data)
			}
		}
	}
	return out
}

func (h *harness) count(sql string, args ...any) int {
	h.t.Helper()
	var n int
	if err := h.db.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		h.t.Fatalf("%s: %v", sql, err)
	}
	return n
}

var tg = bot.Chat{Channel: bot.ChannelTelegram, ID: 987654321987}

func TestStartConsentAndMenu(t *testing.T) {
	h := newHarness(t)
	if err := h.db.CreateCampaignSource(context.Background(), &staff.CampaignSource{Code: "fb_campaign_1", Name: "Facebook", Medium: staff.SocialMedia}, 0); err != nil {
		t.Fatal(err)
	}
	res := h.send(bot.Inbound{UpdateID: 1, Chat: tg, LangHint: "ru-RU", Kind: bot.InCommand, Command: "start", Payload: "fb_campaign_1"})
	if got := allText(res.Replies); !strings.Contains(got, "Можно сохранить запись") {
		t.Fatalf("first reply = %q, want the Russian consent question", got)
	}
	if got, want := buttonData(res.Replies), []string{"yes", "no"}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("buttons = %v, want %v", got, want)
	}
	res = h.send(bot.Inbound{UpdateID: 2, Chat: tg, Kind: bot.InButton, Data: "yes"})
	if got := allText(res.Replies); !strings.Contains(got, "Главное меню") {
		t.Errorf("after consent = %q, want the menu in Russian", got)
	}
	if n := h.count("SELECT count(*) FROM conversations WHERE consent_at IS NOT NULL AND campaign_source = 'fb_campaign_1' AND language = 'ru'"); n != 1 {
		t.Errorf("consented conversations with campaign and language = %d, want 1", n)
	}
	if n := h.count("SELECT count(*) FROM analytics_events WHERE name IN ('started', 'consented') AND campaign_source = 'fb_campaign_1'"); n != 2 {
		t.Errorf("analytics events = %d, want started and consented", n)
	}
	// Telegram replies are in the outbox, in order.
	if got, want := h.count("SELECT count(*) FROM outbox"), 2; got != want {
		t.Errorf("outbox rows = %d, want %d", got, want)
	}
	// The menu answer is recorded now that there is consent.
	if n := h.count("SELECT count(*) FROM messages"); n == 0 {
		t.Error("no transcript after consent")
	}
}

func TestNoConsentKeepsNoTranscript(t *testing.T) {
	h := newHarness(t)
	sim := bot.Chat{Channel: bot.ChannelSimulator, ID: 42}
	h.send(bot.Inbound{Chat: sim, Kind: bot.InCommand, Command: "start"})
	h.send(bot.Inbound{Chat: sim, Kind: bot.InButton, Data: "no"})
	res := h.send(bot.Inbound{Chat: sim, Kind: bot.InButton, Data: "eligibility"})
	if got := allText(res.Replies); !strings.Contains(got, "passport") {
		t.Fatalf("without consent the bot should still inform: %q", got)
	}
	if n := h.count("SELECT count(*) FROM messages"); n != 0 {
		t.Errorf("messages stored without consent: %d", n)
	}
	// Every reply goes through the outbox, in the simulator's own rows: the
	// Telegram sender sees none of them, the simulator takes them all.
	if n := h.count("SELECT count(*) FROM outbox WHERE channel = 'telegram'"); n != 0 {
		t.Errorf("simulator replies queued for Telegram: %d rows", n)
	}
	taken, err := h.db.TakeReplies(context.Background(), sim)
	if err != nil {
		t.Fatal(err)
	}
	if got := allText(taken); !strings.HasSuffix(got, allText(res.Replies)) || len(taken) < 3 {
		t.Errorf("the simulator took %d replies ending %q, want every reply, the last answer's last", len(taken), got)
	}
}

func TestDuplicateUpdateHandledOnce(t *testing.T) {
	h := newHarness(t)
	first := h.send(bot.Inbound{UpdateID: 77, Chat: tg, Kind: bot.InCommand, Command: "start"})
	again := h.send(bot.Inbound{UpdateID: 77, Chat: tg, Kind: bot.InCommand, Command: "start"})
	if first.Duplicate || !again.Duplicate {
		t.Errorf("Duplicate = %v then %v, want false then true", first.Duplicate, again.Duplicate)
	}
	if len(again.Replies) != 0 {
		t.Errorf("a duplicate produced %d replies", len(again.Replies))
	}
	if got, want := h.count("SELECT count(*) FROM outbox"), len(first.Replies); got != want {
		t.Errorf("outbox rows = %d, want %d", got, want)
	}
}

func TestSameChatInParallelIsSerialised(t *testing.T) {
	h := newHarness(t)
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := h.svc.Handle(context.Background(), bot.Inbound{UpdateID: int64(1000 + i), Chat: tg, Kind: bot.InText, Text: "hello"})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Handle: %v", err)
		}
	}
	if got := h.count("SELECT count(*) FROM conversations"); got != 1 {
		t.Errorf("conversations = %d, want 1", got)
	}
	if got := h.count("SELECT count(*) FROM inbound_updates"); got != 20 {
		t.Errorf("updates recorded = %d, want 20", got)
	}
}

func TestContentErrorApologisesAndShowsMenu(t *testing.T) {
	h := newHarness(t)
	h.send(bot.Inbound{Chat: tg, Kind: bot.InCommand, Command: "start"})
	res := h.send(bot.Inbound{Chat: tg, Kind: bot.InCommand, Command: "broken"})
	got := allText(res.Replies)
	if !strings.Contains(got, "Main menu") {
		t.Errorf("after a content error = %q, want the menu", got)
	}
	if len(h.errs) == 0 || !strings.Contains(h.errs[0], "no_such_action") {
		t.Errorf("content errors = %v, want one naming no_such_action", h.errs)
	}
}

func TestVoiceAndPhotosGetAPoliteHint(t *testing.T) {
	h := newHarness(t)
	h.send(bot.Inbound{Chat: tg, Kind: bot.InCommand, Command: "start"})
	res := h.send(bot.Inbound{Chat: tg, Kind: bot.InVoice})
	if got := allText(res.Replies); !strings.Contains(got, "voice") {
		t.Errorf("voice reply = %q", got)
	}
	res = h.send(bot.Inbound{Chat: tg, Kind: bot.InUnsupported, Text: "photo"})
	if got := allText(res.Replies); !strings.Contains(got, "only read text") {
		t.Errorf("photo reply = %q", got)
	}
}

func TestBlockedAndUnblocked(t *testing.T) {
	h := newHarness(t)
	h.send(bot.Inbound{Chat: tg, Kind: bot.InCommand, Command: "start"})
	res := h.send(bot.Inbound{Chat: tg, Kind: bot.InBlocked})
	if len(res.Replies) != 0 {
		t.Errorf("replies to a blocked chat: %d", len(res.Replies))
	}
	if n := h.count("SELECT count(*) FROM conversations WHERE blocked_at IS NOT NULL"); n != 1 {
		t.Errorf("blocked conversations = %d, want 1", n)
	}
	h.send(bot.Inbound{Chat: tg, Kind: bot.InUnblocked})
	if n := h.count("SELECT count(*) FROM conversations WHERE blocked_at IS NOT NULL"); n != 0 {
		t.Errorf("blocked conversations after unblock = %d, want 0", n)
	}
}

// referral walks to a referral with a phone number and returns its code.
func (h *harness) referral(chat bot.Chat, consent string) bot.Result {
	h.send(bot.Inbound{Chat: chat, Kind: bot.InCommand, Command: "start"})
	h.send(bot.Inbound{Chat: chat, Kind: bot.InButton, Data: consent})
	h.send(bot.Inbound{Chat: chat, Kind: bot.InButton, Data: "eligibility"})
	h.send(bot.Inbound{Chat: chat, Kind: bot.InButton, Data: "expired"})
	h.send(bot.Inbound{Chat: chat, Kind: bot.InText, Text: "My name is Farida Karimova, I live in Sabunchu"})
	h.send(bot.Inbound{Chat: chat, Kind: bot.InCommand, Command: "menu"})
	h.send(bot.Inbound{Chat: chat, Kind: bot.InButton, Data: "refer"})
	return h.send(bot.Inbound{Chat: chat, Kind: bot.InContact, Phone: "+994501234567"})
}

func TestReferralNeedsConsent(t *testing.T) {
	h := newHarness(t)
	res := h.referral(tg, "no")
	if got := allText(res.Replies); !strings.Contains(got, "Without your consent") {
		t.Errorf("reply = %q, want the no-consent explanation", got)
	}
	if n := h.count("SELECT count(*) FROM referrals"); n != 0 {
		t.Errorf("referrals without consent = %d, want 0", n)
	}
}

func TestReferralAndForget(t *testing.T) {
	h := newHarness(t)
	res := h.referral(tg, "yes")
	got := allText(res.Replies)
	i := strings.Index(got, "Your code is ")
	if i < 0 {
		t.Fatalf("reply = %q, want a referral code", got)
	}
	code := strings.Fields(got[i+len("Your code is "):])[0]
	if len(code) != 8 || strings.ContainsAny(code, "01OI") {
		t.Errorf("code %q: want 8 characters without 0, 1, O, I", code)
	}
	if n := h.count("SELECT count(*) FROM referrals WHERE code = $1 AND contact_method = 'phone' AND phone_enc IS NOT NULL AND summary_enc IS NOT NULL", code); n != 1 {
		t.Errorf("referral rows = %d, want 1 with sealed phone and summary", n)
	}
	h.send(bot.Inbound{Chat: tg, Kind: bot.InCommand, Command: "forget"})
	res = h.send(bot.Inbound{Chat: tg, Kind: bot.InButton, Data: "yes"})
	if got := allText(res.Replies); !strings.Contains(got, "Everything about you is deleted") {
		t.Errorf("forget reply = %q", got)
	}
	for _, q := range []string{
		"SELECT count(*) FROM conversations",
		"SELECT count(*) FROM messages",
		"SELECT count(*) FROM referrals WHERE conversation_id IS NOT NULL OR phone_enc IS NOT NULL OR summary_enc IS NOT NULL",
		"SELECT count(*) FROM referrals WHERE status <> 'withdrawn'",
		"SELECT count(*) FROM analytics_events WHERE person IS NOT NULL",
	} {
		if n := h.count(q); n != 0 {
			t.Errorf("%s = %d after /forget, want 0", q, n)
		}
	}
	// Staff see why the case was closed.
	if n := h.count("SELECT count(*) FROM referral_events WHERE from_status = 'new' AND to_status = 'withdrawn'"); n != 1 {
		t.Errorf("withdrawal events = %d, want 1", n)
	}
	var note []byte
	if err := h.db.Pool.QueryRow(context.Background(), "SELECT text_enc FROM referral_notes").Scan(&note); err != nil {
		t.Fatalf("no note on the withdrawn case: %v", err)
	}
	if got, err := h.db.Keys.Open(note, "referral_notes.text"); err != nil || string(got) != staff.WithdrawnNote {
		t.Errorf("note = %q, %v; want the withdrawal note", got, err)
	}
	// The goodbye still goes out; aggregate counts stay.
	if n := h.count("SELECT count(*) FROM outbox WHERE sent_at IS NULL AND conversation_id IS NULL"); n != 1 {
		t.Errorf("goodbye rows in the outbox = %d, want 1", n)
	}
	if n := h.count("SELECT count(*) FROM analytics_events WHERE name = 'referral_created'"); n != 1 {
		t.Errorf("referral_created events = %d, want 1 (kept without identity)", n)
	}
}

// TestDumpRevealsNothing is the promise of DESIGN.md: a copy of the database
// alone shows no message, phone number, name or Telegram id.
func TestDumpRevealsNothing(t *testing.T) {
	h := newHarness(t)
	h.referral(tg, "yes")
	setAppointment(t, h, "room 5 ask for Leyla") // as staff type it in the console
	h.send(bot.Inbound{Chat: tg, Kind: bot.InText, Text: "my passport number is AB1234567 and email farida@example.com"})
	bin, err := postgres.FindServerBinaries()
	if err != nil {
		t.Fatal(err)
	}
	var dbURL string
	if err := h.db.Pool.QueryRow(context.Background(), "SELECT current_database()").Scan(&dbURL); err != nil {
		t.Fatal(err)
	}
	cfg := h.db.Pool.Config().ConnConfig
	cmd := exec.Command(filepath.Join(bin, "pg_dump"), "--no-owner", "-h", cfg.Host, "-p", strconv.Itoa(int(cfg.Port)), "-U", cfg.User, dbURL)
	cmd.Env = append(os.Environ(), "PGPASSWORD="+cfg.Password)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("pg_dump: %v: %s", err, out)
	}
	dump := string(out)
	if !strings.Contains(dump, "COPY public.messages") {
		t.Fatal("the dump has no messages table")
	}
	for _, secret := range []string{"987654321987", "994501234567", "+994501234567", "Farida", "Karimova", "Sabunchu", "AB1234567", "farida@example.com", "passport number", "Leyla", "room 5"} {
		if strings.Contains(dump, secret) {
			t.Errorf("pg_dump output contains %q", secret)
		}
	}
}

func TestFreeTextOnAButtonQuestion(t *testing.T) {
	h := newHarness(t)
	h.send(bot.Inbound{Chat: tg, Kind: bot.InCommand, Command: "start"})
	h.send(bot.Inbound{Chat: tg, Kind: bot.InButton, Data: "yes"})
	res := h.send(bot.Inbound{Chat: tg, Kind: bot.InText, Text: "What is the fine if I stayed too long?"})
	found := false
	for _, d := range buttonData(res.Replies) {
		if strings.HasPrefix(d, "!article:") {
			found = true
		}
	}
	if !found {
		t.Errorf("free text on the menu offered no article: %+v", res.Replies)
	}
	// The question is not kept in the conversation state.
	err := h.db.InTx(context.Background(), func(tx bot.Tx) error {
		c, err := tx.Conversation(context.Background(), tg)
		if err != nil {
			return err
		}
		if v, ok := c.Session.Vars["free_text"]; ok {
			t.Errorf("free_text kept in the state: %q", v)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// An article button shows the article with its sources.
	res = h.send(bot.Inbound{Chat: tg, Kind: bot.InButton, Data: buttonData(res.Replies)[0]})
	if len(res.Replies) == 0 || !strings.Contains(allText(res.Replies), "Sources") && !strings.Contains(allText(res.Replies), "fact.sources") {
		t.Errorf("article reply = %q, want sources", allText(res.Replies))
	}
}

func TestMyDataShowsWhatIsKept(t *testing.T) {
	h := newHarness(t)
	res := h.referral(tg, "yes")
	code := strings.Fields(allText(res.Replies)[strings.Index(allText(res.Replies), "Your code is ")+len("Your code is "):])[0]
	res = h.send(bot.Inbound{Chat: tg, Kind: bot.InCommand, Command: "mydata"})
	got := allText(res.Replies)
	for _, want := range []string{"everything I keep", "You agreed on 2026-11-30", "answer.passport.expired", "Code " + code, "messages."} {
		if !strings.Contains(got, want) {
			t.Errorf("/mydata reply lacks %q:\n%s", want, got)
		}
	}
}

// TestUnreadableStateIsCountedNotHidden: a saved state from before specs
// (spec 0) is read and goes on where it was; a state this program cannot
// read (garbage, or a newer spec) starts over at the menu, and is logged
// and counted with its reason, never silently.
func TestUnreadableStateIsCountedNotHidden(t *testing.T) {
	h := newHarness(t)
	var resets []string
	h.svc.OnStateReset = func(reason string) { resets = append(resets, reason) }
	chat := bot.Chat{Channel: bot.ChannelSimulator, ID: 77}
	h.send(bot.Inbound{Chat: chat, Kind: bot.InCommand, Command: "start"})
	setState := func(state string) {
		t.Helper()
		if _, err := h.db.Pool.Exec(context.Background(), "UPDATE conversations SET state_enc = $1",
			h.db.Keys.Seal([]byte(state), "conversations.state")); err != nil {
			t.Fatal(err)
		}
	}
	// Spec 0: the consent question, waiting for its answer.
	var saved string
	err := h.db.InTx(context.Background(), func(tx bot.Tx) error {
		c, err := tx.Conversation(context.Background(), chat)
		if err == nil {
			b, _ := c.Session.MarshalJSON()
			saved = strings.Replace(string(b), `"spec":1,`, "", 1)
		}
		return err
	})
	if err != nil || strings.Contains(saved, "spec") {
		t.Fatalf("state %q: %v", saved, err)
	}
	setState(saved)
	res := h.send(bot.Inbound{Chat: chat, Kind: bot.InButton, Data: "yes"})
	if got := allText(res.Replies); !strings.Contains(got, "Main menu") || len(resets) != 0 {
		t.Errorf("after a spec 0 state: %q, resets %v; want the consent answered and no reset", got, resets)
	}
	for _, tt := range []struct{ state, reason string }{
		{`{"stack":[{"dialog":`, "unreadable"},
		{`{"spec":9,"stack":[{"dialog":"main_menu","node":"q_menu"}],"wait":"answer"}`, "newer"},
	} {
		setState(tt.state)
		resets = nil
		res := h.send(bot.Inbound{Chat: chat, Kind: bot.InText, Text: "hello"})
		if len(res.Replies) == 0 {
			t.Errorf("%s state: no reply; the person must never be stuck", tt.reason)
		}
		if got, want := strings.Join(resets, ","), tt.reason; got != want {
			t.Errorf("resets counted = %q, want %q", got, want)
		}
		if !strings.Contains(h.logs.String(), `"reason":"`+tt.reason+`"`) {
			t.Errorf("no log line names the %s reset", tt.reason)
		}
	}
}
