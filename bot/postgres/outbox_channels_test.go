package postgres_test

import (
	"context"
	"testing"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/migrations"
)

// Migration 0007 on a database that already holds replies: a
// conversation's rows take its channel and chat hash (a simulator chat's
// staff message stays the simulator's), rows without a conversation stay
// Telegram's, and nothing sent or pending changes state.
func TestMigration0007KeepsData(t *testing.T) {
	ctx := context.Background()
	pool := emptyPool(t)
	if _, err := postgres.Migrate(ctx, pool, migrationsUpTo(t, 6)); err != nil {
		t.Fatalf("migrate to 6: %v", err)
	}
	for _, q := range []string{
		`INSERT INTO conversations (id, chat_hash, chat_enc, channel, language) VALUES (1, '\x01', '\x02', 'telegram', 'ru'), (2, '\x04', '\x05', 'simulator', 'fa')`,
		`INSERT INTO outbox (conversation_id, chat_enc, method, payload_enc) VALUES (1, '\x02', 'reply', '\x06'), (2, '\x05', 'reply', '\x07'), (NULL, '\x09', 'reply', '\x08')`,
		`INSERT INTO outbox (conversation_id, chat_enc, method, payload_enc, sent_at) VALUES (1, '\x02', 'reply', '\x0a', now())`,
	} {
		if _, err := pool.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	applied, err := postgres.Migrate(ctx, pool, migrations.FS)
	if err != nil || len(applied) == 0 || applied[0].Version != 7 {
		t.Fatalf("migrate up: %v, %v", applied, err)
	}
	var tgPending, tgSent, simPending, loose int
	err = pool.QueryRow(ctx, `SELECT
		count(*) FILTER (WHERE conversation_id = 1 AND channel = 'telegram' AND chat_hash = '\x01' AND sent_at IS NULL),
		count(*) FILTER (WHERE conversation_id = 1 AND channel = 'telegram' AND sent_at IS NOT NULL),
		count(*) FILTER (WHERE conversation_id = 2 AND channel = 'simulator' AND chat_hash = '\x04' AND sent_at IS NULL),
		count(*) FILTER (WHERE conversation_id IS NULL AND channel = 'telegram' AND chat_hash IS NULL)
		FROM outbox`).Scan(&tgPending, &tgSent, &simPending, &loose)
	if err != nil || tgPending != 1 || tgSent != 1 || simPending != 1 || loose != 1 {
		t.Errorf("outbox after 0007: telegram pending %d sent %d, simulator %d, without conversation %d (%v); want 1 each",
			tgPending, tgSent, simPending, loose, err)
	}
}

// TestEachChannelDrainsItsOwnRows: the Telegram sender claims Telegram's
// replies only; a simulator chat takes its own, even the goodbye queued
// after /forget deleted its conversation, and no other chat's.
func TestEachChannelDrainsItsOwnRows(t *testing.T) {
	db := pgtest.DB(t)
	ctx := context.Background()
	enqueueReplies(t, db, 5, "telegram")
	sim := bot.Chat{Channel: bot.ChannelSimulator, ID: 5}
	other := bot.Chat{Channel: bot.ChannelSimulator, ID: 6}
	err := db.InTx(ctx, func(tx bot.Tx) error {
		for _, chat := range []bot.Chat{sim, other} {
			c, err := tx.Conversation(ctx, chat)
			if err != nil {
				return err
			}
			if err := tx.Enqueue(ctx, c, []bot.Reply{{Text: "hello " + string(rune('0'+chat.ID))}}); err != nil {
				return err
			}
			if chat == sim {
				if err := tx.Forget(ctx, c); err != nil {
					return err
				}
				if err := tx.Enqueue(ctx, c, []bot.Reply{{Text: "goodbye"}}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := texts(claim(t, db, 10)); len(got) != 1 || got[0] != "telegram" {
		t.Errorf("the Telegram sender claimed %v, want [telegram]", got)
	}
	got, err := db.TakeReplies(ctx, sim)
	if err != nil || len(got) != 1 || got[0].Text != "goodbye" {
		t.Errorf("the forgotten simulator chat took %+v (%v), want its goodbye only", got, err)
	}
	if got, _ := db.TakeReplies(ctx, other); len(got) != 1 || got[0].Text != "hello 6" {
		t.Errorf("the other simulator chat took %+v, want its own hello", got)
	}
}
