package telegram

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/staff"
	"github.com/yol-project/yol/bot/telegram/telegramtest"
)

// Polling end to end through the real service: every chat's replies reach
// the fake, in order, and the offset is stored.
func TestPollingEndToEnd(t *testing.T) {
	db := newDB(t)
	if err := db.CreateCampaignSource(context.Background(), &staff.CampaignSource{Code: "campaign_x", Name: "X", Medium: staff.Poster}, 0); err != nil {
		t.Fatal(err)
	}
	fake := telegramtest.New(t)
	rec := newRecorder(realService(t, db))
	r := start(t, fake, rec, db, nil)

	chats := []int64{101, 102, 103, 104, 105, 106}
	var last int64
	for _, chat := range chats {
		fake.Text(chat, "/start campaign_x")
		fake.Text(chat, "hello")
		last = fake.Text(chat, "/menu")
	}
	waitFor(t, "every update committed", 20*time.Second, func() bool {
		return count(t, db, "SELECT count(*) FROM inbound_updates") == 3*len(chats)
	})
	waitFor(t, "every reply sent", 20*time.Second, func() bool {
		return count(t, db, "SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0
	})
	for _, chat := range chats {
		want := expectedCalls(chat, rec.repliesOf(chat))
		if len(want) == 0 {
			t.Fatalf("chat %d: the service gave no reply to /start", chat)
		}
		if got := gotCalls(fake, chat); !slices.Equal(got, want) {
			t.Errorf("chat %d: sent\n%q\nwant\n%q", chat, got, want)
		}
	}
	if got := count(t, db, "SELECT count(*) FROM conversations WHERE campaign_source = 'campaign_x'"); got != len(chats) {
		t.Errorf("conversations with the campaign: got %d, want %d", got, len(chats))
	}
	waitFor(t, "offset stored", 5*time.Second, func() bool {
		off, _ := db.PollOffset(context.Background(), r.ch.offName)
		return off == last+1
	})
	r.stop(t)
	if n := fake.Confirmed(); n != last+1 {
		t.Errorf("offset confirmed to Telegram: got %d, want %d", n, last+1)
	}
}

// The same update delivered twice (in one answer, and again after a
// restart that lost the offset) is handled once.
func TestDuplicateUpdatesHandledOnce(t *testing.T) {
	db := newDB(t)
	fake := telegramtest.New(t)
	fake.DuplicateUpdates(true)
	rec := newRecorder(realService(t, db))
	r := start(t, fake, rec, db, nil)
	ids := []int64{fake.Text(7, "/start"), fake.Text(7, "hi"), fake.Text(8, "/start")}
	waitFor(t, "replies sent", 20*time.Second, func() bool {
		return count(t, db, "SELECT count(*) FROM inbound_updates") == 3 &&
			count(t, db, "SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0
	})
	r.stop(t)
	// Redeliver the first update as Telegram would after a lost offset.
	fake.DuplicateUpdates(false)
	fake.Push(map[string]any{"message": map[string]any{"message_id": 1, "date": 1, "text": "x",
		"chat": map[string]any{"id": 7, "type": "private"}, "from": map[string]any{"id": 7, "first_name": "P"}}})
	before := fake.Delivered()
	rec2 := newRecorder(realService(t, db))
	r2 := start(t, fake, rec2, db, nil)
	waitFor(t, "the new update committed", 10*time.Second, func() bool {
		return count(t, db, "SELECT count(*) FROM inbound_updates") == 4 &&
			count(t, db, "SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0
	})
	r2.stop(t)
	for _, id := range ids {
		if n := rec.handled[id]; n != 1 {
			t.Errorf("update %d handled %d times, want 1", id, n)
		}
	}
	if dup := testutilCounter(r.m.Duplicates); dup != 3 {
		t.Errorf("duplicates counted: got %v, want 3", dup)
	}
	if got := fake.Delivered() - before; got != len(rec2.repliesOf(7)) {
		t.Errorf("after the restart %d messages were sent, want %d", got, len(rec2.repliesOf(7)))
	}
}

// flaky is a handler whose database is "down" for the first n calls.
type flaky struct {
	h     Handler
	fails atomic.Int64
}

func (f *flaky) Handle(ctx context.Context, in bot.Inbound) (bot.Result, error) {
	if f.fails.Add(-1) >= 0 {
		return bot.Result{}, errors.New("connect: database is down")
	}
	return f.h.Handle(ctx, in)
}

// While the handler fails the offset does not move; the update is handled
// once the database is back, without a restart.
func TestHandlerFailureRetriedWithoutAck(t *testing.T) {
	db := newDB(t)
	fake := telegramtest.New(t)
	f := &flaky{h: realService(t, db)}
	f.fails.Store(4)
	r := start(t, fake, f, db, nil)
	id := fake.Text(9, "/start")
	time.Sleep(300 * time.Millisecond)
	if c := fake.Confirmed(); c > id {
		t.Fatalf("offset confirmed to %d while the update was not committed", c)
	}
	waitFor(t, "the update committed", 20*time.Second, func() bool {
		return count(t, db, "SELECT count(*) FROM inbound_updates WHERE update_id = $1", id) == 1
	})
	waitFor(t, "a reply delivered", 10*time.Second, func() bool { return len(fake.Sent(9)) > 0 })
	r.stop(t)
	if !strings.Contains(r.logs.String(), "retrying") {
		t.Errorf("the failures were not logged")
	}
}

// enqueue puts replies in the outbox for a chat, as the service does.
func enqueue(t testing.TB, db *postgres.DB, chat int64, replies ...bot.Reply) {
	t.Helper()
	err := db.InTx(context.Background(), func(tx bot.Tx) error {
		c, err := tx.Conversation(context.Background(), bot.Chat{Channel: bot.ChannelTelegram, ID: chat})
		if err != nil {
			return err
		}
		return tx.Enqueue(context.Background(), c, replies)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// nobody is a handler for sender-only tests.
type nobody struct{}

func (nobody) Handle(context.Context, bot.Inbound) (bot.Result, error) { return bot.Result{}, nil }

// Fault handling of the sender.
func TestSenderFaults(t *testing.T) {
	tests := []struct {
		name  string
		fault telegramtest.Fault
		check func(t *testing.T, fake *telegramtest.Server, db *postgres.DB)
	}{
		{"429 retry_after honoured", telegramtest.Fault{Method: "sendMessage", Times: 1, Code: 429, RetryAfter: 1},
			func(t *testing.T, fake *telegramtest.Server, db *postgres.DB) {
				calls := fake.Calls("sendMessage")
				if calls[0].Status != 429 {
					t.Fatalf("first call: got %d, want 429", calls[0].Status)
				}
				if gap := calls[1].At.Sub(calls[0].At); gap < time.Second {
					t.Errorf("sent again %v after a 429 with retry_after 1s", gap)
				}
			}},
		{"500 retried", telegramtest.Fault{Method: "sendMessage", Times: 2, Code: 500}, nil},
		{"timeout retried", telegramtest.Fault{Method: "sendMessage", Times: 1, Delay: callTimeout + time.Second}, nil},
		{"malformed body retried", telegramtest.Fault{Method: "sendMessage", Times: 2, Malformed: true}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := newDB(t)
			fake := telegramtest.New(t)
			fake.Fail(tt.fault)
			enqueue(t, db, 42, bot.Reply{Text: "one"}, bot.Reply{Text: "two"})
			r := start(t, fake, nobody{}, db, nil)
			waitFor(t, "both replies sent", 40*time.Second, func() bool { return len(fake.Sent(42)) == 2 })
			r.stop(t)
			if got, want := gotCalls(fake, 42), []string{"sendMessage:one", "sendMessage:two"}; !slices.Equal(got, want) {
				t.Errorf("sent %q, want %q", got, want)
			}
			if n := count(t, db, "SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL AND attempts >= 1"); n != 1 {
				t.Errorf("rows sent after a retry: got %d, want 1", n)
			}
			if tt.check != nil {
				tt.check(t, fake, db)
			}
		})
	}
}

// 403: the conversation is marked blocked and its replies given up; another
// 4xx is kept as failed with the reason.
func TestSenderBlockedAndRefused(t *testing.T) {
	db := newDB(t)
	fake := telegramtest.New(t)
	fake.Block(50)
	fake.Fail(telegramtest.Fault{Method: "sendMessage", ChatID: 51, Times: 1, Code: 400})
	enqueue(t, db, 50, bot.Reply{Text: "a"}, bot.Reply{Text: "b"})
	enqueue(t, db, 51, bot.Reply{Text: "c"}, bot.Reply{Text: "d"})
	r := start(t, fake, nobody{}, db, nil)
	waitFor(t, "the outbox settled", 10*time.Second, func() bool {
		return count(t, db, "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL") == 0
	})
	r.stop(t)
	if n := count(t, db, "SELECT count(*) FROM conversations WHERE blocked_at IS NOT NULL"); n != 1 {
		t.Errorf("blocked conversations: got %d, want 1", n)
	}
	if n := len(fake.Calls("sendMessage")) - len(fake.Sent(51)); n != 2 {
		t.Errorf("failed send attempts: got %d, want 2 (one 403, one 400)", n)
	}
	var reasons []string
	rows, _ := db.Pool.Query(context.Background(), "SELECT last_error FROM outbox WHERE failed_at IS NOT NULL ORDER BY id")
	for rows.Next() {
		var s string
		rows.Scan(&s)
		reasons = append(reasons, s)
	}
	if len(reasons) != 3 || !strings.HasPrefix(reasons[0], "403") || !strings.HasPrefix(reasons[2], "400") {
		t.Errorf("failure reasons: got %q, want 403, blocked, 400", reasons)
	}
	if got := gotCalls(fake, 51); !slices.Equal(got, []string{"sendMessage:d"}) {
		t.Errorf("chat 51 got %q, want only d after c was refused", got)
	}
}

// Two senders on one database: each reply goes out exactly once and each
// chat's order holds.
func TestTwoSendersShareTheOutbox(t *testing.T) {
	db := newDB(t)
	fake := telegramtest.New(t)
	const chats, per = 20, 6
	for c := int64(1); c <= chats; c++ {
		var rs []bot.Reply
		for i := 0; i < per; i++ {
			rs = append(rs, bot.Reply{Text: string(rune('a' + i))})
		}
		enqueue(t, db, 1000+c, rs...)
	}
	edit := func(c *Config) { c.SendRate = 400; c.ChatInterval = 5 * time.Millisecond; c.Workers = 4 }
	r1 := start(t, fake, nobody{}, db, edit)
	r2 := start(t, fake, nobody{}, db, edit)
	fake.WaitDelivered(t, chats*per, 30*time.Second)
	time.Sleep(100 * time.Millisecond)
	r1.stop(t)
	r2.stop(t)
	if got := fake.Delivered(); got != chats*per {
		t.Errorf("delivered %d, want %d", got, chats*per)
	}
	want := []string{"sendMessage:a", "sendMessage:b", "sendMessage:c", "sendMessage:d", "sendMessage:e", "sendMessage:f"}
	for c := int64(1); c <= chats; c++ {
		if got := gotCalls(fake, 1000+c); !slices.Equal(got, want) {
			t.Errorf("chat %d: got %q, want %q", 1000+c, got, want)
		}
	}
	s1, s2 := testutilCounterVec(r1.m.Replies, "sent"), testutilCounterVec(r2.m.Replies, "sent")
	if s1+s2 != chats*per {
		t.Errorf("sends counted: %v + %v, want %d", s1, s2, chats*per)
	}
	t.Logf("sender 1 sent %v, sender 2 sent %v", s1, s2)
}

// The global rate holds across two processes: 20 sends at 20/s take about
// a second, whoever sends them.
func TestGlobalRate(t *testing.T) {
	db := newDB(t)
	fake := telegramtest.New(t)
	for c := int64(1); c <= 20; c++ {
		enqueue(t, db, c, bot.Reply{Text: "x"})
	}
	edit := func(c *Config) { c.SendRate = 20 }
	start(t, fake, nobody{}, db, edit)
	start(t, fake, nobody{}, db, edit)
	fake.WaitDelivered(t, 20, 10*time.Second)
	calls := fake.Calls("sendMessage")
	if span := calls[len(calls)-1].At.Sub(calls[0].At); span < 850*time.Millisecond {
		t.Errorf("20 sends at 20/s took %v, want about 950ms", span)
	}
}

// Per-chat pacing: two replies to one chat are ChatInterval apart.
func TestChatInterval(t *testing.T) {
	db := newDB(t)
	fake := telegramtest.New(t)
	enqueue(t, db, 5, bot.Reply{Text: "1"}, bot.Reply{Text: "2"}, bot.Reply{Text: "3"})
	start(t, fake, nobody{}, db, func(c *Config) { c.ChatInterval = 300 * time.Millisecond })
	fake.WaitDelivered(t, 3, 10*time.Second)
	s := fake.Sent(5)
	for i := 1; i < len(s); i++ {
		if gap := s[i].At.Sub(s[i-1].At); gap < 280*time.Millisecond {
			t.Errorf("gap %d: %v, want at least 300ms", i, gap)
		}
	}
}

func TestWebhook(t *testing.T) {
	db := newDB(t)
	fake := telegramtest.New(t)
	rec := newRecorder(realService(t, db))
	const secret = "s3cret-Token_1"
	r := start(t, fake, rec, db, func(c *Config) { c.WebhookURL = "https://yol.example/telegram/webhook"; c.WebhookSecret = secret })
	waitFor(t, "setWebhook", 5*time.Second, func() bool { return fake.Webhook() != nil })
	if got := fake.Webhook().Get("secret_token"); got != secret {
		t.Errorf("secret_token: got %q, want %q", got, secret)
	}
	if got := fake.Webhook().Get("allowed_updates"); !strings.Contains(got, "callback_query") {
		t.Errorf("allowed_updates: got %q", got)
	}
	srv := httptest.NewServer(r.ch.WebhookHandler())
	defer srv.Close()
	body := `{"update_id":77,"message":{"message_id":1,"date":1,"text":"/start","chat":{"id":300,"type":"private"},"from":{"id":300,"first_name":"P"}}}`
	post := func(method, secretHeader, body string) int {
		req, _ := http.NewRequest(method, srv.URL, strings.NewReader(body))
		if secretHeader != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secretHeader)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, tt := range []struct {
		name, method, secret, body string
		want                       int
	}{
		{"missing secret", "POST", "", body, 401},
		{"wrong secret", "POST", "s3cret-Token_2", body, 401},
		{"prefix of the secret", "POST", secret[:5], body, 401},
		{"GET", "GET", secret, "", 405},
		{"malformed", "POST", secret, "{", 400},
		{"too large", "POST", secret, `{"update_id":1,"x":"` + strings.Repeat("a", 2<<20) + `"}`, 413},
	} {
		if got := post(tt.method, tt.secret, tt.body); got != tt.want {
			t.Errorf("%s: status %d, want %d", tt.name, got, tt.want)
		}
	}
	if n := count(t, db, "SELECT count(*) FROM inbound_updates"); n != 0 {
		t.Fatalf("refused requests stored %d updates", n)
	}
	if got := post("POST", secret, body); got != 200 {
		t.Fatalf("good request: status %d, want 200", got)
	}
	// Committed before the 200.
	if n := count(t, db, "SELECT count(*) FROM inbound_updates WHERE update_id = 77"); n != 1 {
		t.Errorf("update stored before 200: got %d rows, want 1", n)
	}
	if got := post("POST", secret, body); got != 200 {
		t.Errorf("redelivery: status %d, want 200", got)
	}
	waitFor(t, "replies sent", 10*time.Second, func() bool {
		return count(t, db, "SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0
	})
	if got, want := gotCalls(fake, 300), expectedCalls(300, rec.repliesOf(300)); !slices.Equal(got, want) || len(want) == 0 {
		t.Errorf("sent %q, want %q", got, want)
	}
	if len(fake.Calls("getUpdates")) != 0 {
		t.Errorf("webhook mode polled")
	}
}

// A handler error answers 500 so that Telegram retries.
func TestWebhookHandlerError(t *testing.T) {
	fake := telegramtest.New(t)
	f := &flaky{h: nobody{}}
	f.fails.Store(1)
	ch, err := New(Config{Token: fake.Token, APIURL: fake.APIURL(), WebhookURL: "https://x", WebhookSecret: "abc"}, f, nopOutbox{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	body := `{"update_id":5,"callback_query":{"id":"q1","from":{"id":3,"first_name":"P"},"data":"x","chat_instance":"c","message":{"message_id":1,"date":1,"chat":{"id":3,"type":"private"}}}}`
	for i, want := range []int{500, 200} {
		rr := httptest.NewRecorder()
		req := httptest.NewRequest("POST", "/telegram/webhook", strings.NewReader(body))
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "abc")
		ch.WebhookHandler().ServeHTTP(rr, req)
		if rr.Code != want {
			t.Errorf("attempt %d: status %d, want %d", i+1, rr.Code, want)
		}
	}
	if n := len(fake.Calls("answerCallbackQuery")); n != 1 {
		t.Errorf("answerCallbackQuery calls: got %d, want 1", n)
	}
}

type nopOutbox struct{}

func (nopOutbox) ClaimReplies(context.Context, int, time.Duration, func(bot.Outgoing)) error {
	return nil
}
func (nopOutbox) ClaimBulk(context.Context, int, time.Duration, time.Duration, func(bot.Outgoing)) error {
	return nil
}
func (nopOutbox) MarkRepliesSent(context.Context, []int64, []int, time.Duration) error { return nil }
func (nopOutbox) RetryReply(context.Context, int64, int, time.Time, string) error      { return nil }
func (nopOutbox) RetryFailedReply(context.Context, int64, int, time.Time, string) error {
	return nil
}
func (nopOutbox) DeadLetter(context.Context, int64, int, string) error        { return nil }
func (nopOutbox) GiveUpAfter() (int, time.Duration)                           { return 5, time.Hour }
func (nopOutbox) FailReply(context.Context, int64, int64, string, bool) error { return nil }
func (nopOutbox) ReserveSendSlots(context.Context, int, time.Duration) (time.Duration, error) {
	return 0, nil
}
func (nopOutbox) PauseSends(context.Context, time.Duration) error { return nil }

// Buttons are always answered; ignored kinds are acknowledged.
func TestCallbacksAnsweredAndIgnoredAcknowledged(t *testing.T) {
	db := newDB(t)
	fake := telegramtest.New(t)
	var mu sync.Mutex
	var kinds []bot.InboundKind
	h := handlerFunc(func(ctx context.Context, in bot.Inbound) (bot.Result, error) {
		mu.Lock()
		kinds = append(kinds, in.Kind)
		mu.Unlock()
		return bot.Result{}, nil
	})
	r := start(t, fake, h, db, nil)
	fake.Button(11, "eligibility")
	fake.Push(map[string]any{"edited_message": map[string]any{"message_id": 1, "date": 1, "text": "x",
		"chat": map[string]any{"id": 11, "type": "private"}, "from": map[string]any{"id": 11, "first_name": "P"}}})
	fake.Push(map[string]any{"message_reaction": map[string]any{"chat": map[string]any{"id": 11, "type": "private"}}})
	last := fake.Location(11, 40.4, 49.8)
	waitFor(t, "everything acknowledged", 10*time.Second, func() bool { return fake.Confirmed() == last+1 })
	r.stop(t)
	if n := len(fake.Calls("answerCallbackQuery")); n != 1 {
		t.Errorf("answerCallbackQuery calls: got %d, want 1", n)
	}
	if want := []bot.InboundKind{bot.InButton, bot.InLocation}; !slices.Equal(kinds, want) {
		t.Errorf("handled %v, want %v", kinds, want)
	}
}

type handlerFunc func(context.Context, bot.Inbound) (bot.Result, error)

func (f handlerFunc) Handle(ctx context.Context, in bot.Inbound) (bot.Result, error) {
	return f(ctx, in)
}

func TestSetCommands(t *testing.T) {
	fake := telegramtest.New(t)
	ch, err := New(Config{Token: fake.Token, APIURL: fake.APIURL()}, nobody{}, nopOutbox{}, nopOffsets{})
	if err != nil {
		t.Fatal(err)
	}
	fake.Fail(telegramtest.Fault{Method: "setMyCommands", Times: 1, Code: 500})
	ch.SetCommands(context.Background(), map[string][]Command{
		"":   {{Name: "start", Description: "Start"}},
		"az": {{Name: "start", Description: "Başla"}},
		"ru": {{Name: "start", Description: "Начать"}},
	})
	if got := fake.Commands(""); got != "" {
		t.Errorf("default list set despite the fault: %q", got)
	}
	if got := fake.Commands("ru"); !strings.Contains(got, "Начать") {
		t.Errorf("ru commands: got %q", got)
	}
	if got := fake.Commands("az"); !strings.Contains(got, `"command":"start"`) {
		t.Errorf("az commands: got %q", got)
	}
}

type nopOffsets struct{}

func (nopOffsets) PollOffset(context.Context, string) (int64, error)    { return 0, nil }
func (nopOffsets) SetPollOffset(context.Context, string, int64) error   { return nil }
func (nopOffsets) HoldPollLock(context.Context, string) (func(), error) { return func() {}, nil }

// Handling that takes long shows "typing" in the chat.
func TestTypingWhileSlow(t *testing.T) {
	fake := telegramtest.New(t)
	h := handlerFunc(func(ctx context.Context, in bot.Inbound) (bot.Result, error) {
		if in.Text == "slow" {
			time.Sleep(typingAfter + 300*time.Millisecond)
		}
		return bot.Result{}, nil
	})
	r := start(t, fake, h, nil, func(c *Config) { c.WebhookURL = "https://x"; c.WebhookSecret = "k" })
	for _, text := range []string{"fast", "slow"} {
		body := `{"update_id":1,"message":{"message_id":1,"date":1,"text":"` + text + `","chat":{"id":4,"type":"private"},"from":{"id":4,"first_name":"P"}}}`
		req := httptest.NewRequest("POST", "/", strings.NewReader(body))
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "k")
		rr := httptest.NewRecorder()
		r.ch.WebhookHandler().ServeHTTP(rr, req)
		if rr.Code != 200 {
			t.Fatalf("%s: status %d", text, rr.Code)
		}
	}
	calls := fake.Calls("sendChatAction")
	if len(calls) != 1 || calls[0].ChatID() != 4 || calls[0].Params.Get("action") != "typing" {
		t.Errorf("sendChatAction calls: got %+v, want one typing to chat 4", calls)
	}
}

// A retry_after longer than half a lease gives the row back until then
// instead of holding it.
func TestLongRetryAfterReschedules(t *testing.T) {
	db := newDB(t)
	fake := telegramtest.New(t)
	fake.Fail(telegramtest.Fault{Method: "sendMessage", Times: 1, Code: 429, RetryAfter: 3600})
	enqueue(t, db, 61, bot.Reply{Text: "a"})
	r := start(t, fake, nobody{}, db, nil)
	waitFor(t, "the 429", 10*time.Second, func() bool { return len(fake.Calls("sendMessage")) == 1 })
	enqueue(t, db, 62, bot.Reply{Text: "b"})
	waitFor(t, "both rows handled", 10*time.Second, func() bool {
		return count(t, db, "SELECT count(*) FROM outbox WHERE next_attempt_at > now() + interval '50 minutes'") == 2
	})
	r.stop(t)
	if n := len(fake.Calls("sendMessage")); n != 1 {
		t.Errorf("sendMessage calls: got %d, want 1 (none during the pause)", n)
	}
}

// Two processes in webhook mode on one database, updates spread over both:
// every update handled once, every reply sent once, each chat in order.
func TestTwoWebhookProcesses(t *testing.T) {
	db := newDB(t)
	fake := telegramtest.New(t)
	rec := newRecorder(realService(t, db))
	edit := func(c *Config) { c.WebhookURL = "https://yol.example/hook"; c.WebhookSecret = "k" }
	procs := []*running{start(t, fake, rec, db, edit), start(t, fake, rec, db, edit)}
	var wg sync.WaitGroup
	var id atomic.Int64
	id.Store(5000)
	texts := []string{"/start", "/help", "/menu", "/help"}
	for chat := int64(600); chat < 610; chat++ {
		wg.Go(func() {
			for i, text := range texts {
				body := `{"update_id":` + itoa(id.Add(1)) + `,"message":{"message_id":1,"date":1,"text":"` + text +
					`","chat":{"id":` + itoa(chat) + `,"type":"private"},"from":{"id":` + itoa(chat) + `,"first_name":"P"}}}`
				for range 2 { // Telegram may deliver twice
					req := httptest.NewRequest("POST", "/", strings.NewReader(body))
					req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "k")
					rr := httptest.NewRecorder()
					procs[(i+int(chat))%2].ch.WebhookHandler().ServeHTTP(rr, req)
					if rr.Code != 200 {
						t.Errorf("status %d", rr.Code)
					}
				}
			}
		})
	}
	wg.Wait()
	waitFor(t, "every reply sent", 20*time.Second, func() bool {
		return count(t, db, "SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0
	})
	for _, p := range procs {
		p.stop(t)
	}
	if n := count(t, db, "SELECT count(*) FROM inbound_updates"); n != 10*len(texts) {
		t.Errorf("updates stored: got %d, want %d", n, 10*len(texts))
	}
	for u, n := range rec.handled {
		if n != 1 {
			t.Errorf("update %d handled %d times", u, n)
		}
	}
	for chat := int64(600); chat < 610; chat++ {
		if got, want := gotCalls(fake, chat), expectedCalls(chat, rec.repliesOf(chat)); !slices.Equal(got, want) || len(want) == 0 {
			t.Errorf("chat %d: sent %q, want %q", chat, got, want)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
