package telegram

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/telegram/telegramtest"
)

// converse plays steps in chat ("/x" typed, else a button) and waits after
// each until its replies are sent, as a person reads before tapping.
func converse(t *testing.T, fake *telegramtest.Server, db *postgres.DB, chat int64, steps ...string) {
	t.Helper()
	for _, s := range steps {
		before := count(t, db, "SELECT count(*) FROM inbound_updates")
		if strings.HasPrefix(s, "/") {
			fake.Text(chat, s)
		} else {
			fake.Button(chat, s)
		}
		waitFor(t, "the step "+s+" handled", 20*time.Second, func() bool {
			return count(t, db, "SELECT count(*) FROM inbound_updates") > before
		})
		waitFor(t, "the replies to "+s+" sent", 20*time.Second, func() bool {
			return count(t, db, "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL") == 0
		})
	}
}

// After /forget the chat's messages of the last 48 hours are deleted from
// Telegram, the person's and the bot's, and no other chat's; what remains
// is the goodbye, which says how to clear the chat.
func TestForgetDeletesTheChatFromTelegram(t *testing.T) {
	db := newDB(t)
	fake := telegramtest.New(t)
	start(t, fake, realService(t, db), db, nil)

	const chat, other = 801, 802
	for _, c := range []int64{chat, other} {
		converse(t, fake, db, c, "/start", "yes", "yes", "documents", "general", "/mydata", "/forget")
	}
	otherShown := fake.Shown(other)
	shown := fake.Shown(chat)
	bots := len(fake.Sent(chat))
	mine := len(shown) - bots
	if mine < 3 || bots < 5 {
		t.Fatalf("chat shows %d of the person's and %d of the bot's messages; the test needs more", mine, bots)
	}
	converse(t, fake, db, chat, "yes")

	deleted := fake.Deleted(chat)
	slices.Sort(deleted)
	if !slices.Equal(deleted, shown) {
		t.Errorf("deleted %v,\nwant every message shown before: %v", deleted, shown)
	}
	left := fake.Shown(chat)
	if len(left) != 1 {
		t.Fatalf("the chat shows %d messages after /forget, want the goodbye only", len(left))
	}
	sent := fake.Sent(chat)
	goodbye := sent[len(sent)-1].Text()
	for _, id := range []string{"forget.done", "phone.forget_deleted", "phone.clear_yourself"} {
		if want := content.Texts.Text("en", id, nil, nil); !strings.Contains(goodbye, want) {
			t.Errorf("the goodbye %q lacks %s", goodbye, id)
		}
	}
	if want := content.Texts.Text("en", "phone.forget_older", nil, nil); strings.Contains(goodbye, want) {
		t.Errorf("the goodbye says older messages remain, for a chat of today: %q", goodbye)
	}
	if got := fake.Deleted(other); len(got) != 0 {
		t.Errorf("deleted %v from another chat, want none", got)
	}
	if got := fake.Shown(other); !slices.Equal(got, otherShown) {
		t.Errorf("the other chat shows %v, want %v", got, otherShown)
	}
	if got, want := count(t, db, "SELECT count(*) FROM chat_messages"), len(otherShown); got != want {
		t.Errorf("message ids kept after /forget: got %d, want %d (the other chat's)", got, want)
	}
	for _, c := range fake.Calls("deleteMessages") {
		if c.ChatID() != chat {
			t.Errorf("deleteMessages for chat %d", c.ChatID())
		}
	}
}

// Messages older than 48 hours cannot be deleted by a bot: their ids are
// pruned, the recent ones are deleted, and the goodbye says that older
// messages remain and how to clear them.
func TestForgetSaysWhatItCouldNotDelete(t *testing.T) {
	db := newDB(t)
	fake := telegramtest.New(t)
	start(t, fake, realService(t, db), db, nil)
	ctx := context.Background()

	const chat = 811
	converse(t, fake, db, chat, "/start", "yes", "yes", "/menu")
	old := fake.Shown(chat)
	fake.Age(chat, 49*time.Hour)
	if _, err := db.Pool.Exec(ctx, `UPDATE chat_messages SET created_at = created_at - interval '49 hours'`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE conversations SET created_at = created_at - interval '49 hours'`); err != nil {
		t.Fatal(err)
	}
	n, err := db.Purge(ctx, postgres.Retention{Messages: 90 * 24 * time.Hour, Referrals: 90 * 24 * time.Hour,
		Updates: 90 * 24 * time.Hour, Outbox: 90 * 24 * time.Hour}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if n.ChatMessages != int64(len(old)) {
		t.Errorf("purge pruned %d message ids, want the %d older than 48 hours", n.ChatMessages, len(old))
	}
	converse(t, fake, db, chat, "/help", "/forget")
	var recent []int64
	for _, id := range fake.Shown(chat) {
		if !slices.Contains(old, id) {
			recent = append(recent, id)
		}
	}
	converse(t, fake, db, chat, "yes")
	deleted := fake.Deleted(chat)
	slices.Sort(deleted)
	if len(recent) < 4 || !slices.Equal(deleted, recent) {
		t.Errorf("deleted %v, want the messages of the last 48 hours %v", deleted, recent)
	}
	if got := fake.Shown(chat); !slices.Equal(got[:len(old)], old) || len(got) != len(old)+1 {
		t.Errorf("the chat shows %v; want the old messages %v and the goodbye", got, old)
	}
	sent := fake.Sent(chat)
	goodbye := sent[len(sent)-1].Text()
	for _, id := range []string{"phone.forget_deleted", "phone.forget_older", "phone.clear_yourself"} {
		if want := content.Texts.Text("en", id, nil, nil); !strings.Contains(goodbye, want) {
			t.Errorf("the goodbye %q lacks %s", goodbye, id)
		}
	}
}

// Hide, under a sensitive screen, deletes the chat's messages (both sides)
// and leaves one neutral message; what Yol keeps about the person stays.
func TestHideLeavesANeutralScreen(t *testing.T) {
	db := newDB(t)
	fake := telegramtest.New(t)
	start(t, fake, realService(t, db), db, nil)

	const chat = 821
	converse(t, fake, db, chat, "/start", "yes", "yes", "/mydata")
	last := fake.Sent(chat)
	if m := last[len(last)-1]; !strings.Contains(m.Params.Get("reply_markup"), `"!hide"`) {
		t.Fatalf("the privacy screen has no Hide button: %s", m.Params.Get("reply_markup"))
	}
	shown := fake.Shown(chat)
	converse(t, fake, db, chat, "!hide")
	if got := fake.Deleted(chat); !slices.Equal(got, shown) {
		t.Errorf("Hide deleted %v, want %v", got, shown)
	}
	left := fake.Shown(chat)
	sent := fake.Sent(chat)
	hidden := sent[len(sent)-1]
	if len(left) != 1 || hidden.Text() != content.Texts.Text("en", "phone.hidden", nil, nil) {
		t.Errorf("after Hide the chat shows %d messages, the last %q; want the neutral one only", len(left), hidden.Text())
	}
	if got := count(t, db, "SELECT count(*) FROM conversations WHERE consent_at IS NOT NULL"); got != 1 {
		t.Errorf("after Hide %d conversations keep their consent, want 1", got)
	}
	converse(t, fake, db, chat, "!menu")
	sent = fake.Sent(chat)
	if got, want := sent[len(sent)-1].Text(), content.Texts.Text("en", "menu.q", nil, nil); !strings.Contains(got, want) {
		t.Errorf("the menu button after Hide sent %q, want the menu", got)
	}
}

// Telegram refusing a deletion (400: gone, too old) does not hold up the
// goodbye; a 429 on a deletion is waited out and the deletion made.
func TestForgetDeletionRefusedOrRateLimited(t *testing.T) {
	tests := []struct {
		name        string
		fault       telegramtest.Fault
		wantDeleted bool
	}{
		{"refused", telegramtest.Fault{Method: "deleteMessages", Times: 1, Code: 400}, false},
		{"rate limited", telegramtest.Fault{Method: "deleteMessages", Times: 1, Code: 429, RetryAfter: 1}, true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := newDB(t)
			fake := telegramtest.New(t)
			start(t, fake, realService(t, db), db, nil)
			chat := int64(831 + i)
			converse(t, fake, db, chat, "/start", "yes", "yes", "/forget")
			fake.Fail(tt.fault)
			converse(t, fake, db, chat, "yes")
			sent := fake.Sent(chat)
			if want := content.Texts.Text("en", "forget.done", nil, nil); !strings.Contains(sent[len(sent)-1].Text(), want) {
				t.Errorf("the last message is %q, want the goodbye", sent[len(sent)-1].Text())
			}
			if got := len(fake.Deleted(chat)) > 0; got != tt.wantDeleted {
				t.Errorf("messages deleted: got %v, want %v", got, tt.wantDeleted)
			}
			if n := count(t, db, "SELECT count(*) FROM outbox WHERE failed_at IS NOT NULL"); n != 0 {
				t.Errorf("%d replies failed, want none", n)
			}
		})
	}
}
