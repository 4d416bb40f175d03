package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/bot/seal"
	"github.com/yol-project/yol/migrations"
)

func conversationWith(t *testing.T, db *postgres.DB, chat bot.Chat, texts ...string) *bot.Conversation {
	t.Helper()
	var conv *bot.Conversation
	err := db.InTx(context.Background(), func(tx bot.Tx) error {
		c, err := tx.Conversation(context.Background(), chat)
		if err != nil {
			return err
		}
		c.ConsentAt = time.Now()
		c.Session.Vars = map[string]string{"passport": "expired"}
		for _, s := range texts {
			if err := tx.AddMessage(context.Background(), c, bot.DirIn, "text", s); err != nil {
				return err
			}
		}
		conv = c
		return tx.SaveConversation(context.Background(), c)
	})
	if err != nil {
		t.Fatal(err)
	}
	return conv
}

func TestPurgeRemovesExactlyWhatIsDue(t *testing.T) {
	ctx := context.Background()
	db := pgtest.DB(t)
	old := conversationWith(t, db, bot.Chat{Channel: bot.ChannelTelegram, ID: 1}, "old one", "old two")
	fresh := conversationWith(t, db, bot.Chat{Channel: bot.ChannelTelegram, ID: 2}, "fresh")
	now := time.Now()
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := db.Pool.Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	exec("UPDATE messages SET created_at = $2 WHERE conversation_id = $1", old.ID, now.Add(-91*24*time.Hour))
	exec("UPDATE conversations SET last_seen_at = $2 WHERE id = $1", old.ID, now.Add(-91*24*time.Hour))
	exec(`INSERT INTO referrals (code, conversation_id, department, status, summary_enc, closed_at) VALUES
		('OLD-CASE', $1, 'baku_central', 'regularized', '\x01', $2), ('NEW-CASE', $3, 'baku_central', 'regularized', '\x01', $4),
		('OPEN-CAS', $3, 'baku_central', 'claimed', '\x01', NULL)`,
		old.ID, now.Add(-400*24*time.Hour), fresh.ID, now.Add(-10*24*time.Hour))
	exec("INSERT INTO inbound_updates (update_id, received_at) VALUES (1, $1), (2, $2)", now.Add(-8*24*time.Hour), now)

	got, err := db.Purge(ctx, postgres.Retention{Messages: 90 * 24 * time.Hour, Referrals: 365 * 24 * time.Hour,
		Updates: 7 * 24 * time.Hour, Outbox: 30 * 24 * time.Hour}, now)
	if err != nil {
		t.Fatal(err)
	}
	want := postgres.PurgeCounts{Messages: 2, States: 1, Referrals: 1, Updates: 1}
	if got != want {
		t.Errorf("Purge = %+v, want %+v", got, want)
	}
	var left int
	db.Pool.QueryRow(ctx, "SELECT count(*) FROM messages WHERE conversation_id = $1", fresh.ID).Scan(&left)
	if left != 1 {
		t.Errorf("fresh messages left = %d, want 1", left)
	}
	var anon []string
	rows, _ := db.Pool.Query(ctx, "SELECT code FROM referrals WHERE summary_enc IS NULL ORDER BY code")
	for rows.Next() {
		var c string
		rows.Scan(&c)
		anon = append(anon, c)
	}
	if len(anon) != 1 || anon[0] != "OLD-CASE" {
		t.Errorf("anonymised referrals = %v, want [OLD-CASE]", anon)
	}
	again, _ := db.Purge(ctx, postgres.Retention{Messages: 90 * 24 * time.Hour, Referrals: 365 * 24 * time.Hour,
		Updates: 7 * 24 * time.Hour, Outbox: 30 * 24 * time.Hour}, now)
	if again != (postgres.PurgeCounts{}) {
		t.Errorf("second Purge = %+v, want nothing", again)
	}
}

func TestRotateKeys(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	k1, _ := seal.GenerateKey("k1")
	k2, _ := seal.GenerateKey("k2")
	open := func(spec string) *postgres.DB {
		ring, err := seal.ParseKeyring(spec)
		if err != nil {
			t.Fatal(err)
		}
		db, err := postgres.Open(ctx, url, ring, migrations.FS)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(db.Close)
		return db
	}
	chat := bot.Chat{Channel: bot.ChannelTelegram, ID: 5550001}
	before := conversationWith(t, open(k1), chat, "secret text")

	rotating := open(k2 + "," + k1)
	counts, err := rotating.RotateKeys(ctx, 1) // batches of one row exercise the loop
	if err != nil {
		t.Fatalf("RotateKeys: %v", err)
	}
	if counts["messages.text_enc"] != 1 || counts["conversations.state_enc"] != 1 || counts["conversations.chat_hash"] != 1 {
		t.Errorf("counts = %v", counts)
	}
	// With the old key retired everything still opens and the chat is found.
	retired := open(k2)
	err = retired.InTx(ctx, func(tx bot.Tx) error {
		c, err := tx.Conversation(ctx, chat)
		if err != nil {
			return err
		}
		if c.New || c.ID != before.ID {
			t.Errorf("after rotation the chat maps to conversation %d (new %v), want %d", c.ID, c.New, before.ID)
		}
		if c.Session.Vars["passport"] != "expired" {
			t.Errorf("state after rotation = %v", c.Session.Vars)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	again, err := rotating.RotateKeys(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	for k, n := range again {
		if n != 0 {
			t.Errorf("second rotation re-sealed %d values of %s", n, k)
		}
	}
}
