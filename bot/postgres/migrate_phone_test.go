package postgres_test

import (
	"context"
	"testing"
)

// Migration 14 on a database that holds conversations: every existing
// person gets discreet notices (the safe default), and the message ids and
// held notices kept later go with their conversation.
func TestMigrationPhoneSafetyOnExistingData(t *testing.T) {
	ctx := context.Background()
	db, url := dbAtVersion(t, 13)
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := db.Pool.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	exec(`INSERT INTO conversations (id, chat_hash, chat_enc) VALUES (1, 'a', $1), (2, 'b', $2)`,
		db.Keys.Seal([]byte("101"), "conversations.chat"), db.Keys.Seal([]byte("102"), "conversations.chat"))
	db = migrateUp(t, db, url)
	count := func(sql string) int {
		t.Helper()
		var n int
		if err := db.Pool.QueryRow(ctx, sql).Scan(&n); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return n
	}
	if got, want := count(`SELECT count(*) FROM conversations WHERE discreet_notices`), 2; got != want {
		t.Errorf("conversations with discreet notices after the migration: got %d, want %d", got, want)
	}
	if err := db.KeepSentMessages(ctx, 1, []int64{11, 12}); err != nil {
		t.Fatal(err)
	}
	if err := db.KeepSentMessages(ctx, 2, []int64{21}); err != nil {
		t.Fatal(err)
	}
	if err := db.KeepSentMessages(ctx, 3, []int64{31}); err != nil { // no such conversation: nothing kept
		t.Fatal(err)
	}
	exec(`INSERT INTO held_notices (conversation_id, payload_enc) VALUES (1, 'x'), (2, 'y')`)
	exec(`DELETE FROM conversations WHERE id = 1`)
	for _, c := range []struct {
		sql  string
		want int
	}{
		{`SELECT count(*) FROM chat_messages`, 1},
		{`SELECT count(*) FROM chat_messages WHERE conversation_id = 2`, 1},
		{`SELECT count(*) FROM held_notices`, 1},
		{`SELECT count(*) FROM chat_messages WHERE length(message_enc) < 28`, 0}, // sealed (nonce and tag), never the plain id
	} {
		if got := count(c.sql); got != c.want {
			t.Errorf("%s: got %d, want %d", c.sql, got, c.want)
		}
	}
}
