package main

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/bot/staff"
)

// Two schedulers (as in two replicas: each its own pool) on one database
// queue every due update exactly once, and none whose time has not come.
func TestTwoSchedulersQueueEachUpdateOnce(t *testing.T) {
	db := pgtest.DB(t)
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, db.Pool.Config().ConnString())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	other := &postgres.DB{Pool: pool, Keys: db.Keys}
	c, probs := bot.LoadPack(embeddedPack())
	if c == nil {
		t.Fatalf("pack: %v", probs)
	}
	holder := bot.NewContentHolder(c)
	for chat := int64(1); chat <= 5; chat++ {
		err := db.InTx(ctx, func(tx bot.Tx) error {
			conv, err := tx.Conversation(ctx, bot.Chat{Channel: bot.ChannelTelegram, ID: chat})
			if err != nil {
				return err
			}
			conv.Language = "az"
			conv.Updates = bot.Subscription{Since: time.Now()}
			return tx.SaveConversation(ctx, conv)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for i, at := range []time.Time{time.Now().Add(-time.Minute), time.Now(), time.Now().Add(time.Hour)} {
		if _, err := db.CreateUpdate(ctx, staff.Update{Texts: map[string]string{"az": "x" + string(rune('a'+i))}, Audience: staff.AudienceAll, SendAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{}, 2)
	for _, d := range []*postgres.DB{db, other} {
		go func() { runUpdates(rctx, d, holder, 10*time.Millisecond, log); done <- struct{}{} }()
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		var queued int
		db.Pool.QueryRow(ctx, "SELECT count(*) FROM updates WHERE queued_at IS NOT NULL").Scan(&queued)
		if queued == 2 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // several more ticks of both
	cancel()
	<-done
	<-done
	var rows, perUpdate int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*), coalesce(max(n), 0) FROM (SELECT count(*) n FROM outbox WHERE update_id IS NOT NULL
		GROUP BY update_id, conversation_id) x`).Scan(&rows, &perUpdate); err != nil {
		t.Fatal(err)
	}
	if rows != 10 || perUpdate != 1 {
		t.Errorf("outbox: %d (update, person) pairs, at most %d rows each; want 10 pairs (2 due updates × 5 people) of 1 row", rows, perUpdate)
	}
}
