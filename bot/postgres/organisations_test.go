package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/org"
	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/bot/staff"
	"github.com/yol-project/yol/migrations"
)

// TestOrganisationsSavedRetiredAndAudited: admins' organisations are
// created once, updated, retired (kept, marked), and every change is in
// the audit log; departments are never stored.
func TestOrganisationsSavedRetiredAndAudited(t *testing.T) {
	db := pgtest.DB(t)
	ctx := context.Background()
	o := org.Organisation{ID: "free_lawyers", Kind: org.LegalAid, Names: map[string]string{"en": "Free lawyers", "ru": "Юристы"}, Cities: []string{"baku"}, Hours: "Mon-Fri 10-17"}
	if err := db.SaveOrganisation(ctx, o, false, 0); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveOrganisation(ctx, o, false, 0); !errors.Is(err, org.ErrExists) {
		t.Errorf("a second create: %v, want ErrExists", err)
	}
	o.Names["az"] = "Pulsuz hüquqşünaslar"
	if err := db.SaveOrganisation(ctx, o, true, 0); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveOrganisation(ctx, org.Organisation{ID: "nobody", Kind: org.LegalAid, Names: map[string]string{"en": "x"}}, true, 0); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("updating a missing one: %v, want ErrNotFound", err)
	}
	if err := db.SaveOrganisation(ctx, org.Organisation{ID: "baku_central", Kind: org.Department, Names: map[string]string{"en": "x"}}, false, 0); !errors.Is(err, org.ErrInvalid) {
		t.Errorf("storing a department: %v, want ErrInvalid", err)
	}
	if err := db.SaveOrganisation(ctx, org.Organisation{ID: "shelter", Kind: org.Protection, Names: map[string]string{"en": "x"}}, false, 0); !errors.Is(err, org.ErrInvalid) {
		t.Errorf("a protection partner protecting from nothing: %v, want ErrInvalid", err)
	}
	if err := db.RetireOrganisation(ctx, "free_lawyers", 0); err != nil {
		t.Fatal(err)
	}
	if err := db.RetireOrganisation(ctx, "free_lawyers", 0); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("retired twice: %v", err)
	}
	all, err := db.Organisations(ctx)
	if err != nil || len(all) != 1 {
		t.Fatalf("organisations: %+v %v", all, err)
	}
	if got := all[0]; got.Names["az"] != "Pulsuz hüquqşünaslar" || !got.Retired() || got.Cities[0] != "baku" || got.Hours != "Mon-Fri 10-17" {
		t.Errorf("read back %+v", got)
	}
	var n int
	db.Pool.QueryRow(ctx, "SELECT count(*) FROM audit_log WHERE action IN ('org.create', 'org.update', 'org.retire')").Scan(&n)
	if n != 3 {
		t.Errorf("audit rows = %d, want 3", n)
	}
}

// TestUsualWaitAndLongWaitNotices: the median time to a first answer is
// told only with 5 answered cases in the last 30 days; a case waiting
// longer than that is noticed once, and one already answered never.
func TestUsualWaitAndLongWaitNotices(t *testing.T) {
	db := pgtest.DB(t)
	ctx := context.Background()
	now := time.Now()
	var ids []int64
	for i := range 7 {
		ids = append(ids, storeCase(t, db, int64(i+1), "ganja_regional", fmt.Sprintf("W%02d-0000", i+1)))
	}
	// Five answered in 1, 2, 2, 3 and 4 days; two not answered, created 3
	// days and 1 hour ago.
	answered := []time.Duration{24, 48, 48, 72, 96}
	for i, h := range answered {
		created := now.Add(-10 * 24 * time.Hour)
		if _, err := db.Pool.Exec(ctx, "UPDATE referrals SET created_at = $2, first_answered_at = $3 WHERE id = $1",
			ids[i], created, created.Add(h*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	db.Pool.Exec(ctx, "UPDATE referrals SET created_at = $2 WHERE id = $1", ids[5], now.Add(-72*time.Hour))
	db.Pool.Exec(ctx, "UPDATE referrals SET created_at = $2 WHERE id = $1", ids[6], now.Add(-time.Hour))
	told := map[string]int{}
	out := func(c *staff.Case) *bot.Reply { told[c.Code]++; return &bot.Reply{Text: "still waiting"} }
	n, err := db.NoticeLongWaits(ctx, now, out)
	if err != nil || n != 1 || told["W06-0000"] != 1 {
		t.Fatalf("long waits: %d %v %v, want only the case 3 days old (the usual wait is 2 days)", n, err, told)
	}
	if n, _ := db.NoticeLongWaits(ctx, now.Add(time.Hour), out); n != 0 {
		t.Errorf("noticed twice")
	}
	// Four answered cases are too few to tell a usual wait: the default
	// week applies, and the younger case is not yet noticed.
	db.Pool.Exec(ctx, "DELETE FROM referrals WHERE id = $1", ids[0])
	if n, _ := db.NoticeLongWaits(ctx, now.Add(6*24*time.Hour), out); n != 0 {
		t.Errorf("noticed before the default week with too few answered cases")
	}
	if n, _ := db.NoticeLongWaits(ctx, now.Add(8*24*time.Hour), out); n != 1 || told["W07-0000"] != 1 {
		t.Errorf("after the default week: %d noticed, %v", n, told)
	}
}

// Migration 0009 on a database that holds referrals: their time to a first
// answer comes from their status history, and nothing waits for a
// handover.
func TestMigration0009KeepsData(t *testing.T) {
	ctx := context.Background()
	pool := emptyPool(t)
	if _, err := postgres.Migrate(ctx, pool, migrationsUpTo(t, 8)); err != nil {
		t.Fatalf("migrate to 8: %v", err)
	}
	for _, q := range []string{
		`INSERT INTO referrals (id, code, department, status, created_at) VALUES (1, 'AAA-0001', 'baku_central', 'contacted', '2026-01-01'), (2, 'AAA-0002', 'baku_central', 'claimed', '2026-01-01')`,
		`INSERT INTO referral_events (referral_id, from_status, to_status, created_at) VALUES (1, '', 'new', '2026-01-01'), (1, 'new', 'claimed', '2026-01-02'), (1, 'claimed', 'contacted', '2026-01-03'), (2, '', 'new', '2026-01-01'), (2, 'new', 'claimed', '2026-01-02')`,
	} {
		if _, err := pool.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	applied, err := postgres.Migrate(ctx, pool, migrations.FS)
	if err != nil || len(applied) == 0 || applied[0].Version != 9 {
		t.Fatalf("migrate up: %v, %v", applied, err)
	}
	var answered, unanswered, handovers int
	pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE id = 1 AND first_answered_at = '2026-01-03'),
		count(*) FILTER (WHERE id = 2 AND first_answered_at IS NULL), count(*) FILTER (WHERE handover_to IS NOT NULL) FROM referrals`).Scan(&answered, &unanswered, &handovers)
	if answered != 1 || unanswered != 1 || handovers != 0 {
		t.Errorf("after 0009: answered %d, unanswered %d, handovers %d; want 1 1 0", answered, unanswered, handovers)
	}
}
