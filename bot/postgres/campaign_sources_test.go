package postgres_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/bot/staff"
)

// TestMigration0015KeepsTheCodesInUse: on a database with people who came
// by deep links, migration 0015 keeps each code in use as a source of its
// own (medium not recorded), so it goes on counting; an empty source and a
// value that cannot be a code are not made sources.
func TestMigration0015KeepsTheCodesInUse(t *testing.T) {
	ctx := context.Background()
	pool := emptyPool(t)
	if _, err := postgres.Migrate(ctx, pool, migrationsUpTo(t, 14)); err != nil {
		t.Fatalf("migrate to 14: %v", err)
	}
	for _, q := range []string{
		`INSERT INTO conversations (chat_hash, chat_enc, campaign_source) VALUES ('a', 'x', 'poster_1'), ('b', 'x', ''), ('c', 'x', 'poster_1'), ('d', 'x', 'not a code')`,
		`INSERT INTO analytics_events (name, campaign_source) VALUES ('started', 'poster_1'), ('started', 'fb-2025'), ('started', '')`,
		`INSERT INTO referrals (code, department, campaign_source) VALUES ('AAA-0001', 'baku_central', 'meeting_sheki')`,
	} {
		if _, err := pool.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	applied, err := postgres.Migrate(ctx, pool, migrationsUpTo(t, 15))
	if err != nil || len(applied) != 1 || applied[0].Version != 15 {
		t.Fatalf("migrate up to 15: %v, %v; want 0015 applied", applied, err)
	}
	rows, err := pool.Query(ctx, "SELECT code || ':' || name || ':' || medium FROM campaign_sources ORDER BY code")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		got = append(got, s)
	}
	if want := []string{"fb-2025:fb-2025:", "meeting_sheki:meeting_sheki:", "poster_1:poster_1:"}; !slices.Equal(got, want) {
		t.Errorf("sources after 0015: got %q, want %q", got, want)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO campaign_sources (code, name, medium) VALUES ('a b', 'X', 'poster')`); err == nil {
		t.Errorf("the table took a code Telegram would refuse")
	}
}

// TestCampaignSourcesStoredAndAudited: a source is stored with its
// creator, a taken code is refused with staff.ErrCodeTaken, and each
// creation is audited.
func TestCampaignSourcesStoredAndAudited(t *testing.T) {
	ctx := context.Background()
	db := pgtest.DB(t)
	var staffID int64
	if err := db.Pool.QueryRow(ctx, `INSERT INTO staff_accounts (login, password_hash, role) VALUES ('ed', 'x', 'editor') RETURNING id`).Scan(&staffID); err != nil {
		t.Fatal(err)
	}
	c := staff.CampaignSource{Code: "poster_ganja", Name: "Poster, Ganja bus station", Region: "Gəncə", Medium: staff.Poster}
	if err := db.CreateCampaignSource(ctx, &c, staffID); err != nil || c.ID == 0 {
		t.Fatalf("create: %v (id %d)", err, c.ID)
	}
	again := staff.CampaignSource{Code: "poster_ganja", Name: "Another", Medium: staff.Video}
	if err := db.CreateCampaignSource(ctx, &again, staffID); !errors.Is(err, staff.ErrCodeTaken) {
		t.Errorf("a taken code: got %v, want ErrCodeTaken", err)
	}
	all, err := db.CampaignSources(ctx)
	if err != nil || len(all) != 1 || all[0].CreatedBy != "ed" || all[0].Region != "Gəncə" || all[0].Medium != staff.Poster {
		t.Fatalf("sources: %+v, %v", all, err)
	}
	var n int
	db.Pool.QueryRow(ctx, "SELECT count(*) FROM audit_log WHERE action = 'campaign.create' AND staff_id = $1 AND detail->>'code' = 'poster_ganja'", staffID).Scan(&n)
	if n != 1 {
		t.Errorf("audit rows: got %d, want 1", n)
	}
}
