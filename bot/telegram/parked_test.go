package telegram

import (
	"context"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/telegram/telegramtest"
)

// slowModel is a free-text helper that is slow to the Service (a model): it
// answers as the search does once released.
type slowModel struct {
	entered chan struct{}
	release chan struct{}
	calls   atomic.Int32
}

func newSlowModel() *slowModel {
	return &slowModel{entered: make(chan struct{}, 100), release: make(chan struct{})}
}

func (m *slowModel) Slow() bool { return true }

func (m *slowModel) Answer(ctx context.Context, c *bot.Content, lang, q string) (bot.FreeTextAnswer, error) {
	m.calls.Add(1)
	m.entered <- struct{}{}
	select {
	case <-m.release:
	case <-ctx.Done():
		return bot.FreeTextAnswer{}, ctx.Err()
	}
	return bot.KeywordHelper{}.Answer(ctx, c, lang, q)
}

// A question the model is slow to answer holds up nobody: the polling goes
// on, other chats are served, the update is acknowledged, and the chat's
// next message waits behind the answer, in order.
func TestSlowAnswerHoldsUpNobody(t *testing.T) {
	db := newDB(t)
	fake := telegramtest.New(t)
	svc := realService(t, db)
	model := newSlowModel()
	svc.Helper = model
	r := start(t, fake, svc, db, nil)
	const asker, other = 71, 72
	fake.Text(asker, "/start")
	waitFor(t, "the asker greeted", 10*time.Second, func() bool { return len(fake.Sent(asker)) > 0 })
	greeted := len(fake.Sent(asker))
	q := fake.Text(asker, "I stayed here without documents for a year, what can happen to me?")
	select {
	case <-model.entered:
	case <-time.After(10 * time.Second):
		t.Fatal("the question never reached the model")
	}
	fake.Text(other, "/start")
	waitFor(t, "another chat served while the model thinks", 5*time.Second, func() bool { return len(fake.Sent(other)) > 0 })
	next := fake.Button(asker, "!article:fines_overstay")
	waitFor(t, "both acknowledged while the model thinks", 5*time.Second, func() bool { return fake.Confirmed() > next })
	if len(fake.Sent(asker)) != greeted {
		t.Fatal("the asker got a reply before the answer")
	}
	close(model.release)
	waitFor(t, "the answer and the article", 10*time.Second, func() bool { return len(fake.Sent(asker)) >= greeted+2 })
	time.Sleep(200 * time.Millisecond)
	r.stop(t)
	sent := fake.Sent(asker)[greeted:]
	if last := sent[len(sent)-1].Text(); !strings.Contains(last, "Fines for staying without papers") {
		t.Errorf("last message %q; want the article asked for behind the question", last)
	}
	if !strings.Contains(sent[0].Params.Get("reply_markup"), "!article:") {
		t.Errorf("first message after the question %q; want the answer with its articles", sent[0].Text())
	}
	if n := count(t, db, "SELECT count(*) FROM inbound_updates WHERE update_id IN ($1, $2)", q, next); n != 2 {
		t.Errorf("updates recorded: %d, want 2", n)
	}
	if got := testutilCounterVec(r.m.Parked, "resumed"); got != 1 {
		t.Errorf("resumed parked work: %v, want 1", got)
	}
	if len(fake.Calls("sendChatAction")) == 0 {
		t.Error("no typing shown while the model thought")
	}
}

// A process that stops while the model thinks gives the work back; the next
// process answers it, once.
func TestParkedWorkTakenOverAfterRestart(t *testing.T) {
	db := newDB(t)
	fake := telegramtest.New(t)
	svc := realService(t, db)
	model := newSlowModel()
	svc.Helper = model
	r := start(t, fake, svc, db, func(c *Config) { c.ParkSweep = 100 * time.Millisecond })
	const asker = 73
	fake.Text(asker, "/start")
	waitFor(t, "greeted", 10*time.Second, func() bool { return len(fake.Sent(asker)) > 0 })
	greeted := len(fake.Sent(asker))
	fake.Text(asker, "I stayed here without documents for a year, what can happen to me?")
	<-model.entered
	r.stop(t) // the model's call is cut short, nothing saved, the work given back
	if n := count(t, db, "SELECT count(*) FROM conversations WHERE parked_until IS NOT NULL"); n != 1 {
		t.Fatalf("parked conversations after the stop: %d, want 1", n)
	}
	close(model.release)
	r2 := start(t, fake, svc, db, func(c *Config) { c.ParkSweep = 100 * time.Millisecond })
	waitFor(t, "the answer after the restart", 10*time.Second, func() bool { return len(fake.Sent(asker)) > greeted })
	time.Sleep(300 * time.Millisecond)
	r2.stop(t)
	answers := 0
	for _, c := range fake.Sent(asker)[greeted:] {
		if strings.Contains(c.Params.Get("reply_markup"), "!article:") {
			answers++
		}
	}
	if answers != 1 {
		t.Errorf("answers delivered: %d, want 1", answers)
	}
	if got := testutilCounterVec(r2.m.Parked, "taken_over"); got != 1 {
		t.Errorf("taken over: %v, want 1", got)
	}
}

// failingAccept is the real service whose first n handlings fail (the
// database is away).
type failingAccept struct {
	*bot.Service
	fails atomic.Int64
}

func (f *failingAccept) Accept(ctx context.Context, in bot.Inbound) (bot.Result, error) {
	if f.fails.Add(-1) >= 0 {
		return bot.Result{}, errors.New("connect: database is down")
	}
	return f.Service.Accept(ctx, in)
}

// A voice message is transcribed once per update: not again for each
// retry of its handling, nor for a redelivery.
func TestVoiceTranscribedOncePerUpdate(t *testing.T) {
	db := newDB(t)
	fake := telegramtest.New(t)
	fake.DuplicateUpdates(true)
	h := &failingAccept{Service: realService(t, db)}
	h.fails.Store(2)
	var calls atomic.Int32
	transcribe := func(context.Context, io.Reader, string) (string, error) {
		calls.Add(1)
		return "how much is the fine", nil
	}
	r := start(t, fake, h, db, func(c *Config) { c.Transcribe = transcribe })
	id := fake.Voice(74, "voice-74", []byte("OggS audio"), 5)
	waitFor(t, "the voice message handled", 20*time.Second, func() bool { return fake.Confirmed() > id })
	r.stop(t)
	if got := calls.Load(); got != 1 {
		t.Errorf("transcribed %d times, want 1", got)
	}
	if n := count(t, db, "SELECT count(*) FROM inbound_updates WHERE update_id = $1", id); n != 1 {
		t.Errorf("update recorded %d times, want 1", n)
	}
}

// An update_id near 2^63 would overflow the next offset into a negative
// one, which Telegram reads as "only the last updates" (forgetting the
// others): it is refused, and the offset stays a valid positive number.
func TestHugeUpdateIDRejected(t *testing.T) {
	db := newDB(t)
	fake := telegramtest.New(t)
	rec := newRecorder(realService(t, db))
	r := start(t, fake, rec, db, nil)
	first := fake.Text(75, "/start")
	fake.PushRaw(math.MaxInt64, []byte(`{"update_id": 9223372036854775807, "message": {"message_id": 9, "date": 1,
		"chat": {"id": 76, "type": "private"}, "from": {"id": 76, "is_bot": false, "first_name": "P"}, "text": "/start"}}`))
	waitFor(t, "the valid update served", 10*time.Second, func() bool { return len(fake.Sent(75)) > 0 })
	time.Sleep(1500 * time.Millisecond)
	r.stop(t)
	for _, c := range fake.Calls("getUpdates") {
		if v := c.Params.Get("offset"); v != "" {
			if o, err := strconv.ParseInt(v, 10, 64); err != nil || o <= 0 || o > maxUpdateID+1 {
				t.Errorf("getUpdates offset %q; want a positive offset within range", v)
			}
		}
	}
	if off, err := db.PollOffset(context.Background(), r.ch.offName); err != nil || off != first+1 {
		t.Errorf("stored offset = %d, %v; want %d", off, err, first+1)
	}
	if len(fake.Sent(76)) != 0 || rec.handled[math.MaxInt64] != 0 {
		t.Error("the update with an id near 2^63 was handled")
	}
	if n := len(fake.Calls("getUpdates")); n > 20 {
		t.Errorf("%d getUpdates calls in a few seconds: polling spins on the refused update", n)
	}
}
