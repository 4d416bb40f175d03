package telegram

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/telegram/telegramtest"
)

// bulkDown is the real outbox whose bulk claim fails, as it does when the
// database goes away between the sender's two claims.
type bulkDown struct {
	*postgres.DB
	calls atomic.Int64
}

func (b *bulkDown) ClaimBulk(ctx context.Context, limit int, lease, headroom time.Duration, each func(bot.Outgoing)) error {
	b.calls.Add(1)
	return errors.New("connection refused")
}

// Replies already claimed are sent even when the claim that follows them
// fails; before, they waited out their lease (a minute) and held up
// their chats' next replies.
func TestClaimedRepliesSentWhenBulkClaimFails(t *testing.T) {
	db := newDB(t)
	ob := &bulkDown{DB: db}
	fake := telegramtest.New(t)
	r := startWith(t, fake, realService(t, db), ob, db, nil)
	fake.Text(31, "/start")
	fake.Text(31, "/help")
	waitFor(t, "both replies sent while the bulk claim fails", 10*time.Second, func() bool {
		return count(t, db, "SELECT count(*) FROM inbound_updates") == 2 &&
			count(t, db, "SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0
	})
	if ob.calls.Load() == 0 {
		t.Fatal("the sender never tried the bulk claim: the test proves nothing")
	}
	if !strings.Contains(r.logs.String(), "cannot claim replies") {
		t.Errorf("the failed bulk claim was not logged")
	}
}
