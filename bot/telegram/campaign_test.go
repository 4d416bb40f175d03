package telegram

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/yol-project/yol/bot/staff"
	"github.com/yol-project/yol/bot/telegram/telegramtest"
)

// TestStartPayloadsFromTelegram: through Telegram, /start with a source's
// code attributes the person to it; a code no source has and a malformed
// payload are kept as the unknown source (never as typed), and every
// person gets the start's replies.
func TestStartPayloadsFromTelegram(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	if err := db.CreateCampaignSource(ctx, &staff.CampaignSource{Code: "poster_1", Name: "Poster", Medium: staff.Poster}, 0); err != nil {
		t.Fatal(err)
	}
	fake := telegramtest.New(t)
	rec := newRecorder(realService(t, db))
	start(t, fake, rec, db, nil)
	payloads := map[int64]string{201: "/start poster_1", 202: "/start nobody_made_this", 203: "/start Aysel Mammadova, Sabunchu 5", 204: "/start"}
	for chat, text := range payloads {
		fake.Text(chat, text)
	}
	waitFor(t, "every reply sent", 20*time.Second, func() bool {
		return count(t, db, "SELECT count(*) FROM inbound_updates") == len(payloads) &&
			count(t, db, "SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0
	})
	for chat := range payloads {
		if len(rec.repliesOf(chat)) == 0 {
			t.Errorf("chat %d (%q) got no reply", chat, payloads[chat])
		}
	}
	for _, tt := range []struct {
		source string
		want   int
	}{{"poster_1", 1}, {"?", 2}, {"", 1}} {
		if got := count(t, db, "SELECT count(*) FROM analytics_events WHERE name = 'started' AND campaign_source = $1", tt.source); got != tt.want {
			t.Errorf("started from %q: got %d, want %d", tt.source, got, tt.want)
		}
		if got := count(t, db, "SELECT count(*) FROM conversations WHERE campaign_source = $1", tt.source); got != tt.want {
			t.Errorf("conversations from %q: got %d, want %d", tt.source, got, tt.want)
		}
	}
}

// TestUsernameFromGetMe: the bot's username for campaign links comes from
// getMe; a failing getMe is an error without the token.
func TestUsernameFromGetMe(t *testing.T) {
	fake := telegramtest.New(t)
	r := start(t, fake, newRecorder(nil), nil, nil)
	for _, f := range []telegramtest.Fault{{Method: "getMe", Times: 1, Code: 500}, {Method: "getMe", Times: 1, Malformed: true}} {
		fake.Fail(f)
		got, err := r.ch.Username(context.Background())
		if err == nil || got != "" || strings.Contains(err.Error(), fake.Token) {
			t.Errorf("Username with %+v: got %q, %v; want an error without the token", f, got, err)
		}
	}
	got, err := r.ch.Username(context.Background())
	if err != nil || got != "yol_test_bot" {
		t.Errorf("Username: got %q, %v; want yol_test_bot", got, err)
	}
}
