package postgres_test

import (
	"context"
	"testing"

	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/migrations"
)

// Migration 0016 on a database that already holds conversations and
// replies: every pending reply stays interactive (priority 0) and belongs
// to no update, nobody is subscribed, and a subscription goes with its
// conversation.
func TestMigration0016KeepsData(t *testing.T) {
	ctx := context.Background()
	pool := emptyPool(t)
	if _, err := postgres.Migrate(ctx, pool, migrationsUpTo(t, 15)); err != nil {
		t.Fatalf("migrate to 15: %v", err)
	}
	for _, q := range []string{
		`INSERT INTO conversations (id, chat_hash, chat_enc, language) VALUES (1, '\x01', '\x02', 'ru'), (2, '\x03', '\x04', 'az')`,
		`INSERT INTO outbox (conversation_id, chat_enc, method, payload_enc) VALUES (1, '\x02', 'reply', '\x06'), (2, '\x04', 'reply', '\x07')`,
	} {
		if _, err := pool.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if _, err := postgres.Migrate(ctx, pool, migrations.FS); err != nil {
		t.Fatalf("migrate up: %v", err)
	}
	var interactive, subs int
	if err := pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE priority = 0 AND update_id IS NULL AND sent_at IS NULL),
		(SELECT count(*) FROM update_subscriptions) FROM outbox`).Scan(&interactive, &subs); err != nil {
		t.Fatal(err)
	}
	if interactive != 2 || subs != 0 {
		t.Errorf("after 0016: %d interactive pending replies, %d subscriptions; want 2 and 0", interactive, subs)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO update_subscriptions (conversation_id) VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `DELETE FROM conversations WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM update_subscriptions`).Scan(&subs); err != nil || subs != 0 {
		t.Errorf("subscriptions after the conversation was deleted: %d (%v), want 0", subs, err)
	}
}
