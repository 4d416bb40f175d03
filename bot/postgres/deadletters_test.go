package postgres_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/migrations"
)

// A reply that keeps failing: its failures are counted apart from other
// attempts, it is moved to the dead letters (listed and counted, text
// still sealed), its chat's next reply is due, and an admin may requeue it.
func TestDeadLetters(t *testing.T) {
	db := pgtest.DB(t)
	ctx := context.Background()
	enqueueReplies(t, db, 1, "poisoned secret text", "next")
	rows := claim(t, db, 10)
	if len(rows) != 1 || rows[0].text != "poisoned secret text" {
		t.Fatalf("first claim: %v", texts(rows))
	}
	id := rows[0].id
	if err := db.RetryReply(ctx, id, 0, time.Now(), "429 retry after 1s"); err != nil {
		t.Fatal(err)
	}
	if err := db.RetryFailedReply(ctx, id, 0, time.Now(), "500 Internal Server Error"); err != nil {
		t.Fatal(err)
	}
	var got bot.Outgoing
	if err := db.ClaimReplies(ctx, 10, time.Minute, func(o bot.Outgoing) { got = o }); err != nil {
		t.Fatal(err)
	}
	if got.ID != id || got.Attempts != 2 || got.Failures != 1 || got.FailingFor < 0 || got.FailingFor > time.Minute {
		t.Errorf("claimed %+v; want 2 attempts, 1 failure, failing for a moment", got)
	}
	if err := db.DeadLetter(ctx, id, 0, "500 Internal Server Error"); err != nil {
		t.Fatal(err)
	}
	if next := claim(t, db, 10); len(next) != 1 || next[0].text != "next" {
		t.Errorf("after the dead letter the chat's next reply is due: got %v", texts(next))
	}
	n, err := db.DeadLetterCount(ctx)
	if err != nil || n != 1 {
		t.Errorf("DeadLetterCount = %d, %v; want 1", n, err)
	}
	list, err := db.DeadLetters(ctx, 10)
	if err != nil || len(list) != 1 {
		t.Fatalf("DeadLetters = %v, %v; want one", list, err)
	}
	d := list[0]
	if d.ID != id || d.ConversationID == 0 || d.Failures != 2 || d.Attempts != 3 || d.LastError != "500 Internal Server Error" || d.DeadAt.IsZero() {
		t.Errorf("dead letter = %+v", d)
	}
	var payload []byte
	db.Pool.QueryRow(ctx, "SELECT payload_enc FROM outbox WHERE id = $1", id).Scan(&payload)
	if strings.Contains(string(payload), "poisoned") {
		t.Error("a dead letter's text is not sealed")
	}

	if err := db.RequeueDeadLetter(ctx, id+1000); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("requeue of an unknown id: %v, want ErrNotFound", err)
	}
	if err := db.RequeueDeadLetter(ctx, id); err != nil {
		t.Fatal(err)
	}
	if n, _ := db.DeadLetterCount(ctx); n != 0 {
		t.Errorf("after the requeue: %d dead letters, want 0", n)
	}
}

func TestGiveUpAfterDefaults(t *testing.T) {
	tests := []struct {
		attempts  int
		giveUp    time.Duration
		wantN     int
		wantAfter time.Duration
	}{
		{0, 0, postgres.DefaultSendAttempts, postgres.DefaultSendGiveUp},
		{3, time.Minute, 3, time.Minute},
	}
	for _, tt := range tests {
		db := &postgres.DB{SendAttempts: tt.attempts, SendGiveUp: tt.giveUp}
		if n, d := db.GiveUpAfter(); n != tt.wantN || d != tt.wantAfter {
			t.Errorf("GiveUpAfter with %d, %v = %d, %v; want %d, %v", tt.attempts, tt.giveUp, n, d, tt.wantN, tt.wantAfter)
		}
	}
}

// The pool is sized from configuration, not from the number of CPUs.
func TestSetPoolSize(t *testing.T) {
	db := pgtest.DB(t)
	ctx := context.Background()
	if err := db.SetPoolSize(ctx, 24); err != nil {
		t.Fatal(err)
	}
	if got := db.Pool.Config().MaxConns; got != 24 {
		t.Errorf("MaxConns = %d, want 24", got)
	}
	if err := db.Pool.Ping(ctx); err != nil {
		t.Errorf("the new pool does not work: %v", err)
	}
}

// Migration 0006 on a database that already holds conversations and
// replies: they keep their data, pending replies stay pending, and nothing
// is parked or dead.
func TestMigration0006KeepsData(t *testing.T) {
	ctx := context.Background()
	pool := emptyPool(t)
	if _, err := postgres.Migrate(ctx, pool, migrationsUpTo(t, 5)); err != nil {
		t.Fatalf("migrate to 5: %v", err)
	}
	for _, q := range []string{
		`INSERT INTO conversations (id, chat_hash, chat_enc, language, state_enc) VALUES (1, '\x01', '\x02', 'ru', '\x03'), (2, '\x04', '\x05', 'az', NULL)`,
		`INSERT INTO outbox (conversation_id, chat_enc, method, payload_enc, attempts) VALUES (1, '\x02', 'reply', '\x06', 3)`,
		`INSERT INTO outbox (conversation_id, chat_enc, method, payload_enc, sent_at) VALUES (1, '\x02', 'reply', '\x07', now())`,
		`INSERT INTO outbox (conversation_id, chat_enc, method, payload_enc, failed_at, last_error) VALUES (2, '\x05', 'reply', '\x08', now(), '400 Bad Request')`,
	} {
		if _, err := pool.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	applied, err := postgres.Migrate(ctx, pool, migrations.FS)
	if err != nil || len(applied) == 0 || applied[0].Version != 6 {
		t.Fatalf("migrate up: %v, %v", applied, err)
	}
	var langs []string
	rows, _ := pool.Query(ctx, "SELECT language FROM conversations WHERE parked_until IS NULL AND park_token = 0 AND park_attempts = 0 ORDER BY id")
	for rows.Next() {
		var l string
		rows.Scan(&l)
		langs = append(langs, l)
	}
	if !slices.Equal(langs, []string{"ru", "az"}) {
		t.Errorf("conversations after the migration (not parked): %v, want [ru az]", langs)
	}
	var pending, sent, failed, dead int
	pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE sent_at IS NULL AND failed_at IS NULL AND attempts = 3 AND failures = 0 AND first_failed_at IS NULL),
		count(*) FILTER (WHERE sent_at IS NOT NULL), count(*) FILTER (WHERE failed_at IS NOT NULL AND last_error = '400 Bad Request'),
		count(*) FILTER (WHERE dead_at IS NOT NULL) FROM outbox`).Scan(&pending, &sent, &failed, &dead)
	if pending != 1 || sent != 1 || failed != 1 || dead != 0 {
		t.Errorf("outbox after the migration: pending %d, sent %d, failed %d, dead %d; want 1 1 1 0", pending, sent, failed, dead)
	}
	var queued int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM queued_inbounds").Scan(&queued); err != nil || queued != 0 {
		t.Errorf("queued_inbounds: %d, %v", queued, err)
	}
	// Queued messages go with their conversation.
	if _, err := pool.Exec(ctx, `INSERT INTO queued_inbounds (conversation_id, inbound_enc) VALUES (2, '\x09')`); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, "DELETE FROM conversations WHERE id = 2"); err != nil {
		t.Fatal(err)
	}
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM queued_inbounds").Scan(&queued); err != nil || queued != 0 {
		t.Errorf("queued messages of a deleted conversation: %d, %v; want 0", queued, err)
	}
}

// A queued message is sealed, comes back in order, and goes with /forget.
func TestQueuedInboundsSealedAndForgotten(t *testing.T) {
	db := pgtest.DB(t)
	ctx := context.Background()
	chat := bot.Chat{Channel: bot.ChannelTelegram, ID: 77}
	const secret = "my passport number is AB1234567"
	err := db.InTx(ctx, func(btx bot.Tx) error {
		c, err := btx.Conversation(ctx, chat)
		if err != nil {
			return err
		}
		ptx := btx.(bot.ParkTx)
		if err := ptx.Park(ctx, c, time.Minute); err != nil {
			return err
		}
		if !c.Park.Active || c.Park.Attempts != 1 || c.Park.Token == 0 {
			t.Errorf("after Park: %+v", c.Park)
		}
		for _, text := range []string{secret, "second"} {
			if err := ptx.QueueInbound(ctx, c, bot.Inbound{UpdateID: 5, Chat: chat, Kind: bot.InText, Text: text}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var raw []byte
	db.Pool.QueryRow(ctx, "SELECT inbound_enc FROM queued_inbounds ORDER BY id LIMIT 1").Scan(&raw)
	if len(raw) == 0 || strings.Contains(string(raw), "passport") {
		t.Errorf("queued message not sealed: %q", raw)
	}
	err = db.InTx(ctx, func(btx bot.Tx) error {
		c, err := btx.Conversation(ctx, chat)
		if err != nil {
			return err
		}
		in, ok, err := btx.(bot.ParkTx).NextQueued(ctx, c)
		if err != nil || !ok || in.Text != secret || in.Chat != chat {
			t.Errorf("NextQueued = %+v, %v, %v; want the first message", in, ok, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ForgetChat(ctx, chat); err != nil {
		t.Fatal(err)
	}
	var n int
	db.Pool.QueryRow(ctx, "SELECT count(*) FROM queued_inbounds").Scan(&n)
	if n != 0 {
		t.Errorf("queued messages after /forget: %d, want 0", n)
	}
}
