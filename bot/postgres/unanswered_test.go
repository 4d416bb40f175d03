package postgres_test

import (
	"context"
	"strings"
	"testing"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/postgres/pgtest"
)

type unansweredRecorder interface {
	RecordUnanswered(ctx context.Context, lang, redacted string) error
}

func TestUnansweredGroupedAndRedacted(t *testing.T) {
	db := pgtest.DB(t)
	ctx := context.Background()
	questions := []struct{ lang, q string }{
		{"en", "Can I bring my cat?"},
		{"en", "can i bring my CAT"},
		{"en", "can I bring my cat!!"},
		{"ru", "Можно ли привезти кошку? Мой номер +994 50 123 45 67"},
		{"ru", "можно ли привезти кошку мой номер +994 55 765 43 21"},
		{"en", "Where do I buy a SIM card?"},
	}
	for _, q := range questions {
		err := db.InTx(ctx, func(tx bot.Tx) error {
			rec, ok := tx.(unansweredRecorder)
			if !ok {
				t.Fatal("the store's transaction does not record unanswered questions")
			}
			return rec.RecordUnanswered(ctx, q.lang, bot.Redact(q.q))
		})
		if err != nil {
			t.Fatal(err)
		}
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
	if strings.Contains(got[1].Text, "123") || !strings.Contains(got[1].Text, "[phone]") {
		t.Errorf("ru text = %q, want the phone redacted", got[1].Text)
	}
	// Sealed at rest: the table holds no readable text.
	var n int
	if err := db.Pool.QueryRow(ctx, "SELECT count(*) FROM unanswered_questions WHERE position('cat'::bytea in text_enc) > 0 OR position('bring'::bytea in text_enc) > 0").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d rows hold the question in clear", n)
	}
	if got, _ := db.Unanswered(ctx, 1); len(got) != 1 {
		t.Errorf("limit 1: %d rows", len(got))
	}
}
