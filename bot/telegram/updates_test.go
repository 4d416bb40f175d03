package telegram

import (
	"context"
	"testing"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/staff"
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

// queueUpdateTo stores subscribers for chats, queues an update to them and
// returns its id.
func queueUpdateTo(t *testing.T, db *postgres.DB, text string, chats ...int64) int64 {
	t.Helper()
	ctx := context.Background()
	for _, chat := range chats {
		err := db.InTx(ctx, func(tx bot.Tx) error {
			c, err := tx.Conversation(ctx, bot.Chat{Channel: bot.ChannelTelegram, ID: chat})
			if err != nil {
				return err
			}
			c.Language = "en"
			c.Updates = bot.Subscription{Since: time.Now()}
			return tx.SaveConversation(ctx, c)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	id, err := db.CreateUpdate(ctx, staff.Update{Texts: map[string]string{"en": text}, Audience: staff.AudienceAll, SendAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.QueueUpdate(ctx, id, 0, func(lang, text string) bot.Reply { return bot.Reply{Text: text} }); err != nil {
		t.Fatal(err)
	}
	return id
}

// Telegram's answers to bulk sends: a 429 pauses and the update still
// arrives, a 400 counts as failed; allow_paid_broadcast is set on bulk
// sends only, and only with YOL_PAID_BROADCAST above 30 a second.
func TestBulkSendsAndTelegramsAnswers(t *testing.T) {
	tests := []struct {
		name     string
		rate     float64
		paid     bool
		wantPaid string
	}{
		{"paid broadcast above 30/s", 60, true, "true"},
		{"paid broadcast at 30/s", 30, true, ""},
		{"no paid broadcast", 60, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := newDB(t)
			fake := telegramtest.New(t)
			fake.Fail(telegramtest.Fault{Method: "sendMessage", ChatID: 91, Times: 1, Code: 429, RetryAfter: 1})
			fake.Fail(telegramtest.Fault{Method: "sendMessage", ChatID: 92, Times: 1, Code: 400})
			id := queueUpdateTo(t, db, "news", 91, 92, 93)
			enqueue(t, db, 94, bot.Reply{Text: "a reply"})
			r := start(t, fake, nobody{}, db, func(c *Config) { c.SendRate, c.PaidBroadcast = tt.rate, tt.paid })
			waitFor(t, "the outbox settled", 15*time.Second, func() bool {
				return count(t, db, "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL") == 0
			})
			r.stop(t)
			st, err := db.UpdateStats(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			if want := (staff.UpdateStats{Queued: 3, Sent: 2, Failed: 1}); st != want {
				t.Errorf("stats: got %+v, want %+v", st, want)
			}
			for _, c := range fake.Calls("sendMessage") {
				got, want := c.Params.Get("allow_paid_broadcast"), tt.wantPaid
				if c.ChatID() == 94 {
					want = ""
				}
				if got != want {
					t.Errorf("chat %d: allow_paid_broadcast = %q, want %q", c.ChatID(), got, want)
				}
			}
			if got := gotCalls(fake, 91); len(got) != 1 {
				t.Errorf("chat 91 after a 429: delivered %q, want the update once", got)
			}
		})
	}
}
