package telegram

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/metrics"
	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/bot/problem"
	"github.com/yol-project/yol/bot/telegram/telegramtest"
)

// logBuffer collects every log line of a test, to look for leaks.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

var (
	contentOnce sync.Once
	content     *bot.Content
	contentErr  []problem.Problem
)

// realService is the real conversation service on db with the content pack
// at the repository root.
func realService(t testing.TB, db *postgres.DB) *bot.Service {
	t.Helper()
	contentOnce.Do(func() { content, contentErr = bot.LoadPack(os.DirFS("../..")) })
	if content == nil {
		t.Fatalf("the content pack does not load: %v", contentErr)
	}
	return &bot.Service{Store: db, Content: bot.NewContentHolder(content), Log: slog.New(slog.NewTextHandler(&logBuffer{}, nil))}
}

// recorder wraps a handler and keeps, per chat, the replies of every
// update it committed, in order.
type recorder struct {
	h       Handler
	mu      sync.Mutex
	replies map[int64][]bot.Reply
	handled map[int64]int // update_id → times handled (not duplicate)
}

func newRecorder(h Handler) *recorder {
	return &recorder{h: h, replies: map[int64][]bot.Reply{}, handled: map[int64]int{}}
}

func (r *recorder) Handle(ctx context.Context, in bot.Inbound) (bot.Result, error) {
	res, err := r.h.Handle(ctx, in)
	if err == nil && !res.Duplicate {
		r.mu.Lock()
		r.replies[in.Chat.ID] = append(r.replies[in.Chat.ID], res.Replies...)
		r.handled[in.UpdateID]++
		r.mu.Unlock()
	}
	return res, err
}

func (r *recorder) repliesOf(chat int64) []bot.Reply {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bot.Reply(nil), r.replies[chat]...)
}

// expectedCalls is what the fake should receive for replies, in order.
func expectedCalls(chat int64, replies []bot.Reply) []string {
	var out []string
	for _, r := range replies {
		for _, q := range render(chat, r, func(string, ...any) {}) {
			out = append(out, q.Method+":"+q.Params["text"]+q.Params["title"])
		}
	}
	return out
}

func gotCalls(fake *telegramtest.Server, chat int64) []string {
	var out []string
	for _, c := range fake.Sent(chat) {
		out = append(out, c.Method+":"+c.Params.Get("text")+c.Params.Get("title"))
	}
	return out
}

type running struct {
	ch     *Channel
	cancel context.CancelFunc
	done   chan error
	logs   *logBuffer
	m      *metrics.Metrics
	once   sync.Once
}

// start runs a channel against the fake until the test ends.
func start(t testing.TB, fake *telegramtest.Server, h Handler, db *postgres.DB, edit func(*Config)) *running {
	t.Helper()
	var ob Outbox = nopOutbox{}
	var off Offsets = nopOffsets{}
	if db != nil {
		ob, off = db, db
	}
	return startWith(t, fake, h, ob, off, edit)
}

// startWith is start with the outbox and offset store given.
func startWith(t testing.TB, fake *telegramtest.Server, h Handler, ob Outbox, off Offsets, edit func(*Config)) *running {
	t.Helper()
	logs := &logBuffer{}
	cfg := Config{Token: fake.Token, APIURL: fake.APIURL(), SendRate: 1000, ChatInterval: -1, Workers: 8,
		Log: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})), Metrics: metrics.New(),
		PollTimeout: time.Second, SendPoll: 20 * time.Millisecond}
	if edit != nil {
		edit(&cfg)
	}
	ch, err := New(cfg, h, ob, off)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{ch: ch, cancel: cancel, done: make(chan error, 1), logs: logs, m: cfg.Metrics}
	go func() { r.done <- ch.Run(ctx) }()
	t.Cleanup(func() { r.stop(t) })
	return r
}

func (r *running) stop(t testing.TB) {
	t.Helper()
	r.once.Do(func() { r.halt(t) })
}

func (r *running) halt(t testing.TB) {
	t.Helper()
	r.cancel()
	select {
	case <-r.done:
	case <-time.After(20 * time.Second):
		t.Fatalf("Run did not return after cancel")
	}
	if strings.Contains(r.logs.String(), telegramtest.Token) || strings.Contains(r.logs.String(), "AAFakeTokenSecretPart") {
		t.Errorf("the token appears in the logs:\n%s", r.logs.String())
	}
}

// waitFor polls cond until it holds.
func waitFor(t testing.TB, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func newDB(t testing.TB) *postgres.DB { return pgtest.DB(t) }

// count runs a counting query.
func count(t testing.TB, db *postgres.DB, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := db.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}
