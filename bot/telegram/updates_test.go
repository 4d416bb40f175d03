package telegram

import (
	"testing"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/telegram/telegramtest"
)

// subscribe plays a person subscribing to every update through the real
// service and the fake Bot API, and waits until the subscription is stored.
func subscribe(t *testing.T, fake *telegramtest.Server, db *postgres.DB, chat int64) {
	t.Helper()
	before := count(t, db, "SELECT count(*) FROM update_subscriptions")
	steps := []func() int64{
		func() int64 { return fake.Text(chat, "/start") },
		func() int64 { return fake.Button(chat, "yes") },
		func() int64 { return fake.Button(chat, "yes") },
		func() int64 { return fake.Text(chat, "/updates") },
		func() int64 { return fake.Button(chat, "all") },
	}
	for _, step := range steps {
		id := step()
		waitFor(t, "the step handled", 10*time.Second, func() bool { return fake.Confirmed() > id })
	}
	waitFor(t, "the subscription stored", 10*time.Second, func() bool {
		return count(t, db, "SELECT count(*) FROM update_subscriptions") == before+1
	})
}

// A subscriber who blocked the bot: Telegram's 403 to an update ends the
// subscription; the other subscriber keeps theirs.
func TestBlockedSubscriberIsUnsubscribed(t *testing.T) {
	db := newDB(t)
	fake := telegramtest.New(t)
	r := start(t, fake, realService(t, db), db, nil)
	subscribe(t, fake, db, 70)
	subscribe(t, fake, db, 71)
	fake.Block(70)
	content := realService(t, db).Content.Load()
	enqueue(t, db, 70, bot.UpdateReply(content.Texts, "en", "The office in Ganja has new hours."))
	enqueue(t, db, 71, bot.UpdateReply(content.Texts, "en", "The office in Ganja has new hours."))
	waitFor(t, "the outbox settled", 10*time.Second, func() bool {
		return count(t, db, "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL") == 0
	})
	r.stop(t)
	if got, want := count(t, db, `SELECT count(*) FROM update_subscriptions s JOIN conversations c ON c.id = s.conversation_id
		WHERE c.blocked_at IS NOT NULL`), 0; got != want {
		t.Errorf("subscriptions of blocked people: got %d, want %d", got, want)
	}
	if got, want := count(t, db, "SELECT count(*) FROM update_subscriptions"), 1; got != want {
		t.Errorf("subscriptions left: got %d, want %d (the one who did not block)", got, want)
	}
}

// /forget removes the subscription with everything else.
func TestForgetRemovesSubscription(t *testing.T) {
	db := newDB(t)
	fake := telegramtest.New(t)
	r := start(t, fake, realService(t, db), db, nil)
	subscribe(t, fake, db, 80)
	for _, in := range []func() int64{
		func() int64 { return fake.Text(80, "/forget") },
		func() int64 { return fake.Button(80, "yes") },
	} {
		id := in()
		waitFor(t, "the step handled", 10*time.Second, func() bool { return fake.Confirmed() > id })
	}
	waitFor(t, "the conversation forgotten", 10*time.Second, func() bool {
		return count(t, db, "SELECT count(*) FROM conversations") == 0
	})
	r.stop(t)
	if got, want := count(t, db, "SELECT count(*) FROM update_subscriptions"), 0; got != want {
		t.Errorf("subscriptions after /forget: got %d, want %d", got, want)
	}
}
