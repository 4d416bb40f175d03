package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/bot/staff"
	"github.com/yol-project/yol/migrations"
)

// migrationsUpTo returns the migrations with a version up to v.
func migrationsUpTo(t *testing.T, v int) fs.FS {
	t.Helper()
	ms, err := postgres.LoadMigrations(migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	out := fstest.MapFS{}
	for _, m := range ms {
		if m.Version <= v {
			out[fmt.Sprintf("%04d_%s.sql", m.Version, m.Name)] = &fstest.MapFile{Data: []byte(m.SQL)}
		}
	}
	return out
}

// dbAtVersion returns a fresh database migrated up to version v (closed
// when the test ends) and its URL, to fill with data before a migration.
func dbAtVersion(t *testing.T, v int) (*postgres.DB, string) {
	t.Helper()
	url := pgtest.EmptyURL(t)
	db, err := postgres.Open(context.Background(), url, pgtest.Keys(t), migrationsUpTo(t, v))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db, url
}

// migrateUp closes old and opens its database (url) again with every
// migration, migrated up (closed when the test ends).
func migrateUp(t *testing.T, old *postgres.DB, url string) *postgres.DB {
	t.Helper()
	old.Close()
	db, err := postgres.Open(context.Background(), url, old.Keys, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate up: %v", err)
	}
	return db
}

// Migration 5 on a database that holds data: old unanswered questions
// (unlinkable) are deleted, a conversation's extra open referrals are
// closed, the plain appointment places are still read and are sealed by
// yol keys rotate, and the database refuses a second open referral.
func TestMigrationPrivacyOnExistingData(t *testing.T) {
	ctx := context.Background()
	db, url := dbAtVersion(t, 4)
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := db.Pool.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	exec(`INSERT INTO conversations (id, chat_hash, chat_enc) VALUES (1, 'a', $1), (2, 'b', $2)`,
		db.Keys.Seal([]byte("101"), "conversations.chat"), db.Keys.Seal([]byte("102"), "conversations.chat"))
	exec(`INSERT INTO unanswered_questions (language, text_hash, text_enc, count) VALUES ('en', 'h1', $1, 4)`,
		db.Keys.SealString("my friend Zarina asks: can I bring my cat", "unanswered_questions.text"))
	// Conversation 1 asked three times; staff claimed the second request.
	exec(`INSERT INTO referrals (id, code, conversation_id, department, status, created_at) VALUES
		(1, 'AAA-1111', 1, 'baku_central', 'new', now() - interval '3 days'),
		(2, 'AAA-2222', 1, 'baku_central', 'claimed', now() - interval '2 days'),
		(3, 'AAA-3333', 1, 'baku_central', 'new', now() - interval '1 day')`)
	exec(`INSERT INTO referrals (id, code, conversation_id, department, status, appointment_at, appointment_place) VALUES
		(4, 'BBB-4444', 2, 'baku_central', 'appointment', now() + interval '2 days', 'room 5 ask for Leyla')`)
	exec(`INSERT INTO referrals (id, code, department, status, closed_at, anonymised_at, appointment_place) VALUES
		(5, 'CCC-5555', 'baku_central', 'regularized', now(), now(), 'room 7 ask for Elvin')`)

	db = migrateUp(t, db, url)
	count := func(sql string) int {
		t.Helper()
		var n int
		if err := db.Pool.QueryRow(ctx, sql).Scan(&n); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return n
	}
	if n := count(`SELECT count(*) FROM unanswered_questions`); n != 0 {
		t.Errorf("%d unanswered questions from before are kept, linked to nobody", n)
	}
	if n := count(`SELECT count(*) FROM referrals WHERE conversation_id = 1 AND closed_at IS NULL`); n != 1 {
		t.Errorf("conversation 1 has %d open referrals, want 1", n)
	}
	if n := count(`SELECT count(*) FROM referrals WHERE id = 2 AND closed_at IS NULL AND status = 'claimed'`); n != 1 {
		t.Error("the referral staff worked on was not the one kept")
	}
	if n := count(`SELECT count(*) FROM referrals r JOIN referral_events e ON e.referral_id = r.id
		WHERE r.id IN (1, 3) AND r.status = 'withdrawn' AND r.closed_at IS NOT NULL AND e.from_status = 'new' AND e.to_status = 'withdrawn'`); n != 2 {
		t.Errorf("%d extra referrals closed with an event, want 2", n)
	}
	if n := count(`SELECT count(*) FROM referrals WHERE id = 5 AND appointment_place = ''`); n != 1 {
		t.Error("an anonymised referral keeps its appointment place")
	}
	// The plain place is still read, then sealed by the rotation.
	all := staff.Scope{All: true}
	if c, err := db.Case(ctx, all, 4); err != nil || c.AppointmentPlace != "room 5 ask for Leyla" {
		t.Fatalf("case 4 before the rotation: %+v, %v", c, err)
	}
	counts, err := db.RotateKeys(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if counts["referrals.appointment_place"] != 1 {
		t.Errorf("rotation sealed %d places, want 1: %v", counts["referrals.appointment_place"], counts)
	}
	if n := count(`SELECT count(*) FROM referrals WHERE position('Leyla' in appointment_place) > 0
		OR position('Leyla'::bytea in coalesce(appointment_place_enc, '')) > 0`); n != 0 {
		t.Error("the appointment place is still readable in the table after the rotation")
	}
	if c, err := db.Case(ctx, all, 4); err != nil || c.AppointmentPlace != "room 5 ask for Leyla" {
		t.Errorf("case 4 after the rotation: %+v, %v", c, err)
	}
	if again, err := db.RotateKeys(ctx, 10); err != nil || again["referrals.appointment_place"] != 0 {
		t.Errorf("a second rotation: %v, %v; want nothing to seal", again, err)
	}
	// The database refuses a second open referral of a conversation.
	_, err = db.Pool.Exec(ctx, `INSERT INTO referrals (code, conversation_id, department) VALUES ('DDD-6666', 2, 'baku_central')`)
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "23505" {
		t.Errorf("a second open referral: %v, want a unique violation", err)
	}
}
