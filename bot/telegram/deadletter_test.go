package telegram

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/telegram/telegramtest"
)

// A reply Telegram keeps refusing with 500 while it accepts everything
// else becomes a dead letter after the configured attempts; the chat's next
// reply and every other chat's reply are delivered.
func TestPoisonedReplyBecomesADeadLetter(t *testing.T) {
	db := newDB(t)
	db.SendAttempts, db.SendGiveUp = 3, time.Hour
	fake := telegramtest.New(t)
	fake.Fail(telegramtest.Fault{Method: "sendMessage", ChatID: 61, Text: "poisoned", Times: -1, Code: 500})
	enqueue(t, db, 61, bot.Reply{Text: "poisoned reply"}, bot.Reply{Text: "next reply"})
	enqueue(t, db, 62, bot.Reply{Text: "other chat"})
	r := start(t, fake, nobody{}, db, nil)
	waitFor(t, "the other chat served", 10*time.Second, func() bool { return len(fake.Sent(62)) == 1 })
	waitFor(t, "the poisoned chat's next reply", 30*time.Second, func() bool { return len(fake.Sent(61)) == 1 })
	r.stop(t)
	if got := gotCalls(fake, 61); !slices.Equal(got, []string{"sendMessage:next reply"}) {
		t.Errorf("chat 61 got %q, want only the next reply", got)
	}
	tries := 0
	for _, c := range fake.Calls("sendMessage") {
		if strings.Contains(c.Text(), "poisoned") {
			tries++
		}
	}
	if tries != 3 {
		t.Errorf("the poisoned reply was tried %d times, want 3 (YOL_SEND_ATTEMPTS)", tries)
	}
	dead, err := db.DeadLetters(context.Background(), 10)
	if err != nil || len(dead) != 1 || !strings.HasPrefix(dead[0].LastError, "500") || dead[0].Failures != 3 {
		t.Errorf("dead letters = %+v, %v; want the poisoned reply after 3 failures", dead, err)
	}
	if got := testutilCounterVec(r.m.Replies, "dead_letter"); got != 1 {
		t.Errorf("dead_letter replies counted: %v, want 1", got)
	}
	if strings.Contains(r.logs.String(), "poisoned") {
		t.Error("the reply's text is in the logs")
	}
}

// When Telegram answers nothing at all (an outage), no reply is given up,
// however often it failed; once Telegram is back, it is delivered.
func TestOutageBuriesNothing(t *testing.T) {
	db := newDB(t)
	db.SendAttempts, db.SendGiveUp = 2, time.Hour
	fake := telegramtest.New(t)
	fake.Fail(telegramtest.Fault{Times: -1, Code: 502})
	enqueue(t, db, 63, bot.Reply{Text: "during the outage"})
	r := start(t, fake, nobody{}, db, nil)
	waitFor(t, "three failed attempts", 30*time.Second, func() bool {
		return count(t, db, "SELECT coalesce(max(failures), 0) FROM outbox") >= 3
	})
	if n := count(t, db, "SELECT count(*) FROM outbox WHERE dead_at IS NOT NULL OR failed_at IS NOT NULL"); n != 0 {
		t.Fatalf("%d replies given up during an outage, want 0", n)
	}
	if len(fake.Calls("getMe")) == 0 {
		t.Error("the sender did not ask whether Telegram is up before giving a reply up")
	}
	fake.ClearFaults()
	waitFor(t, "the reply delivered after the outage", 30*time.Second, func() bool { return len(fake.Sent(63)) == 1 })
	r.stop(t)
}
