package telegram

import (
	"testing"
	"time"

	"github.com/yol-project/yol/bot/telegram/telegramtest"
)

// Two processes on one database: one polls, the other waits its turn and
// takes over when the first stops; every update is handled once.
func TestOnePollerAtATime(t *testing.T) {
	db := newDB(t)
	fake := telegramtest.New(t)
	rec := newRecorder(realService(t, db))
	first := start(t, fake, rec, db, nil)
	waitFor(t, "the first poller", 10*time.Second, func() bool { return len(fake.Calls("getUpdates")) > 0 })
	second := start(t, fake, rec, db, nil)
	for chat := int64(800); chat < 805; chat++ {
		fake.Text(chat, "/start")
	}
	waitFor(t, "the first round served", 20*time.Second, func() bool { return fake.ChatsServed() == 5 })
	if n := len(fake.Calls("deleteWebhook")); n != 1 {
		t.Errorf("deleteWebhook calls = %d, want 1 (the second process waits before polling)", n)
	}
	first.stop(t)
	for chat := int64(805); chat < 810; chat++ {
		fake.Text(chat, "/start")
	}
	waitFor(t, "the second process to take over", 20*time.Second, func() bool { return fake.ChatsServed() == 10 })
	second.stop(t)
	for u, n := range rec.handled {
		if n != 1 {
			t.Errorf("update %d handled %d times", u, n)
		}
	}
}
