package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/bot/redact"
)

type unansweredRecorder interface {
	RecordUnanswered(ctx context.Context, c *bot.Conversation, lang, redacted string) error
}

// ask records an unanswered question of the person of chat, redacted as the
// Service does.
func ask(t *testing.T, db *postgres.DB, chat int64, lang, q string) {
	t.Helper()
	ctx := context.Background()
	err := db.InTx(ctx, func(tx bot.Tx) error {
		c, err := tx.Conversation(ctx, bot.Chat{Channel: bot.ChannelTelegram, ID: chat})
		if err != nil {
			return err
		}
		rec, ok := tx.(unansweredRecorder)
		if !ok {
			t.Fatal("the store's transaction does not record unanswered questions")
		}
		return rec.RecordUnanswered(ctx, c, lang, redact.ForEditors(q))
	})
	if err != nil {
		t.Fatal(err)
	}
}

// openAsks returns the texts of every ask kept, opened.
func openAsks(t *testing.T, db *postgres.DB) []string {
	t.Helper()
	rows, err := db.Pool.Query(context.Background(), "SELECT text_enc FROM unanswered_asks ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var enc []byte
		if err := rows.Scan(&enc); err != nil {
			t.Fatal(err)
		}
		s, err := db.Keys.OpenString(enc, "unanswered_questions.text")
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func forget(t *testing.T, db *postgres.DB, chat int64) {
	t.Helper()
	if err := db.ForgetChat(context.Background(), bot.Chat{Channel: bot.ChannelTelegram, ID: chat}); err != nil {
		t.Fatal(err)
	}
}

func TestUnansweredGroupedAndRedacted(t *testing.T) {
	db := pgtest.DB(t)
	ctx := context.Background()
	questions := []struct {
		chat    int64
		lang, q string
	}{
		{1, "en", "Can I bring my cat?"},
		{2, "en", "can i bring my CAT"},
		{3, "en", "can I bring my cat!!"},
		{1, "ru", "Можно ли привезти кошку? Мой номер +994 50 123 45 67"},
		{2, "ru", "можно ли привезти кошку мой номер +994 55 765 43 21"},
		{1, "en", "Where do I buy a SIM card?"},
	}
	for _, q := range questions {
		ask(t, db, q.chat, q.lang, q.q)
	}
	got, err := db.Unanswered(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("got %d groups, want 3: %+v", len(got), got)
	}
	if got[0].Count != 3 || got[0].Language != "en" || got[1].Count != 2 || got[1].Language != "ru" || got[2].Count != 1 {
		t.Errorf("groups = %+v, want counts 3 (en), 2 (ru), 1", got)
	}
	if got[0].Text != "can I bring my cat!!" {
		t.Errorf("en text = %q, want the newest ask's", got[0].Text)
	}
	if strings.Contains(got[1].Text, "123") || strings.Contains(got[1].Text, "765") || !strings.Contains(got[1].Text, "[phone]") {
		t.Errorf("ru text = %q, want the phone redacted", got[1].Text)
	}
	// Sealed at rest: the tables hold no readable text.
	var n int
	if err := db.Pool.QueryRow(ctx, "SELECT count(*) FROM unanswered_asks WHERE position('cat'::bytea in text_enc) > 0 OR position('bring'::bytea in text_enc) > 0").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d rows hold the question in clear", n)
	}
	if got, _ := db.Unanswered(ctx, 1); len(got) != 1 {
		t.Errorf("limit 1: %d rows", len(got))
	}
}

// A person asking the same question again is one ask (their newest
// wording) and one more in the count.
func TestUnansweredAskedAgainBySamePerson(t *testing.T) {
	db := pgtest.DB(t)
	ask(t, db, 1, "en", "Can I bring my cat?")
	ask(t, db, 1, "en", "can I bring my cat")
	got, err := db.Unanswered(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Count != 2 || got[0].Text != "can I bring my cat" {
		t.Errorf("groups = %+v, want one, count 2, the newest wording", got)
	}
	if asks := openAsks(t, db); len(asks) != 1 {
		t.Errorf("asks = %q, want one", asks)
	}
}

// /forget removes every question only the person asked, and their link and
// wording from the questions others asked too; the counts stay.
func TestUnansweredForgetLeavesNothingOfThePerson(t *testing.T) {
	db := pgtest.DB(t)
	ctx := context.Background()
	ask(t, db, 1, "en", "Where do I buy a SIM card?") // only this wording comes from person 1
	ask(t, db, 2, "en", "where do i buy a sim card")
	ask(t, db, 1, "en", "My cousin Zarina Aliyeva works at Azersun, can she stay?") // only person 1
	ask(t, db, 3, "en", "can I bring my cat")

	var person string
	if err := db.Pool.QueryRow(ctx, "SELECT person::text FROM conversations ORDER BY id LIMIT 1").Scan(&person); err != nil {
		t.Fatal(err)
	}
	forget(t, db, 1)

	var linked int
	if err := db.Pool.QueryRow(ctx, "SELECT count(*) FROM unanswered_asks WHERE person = $1", person).Scan(&linked); err != nil {
		t.Fatal(err)
	}
	if linked != 0 {
		t.Errorf("%d asks still link to the forgotten person", linked)
	}
	asks := openAsks(t, db)
	for _, a := range asks {
		if strings.Contains(a, "SIM") || strings.Contains(a, "cousin") {
			t.Errorf("a text of the forgotten person is left: %q", a)
		}
	}
	got, err := db.Unanswered(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("groups after /forget = %+v, want the SIM card (asked by another too) and the cat", got)
	}
	for _, q := range got {
		if strings.Contains(q.Text, "sim card") && q.Count != 2 {
			t.Errorf("the SIM card group = %+v, want its count 2 kept", q)
		}
		if strings.Contains(q.Text, "SIM") {
			t.Errorf("the SIM card group shows the forgotten person's wording %q", q.Text)
		}
	}
	// Forgetting the other asker removes the group.
	forget(t, db, 2)
	if got, _ := db.Unanswered(ctx, 10); len(got) != 1 || !strings.Contains(got[0].Text, "cat") {
		t.Errorf("groups = %+v, want the cat only", got)
	}
}

// The text of a question is kept as long as message text: the janitor
// (Purge) deletes older asks, keeps the count of a group asked since, and
// deletes the groups nobody asked since.
func TestUnansweredRetention(t *testing.T) {
	db := pgtest.DB(t)
	ctx := context.Background()
	ask(t, db, 1, "en", "Where do I buy a SIM card?") // old
	ask(t, db, 2, "en", "where do i buy a sim card")  // recent
	ask(t, db, 1, "en", "can I bring my cat")         // old, nobody since
	if _, err := db.Pool.Exec(ctx, `UPDATE unanswered_asks SET asked_at = now() - interval '100 days'
		WHERE person = (SELECT person FROM conversations ORDER BY id LIMIT 1)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE unanswered_questions SET first_seen = now() - interval '100 days', last_seen = now() - interval '100 days'
		WHERE count = 1 AND id = (SELECT max(id) FROM unanswered_questions)`); err != nil {
		t.Fatal(err)
	}
	c, err := db.Purge(ctx, postgres.Retention{Messages: 90 * 24 * time.Hour, Referrals: 365 * 24 * time.Hour,
		Updates: 7 * 24 * time.Hour, Outbox: 30 * 24 * time.Hour}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if c.Unanswered != 1 {
		t.Errorf("purged %d groups, want 1 (the cat)", c.Unanswered)
	}
	asks := openAsks(t, db)
	if len(asks) != 1 || asks[0] != "where do i buy a sim card" {
		t.Errorf("asks left = %q, want only the recent one", asks)
	}
	got, err := db.Unanswered(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Count != 2 || got[0].Text != "where do i buy a sim card" {
		t.Errorf("groups = %+v, want the SIM card with its count 2 and the recent text", got)
	}
}
