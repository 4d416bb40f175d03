package bot_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/postgres"
)

// question is a free-text question the test pack's search answers.
const question = "What is the fine if I stayed too long?"

// gateHelper is a slow free-text helper (a model, to the Service): each
// answer waits for release, then answers as the search does. With checkTx it
// also checks, on every question, that no transaction of the database is
// open and the conversations are not locked.
type gateHelper struct {
	db       *postgres.DB
	checkTx  bool
	entered  chan struct{} // one value per question that reached the helper
	release  chan struct{} // closed: answer
	onAnswer func()        // called after the answer is ready, if set
	calls    atomic.Int32
	mu       sync.Mutex
	problems []string
}

func newGate(db *postgres.DB) *gateHelper {
	return &gateHelper{db: db, entered: make(chan struct{}, 100), release: make(chan struct{})}
}

func (g *gateHelper) Slow() bool { return true }

func (g *gateHelper) Answer(ctx context.Context, c *bot.Content, lang, q string) (bot.FreeTextAnswer, error) {
	g.calls.Add(1)
	if g.checkTx {
		g.check()
	}
	g.entered <- struct{}{}
	select {
	case <-g.release:
	case <-ctx.Done():
		return bot.FreeTextAnswer{}, ctx.Err()
	}
	ans, err := bot.KeywordHelper{}.Answer(ctx, c, lang, q)
	if g.onAnswer != nil {
		g.onAnswer()
	}
	return ans, err
}

func (g *gateHelper) check() {
	ctx := context.Background()
	var open int
	err := g.db.Pool.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL`).Scan(&open)
	g.mu.Lock()
	defer g.mu.Unlock()
	if err != nil {
		g.problems = append(g.problems, "pg_stat_activity: "+err.Error())
	} else if open > 0 {
		g.problems = append(g.problems, "a transaction is open while the model answers")
	}
	tx, err := g.db.Pool.Begin(ctx)
	if err != nil {
		g.problems = append(g.problems, err.Error())
		return
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "SELECT id FROM conversations FOR UPDATE NOWAIT"); err != nil {
		g.problems = append(g.problems, "the conversation is locked while the model answers: "+err.Error())
	}
}

func (g *gateHelper) waitEntered(t *testing.T) {
	t.Helper()
	select {
	case <-g.entered:
	case <-time.After(10 * time.Second):
		t.Fatal("the question never reached the helper")
	}
}

// atMenu brings chat to the test pack's menu (consent given).
func (h *harness) atMenu(chat bot.Chat) {
	h.t.Helper()
	h.send(bot.Inbound{Chat: chat, Kind: bot.InCommand, Command: "start"})
	h.send(bot.Inbound{Chat: chat, Kind: bot.InButton, Data: "yes"})
}

func isAnswer(r bot.Reply) bool {
	for _, row := range r.Buttons {
		for _, b := range row {
			if strings.HasPrefix(b.Data, "!article:") {
				return true
			}
		}
	}
	return false
}

// outboxReplies opens the chat's outbox rows, in order.
func outboxReplies(t *testing.T, db *postgres.DB) []bot.Reply {
	t.Helper()
	rows, err := db.Pool.Query(context.Background(), "SELECT payload_enc FROM outbox ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []bot.Reply
	for rows.Next() {
		var sealed []byte
		if err := rows.Scan(&sealed); err != nil {
			t.Fatal(err)
		}
		plain, err := db.Keys.Open(sealed, "outbox.payload")
		if err != nil {
			t.Fatal(err)
		}
		var r bot.Reply
		if err := json.Unmarshal(plain, &r); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func countAnswers(rs []bot.Reply) int {
	n := 0
	for _, r := range rs {
		if isAnswer(r) {
			n++
		}
	}
	return n
}

func (h *harness) rowCount(sql string, args ...any) int {
	h.t.Helper()
	var n int
	if err := h.db.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		h.t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// The model is asked with no transaction open and the chat's row not
// locked: a slow model holds up no database connection and no other
// message.
func TestModelAnsweredOutsideAnyTransaction(t *testing.T) {
	h := newHarness(t)
	g := newGate(h.db)
	g.checkTx = true
	close(g.release)
	h.svc.Helper = g
	h.atMenu(tg)
	h.sent = append(h.sent, question)
	res := h.send(bot.Inbound{UpdateID: 1, Chat: tg, Kind: bot.InText, Text: question})
	if got := g.calls.Load(); got != 1 {
		t.Fatalf("the helper was asked %d times, want 1", got)
	}
	for _, p := range g.problems {
		t.Error(p)
	}
	if countAnswers(res.Replies) != 1 {
		t.Errorf("replies = %+v, want the answer with its articles", res.Replies)
	}
	if got := countAnswers(outboxReplies(t, h.db)); got != 1 {
		t.Errorf("answers in the outbox = %d, want 1", got)
	}
	h.db.InTx(context.Background(), func(tx bot.Tx) error {
		c, err := tx.Conversation(context.Background(), tg)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := c.Session.Vars["free_text"]; ok || c.Park.Active {
			t.Errorf("after the answer: question kept %v, parked %v; want neither", ok, c.Park.Active)
		}
		return nil
	})
}

// While the model answers, the chat's next message is not held up: it is
// stored behind the question and handled right after the answer, in order;
// other chats go on.
func TestMessagesWaitBehindASlowAnswer(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	g := newGate(h.db)
	h.svc.Helper = g
	h.atMenu(tg)
	h.sent = append(h.sent, question)
	first := make(chan bot.Result, 1)
	go func() {
		res, err := h.svc.Handle(ctx, bot.Inbound{UpdateID: 10, Chat: tg, Kind: bot.InText, Text: question})
		if err != nil {
			t.Errorf("Handle(question): %v", err)
		}
		first <- res
	}()
	g.waitEntered(t)

	second := make(chan bot.Result, 1)
	go func() {
		res, err := h.svc.Handle(ctx, bot.Inbound{UpdateID: 11, Chat: tg, Kind: bot.InCommand, Command: "menu"})
		if err != nil {
			t.Errorf("Handle(/menu): %v", err)
		}
		second <- res
	}()
	select {
	case res := <-second:
		if len(res.Replies) != 0 {
			t.Errorf("the message behind the question was answered before it: %+v", res.Replies)
		}
	case <-time.After(3 * time.Second):
		t.Error("the chat's next message was held up by the model")
	}
	other := bot.Chat{Channel: bot.ChannelTelegram, ID: 42}
	done := make(chan struct{})
	go func() { h.atMenu(other); close(done) }()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		t.Error("another chat was held up by the model")
	}

	close(g.release)
	res := <-first
	answer, menu := -1, -1
	for i, r := range res.Replies {
		if isAnswer(r) && answer < 0 {
			answer = i
		}
		if r.Text != "" && !isAnswer(r) {
			menu = i
		}
	}
	if answer < 0 || menu < answer {
		t.Errorf("replies = %+v; want the answer, then the menu asked for behind it", res.Replies)
	}
	if got := countAnswers(outboxReplies(t, h.db)); got != 1 {
		t.Errorf("answers in the outbox = %d, want 1", got)
	}
	if n := h.rowCount("SELECT count(*) FROM inbound_updates WHERE update_id IN (10, 11)"); n != 2 {
		t.Errorf("updates recorded = %d, want 2", n)
	}
	if n := h.rowCount("SELECT count(*) FROM queued_inbounds"); n != 0 {
		t.Errorf("queued messages left = %d, want 0", n)
	}
}

// A crash between the two transactions loses nothing and answers once:
// the question waits in the sealed state, the next message waits behind
// it, another process claims the work when the lease ends, and the
// crashed worker's late answer is void.
func TestCrashBetweenTheTwoTransactions(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	g := newGate(h.db)
	close(g.release)
	h.svc.Helper = g
	h.svc.ParkLease = 300 * time.Millisecond
	h.atMenu(tg)
	h.sent = append(h.sent, question)

	res, err := h.svc.Accept(ctx, bot.Inbound{UpdateID: 20, Chat: tg, Kind: bot.InText, Text: question})
	if err != nil || res.Parked == nil {
		t.Fatalf("Accept(question) = %+v, %v; want it parked", res, err)
	}
	crashed := *res.Parked // its worker "crashes": nobody resumes it
	if g.calls.Load() != 0 {
		t.Fatal("the model was asked inside Accept")
	}
	if n := h.rowCount("SELECT count(*) FROM conversations WHERE parked_until IS NOT NULL"); n != 1 {
		t.Errorf("parked conversations = %d, want 1", n)
	}

	res, err = h.svc.Accept(ctx, bot.Inbound{UpdateID: 21, Chat: tg, Kind: bot.InCommand, Command: "menu"})
	if err != nil || !res.Queued || res.Parked != nil || len(res.Replies) != 0 {
		t.Fatalf("Accept(/menu) while parked = %+v, %v; want it queued", res, err)
	}
	if res, err := h.svc.Accept(ctx, bot.Inbound{UpdateID: 20, Chat: tg, Kind: bot.InText, Text: question}); err != nil || !res.Duplicate {
		t.Fatalf("redelivered question = %+v, %v; want a duplicate", res, err)
	}
	if claimed, err := h.svc.ClaimParked(ctx, bot.ChannelTelegram, 10); err != nil || len(claimed) != 0 {
		t.Fatalf("ClaimParked during the lease = %v, %v; want nothing", claimed, err)
	}

	time.Sleep(400 * time.Millisecond)
	claimed, err := h.svc.ClaimParked(ctx, bot.ChannelTelegram, 10)
	if err != nil || len(claimed) != 1 {
		t.Fatalf("ClaimParked after the lease = %v, %v; want the crashed work", claimed, err)
	}
	if claimed[0].Chat != tg || claimed[0].Attempts != 2 || claimed[0].Token == crashed.Token {
		t.Errorf("claimed %+v; want chat %v, attempt 2, a new token", claimed[0], tg)
	}
	res, err = h.svc.Resume(ctx, claimed[0])
	if err != nil {
		t.Fatalf("Resume: %v", err)
	}
	if countAnswers(res.Replies) != 1 || len(res.Replies) < 2 {
		t.Errorf("resumed replies = %+v; want the answer and the menu behind it", res.Replies)
	}

	// The crashed worker comes back: its answer is not saved.
	late, err := h.svc.Resume(ctx, crashed)
	if err != nil || len(late.Replies) != 0 {
		t.Errorf("late Resume = %+v, %v; want nothing saved", late, err)
	}
	if got := countAnswers(outboxReplies(t, h.db)); got != 1 {
		t.Errorf("answers in the outbox = %d, want exactly 1", got)
	}
	for _, q := range []string{"SELECT count(*) FROM conversations WHERE parked_until IS NOT NULL", "SELECT count(*) FROM queued_inbounds"} {
		if n := h.rowCount(q); n != 0 {
			t.Errorf("%s = %d, want 0", q, n)
		}
	}
}

// A crash after the model answered but before the answer was saved: the
// worker's context ends, nothing is saved, the work is given back and done
// again, once.
func TestCrashAfterTheModelAnswered(t *testing.T) {
	h := newHarness(t)
	g := newGate(h.db)
	close(g.release)
	h.svc.Helper = g
	h.svc.ParkLease = time.Minute
	h.atMenu(tg)
	h.sent = append(h.sent, question)
	res, err := h.svc.Accept(context.Background(), bot.Inbound{UpdateID: 30, Chat: tg, Kind: bot.InText, Text: question})
	if err != nil || res.Parked == nil {
		t.Fatalf("Accept = %+v, %v; want it parked", res, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	g.onAnswer = cancel
	if _, err := h.svc.Resume(ctx, *res.Parked); err == nil {
		t.Fatal("Resume with its context ended after the answer: no error")
	}
	g.onAnswer = nil
	if got := countAnswers(outboxReplies(t, h.db)); got != 0 {
		t.Fatalf("answers saved by the interrupted worker = %d, want 0", got)
	}
	claimed, err := h.svc.ClaimParked(context.Background(), bot.ChannelTelegram, 10)
	if err != nil || len(claimed) != 1 {
		t.Fatalf("ClaimParked after the interrupted worker gave it back = %v, %v; want it at once", claimed, err)
	}
	if _, err := h.svc.Resume(context.Background(), claimed[0]); err != nil {
		t.Fatal(err)
	}
	if got := countAnswers(outboxReplies(t, h.db)); got != 1 {
		t.Errorf("answers = %d, want 1", got)
	}
}

// A question whose workers keep going away (it may be what crashes them)
// is answered without the model after a few attempts.
func TestPoisonedQuestionAnsweredWithoutTheModel(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	g := newGate(h.db)
	close(g.release)
	h.svc.Helper = g
	h.atMenu(tg)
	h.sent = append(h.sent, question)
	res, err := h.svc.Accept(ctx, bot.Inbound{UpdateID: 40, Chat: tg, Kind: bot.InText, Text: question})
	if err != nil || res.Parked == nil {
		t.Fatalf("Accept = %+v, %v", res, err)
	}
	p := *res.Parked
	for range 3 {
		if err := h.svc.ReleaseParked(ctx, p); err != nil {
			t.Fatal(err)
		}
		claimed, err := h.svc.ClaimParked(ctx, bot.ChannelTelegram, 10)
		if err != nil || len(claimed) != 1 {
			t.Fatalf("ClaimParked = %v, %v", claimed, err)
		}
		p = claimed[0]
	}
	if p.Attempts != 4 {
		t.Fatalf("attempts = %d, want 4", p.Attempts)
	}
	res, err = h.svc.Resume(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if g.calls.Load() != 0 {
		t.Errorf("the model was asked %d times, want 0", g.calls.Load())
	}
	if len(res.Replies) == 0 || countAnswers(res.Replies) != 0 {
		t.Errorf("replies = %+v; want the conversation going on without an answer", res.Replies)
	}
	if n := h.rowCount("SELECT count(*) FROM conversations WHERE parked_until IS NOT NULL"); n != 0 {
		t.Errorf("still parked")
	}
}

// Without a sweeper (the simulator, the terminal), the chat's next message
// takes over work whose lease ended.
func TestNextMessageTakesOverStaleWork(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	g := newGate(h.db)
	close(g.release)
	h.svc.Helper = g
	h.svc.ParkLease = 200 * time.Millisecond
	h.atMenu(tg)
	h.sent = append(h.sent, question)
	if res, err := h.svc.Accept(ctx, bot.Inbound{UpdateID: 50, Chat: tg, Kind: bot.InText, Text: question}); err != nil || res.Parked == nil {
		t.Fatalf("Accept = %+v, %v", res, err)
	}
	time.Sleep(300 * time.Millisecond)
	res := h.send(bot.Inbound{UpdateID: 51, Chat: tg, Kind: bot.InCommand, Command: "menu"})
	if !res.Queued || countAnswers(res.Replies) != 1 || len(res.Replies) < 2 {
		t.Errorf("Handle(/menu) = %+v; want the stale answer, then the menu", res)
	}
}

// More messages than one transaction handles wait behind a question: all
// are handled, in order, and the conversation ends unparked.
func TestManyMessagesBehindAQuestion(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	g := newGate(h.db)
	close(g.release)
	h.svc.Helper = g
	h.atMenu(tg)
	h.sent = append(h.sent, question)
	res, err := h.svc.Accept(ctx, bot.Inbound{UpdateID: 60, Chat: tg, Kind: bot.InText, Text: question})
	if err != nil || res.Parked == nil {
		t.Fatalf("Accept = %+v, %v", res, err)
	}
	const n = 60
	for i := range n {
		if r, err := h.svc.Accept(ctx, bot.Inbound{UpdateID: int64(100 + i), Chat: tg, Kind: bot.InCommand, Command: "menu"}); err != nil || !r.Queued {
			t.Fatalf("message %d: %+v, %v; want it queued", i, r, err)
		}
	}
	all, err := h.svc.Resume(ctx, *res.Parked)
	if err != nil {
		t.Fatal(err)
	}
	if countAnswers(all.Replies) != 1 || !isAnswer(all.Replies[0]) {
		t.Errorf("first reply %+v; want the answer first", all.Replies[0])
	}
	if got := len(all.Replies); got < n+1 {
		t.Errorf("replies = %d, want the answer and one menu per queued message (%d)", got, n)
	}
	if c := h.rowCount("SELECT count(*) FROM queued_inbounds"); c != 0 {
		t.Errorf("queued messages left = %d", c)
	}
	if c := h.rowCount("SELECT count(*) FROM conversations WHERE parked_until IS NOT NULL"); c != 0 {
		t.Errorf("still parked")
	}
}

// Seen tells a redelivery without recording the update.
func TestSeenDoesNotRecord(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	if seen, err := h.svc.Seen(ctx, 70); err != nil || seen {
		t.Fatalf("Seen(new) = %v, %v; want false", seen, err)
	}
	if seen, _ := h.svc.Seen(ctx, 70); seen {
		t.Fatal("Seen recorded the update")
	}
	h.send(bot.Inbound{UpdateID: 70, Chat: tg, Kind: bot.InCommand, Command: "start"})
	if seen, err := h.svc.Seen(ctx, 70); err != nil || !seen {
		t.Fatalf("Seen(handled) = %v, %v; want true", seen, err)
	}
}
