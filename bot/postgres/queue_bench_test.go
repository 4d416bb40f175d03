package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/bot/staff"
)

// campaignScale is one busy organisation's referrals (issue #18: the 2022
// campaign registered 5,068 legalizations in a year; ten times that).
const campaignScale = 50_000

// fillOrganisation stores n referrals of ganja_regional, a tenth of them
// claimed and written to, and returns a code of one of them.
func fillOrganisation(tb testing.TB, db *postgres.DB, n int) string {
	tb.Helper()
	ctx := context.Background()
	_, err := db.Pool.Exec(ctx, `INSERT INTO referrals (code, department, status, created_at, updated_at, person_wrote_at)
		SELECT 'Q' || lpad(to_hex(i), 6, '0'), 'ganja_regional',
		       CASE WHEN i % 10 = 0 THEN 'contacted' ELSE 'new' END,
		       now() - (i || ' minutes')::interval, now() - (i || ' minutes')::interval,
		       CASE WHEN i % 10 = 0 THEN now() - (i || ' seconds')::interval END
		FROM generate_series(1, $1) AS i`, n)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, "ANALYZE referrals"); err != nil {
		tb.Fatal(err)
	}
	return fmt.Sprintf("Q%06x", n/2)
}

// TestQueueQueriesUseIndexes: at campaign scale, the queue's first page (by
// age and by activity), its total, a code lookup and a case are read
// through indexes, never by reading the whole table.
func TestQueueQueriesUseIndexes(t *testing.T) {
	db := pgtest.DB(t)
	ctx := context.Background()
	code := fillOrganisation(t, db, campaignScale)
	one := staff.Scope{Departments: []string{"ganja_regional"}}
	type statement struct {
		name, sql string
		args      []any
	}
	var statements []statement
	for _, sc := range []staff.Scope{one, {All: true}} {
		for _, sort := range []staff.QueueSort{staff.SortAge, staff.SortActivity} {
			_, _, page, args, err := postgres.QueueStatements(sc, staff.QueueFilter{Sort: sort})
			if err != nil {
				t.Fatal(err)
			}
			statements = append(statements, statement{fmt.Sprintf("first page by %s (all: %v)", sort, sc.All), page, args})
		}
	}
	statements = append(statements,
		statement{"a code", "SELECT id FROM referrals r WHERE translate(upper(r.code), 'OI- ', '01') = $1", []any{postgres.FoldCode(code)}},
		statement{"a case", "SELECT id FROM referrals r WHERE r.id = $1", []any{int64(25000)}})
	for _, q := range statements {
		var plan []string
		rows, err := db.Pool.Query(ctx, "EXPLAIN "+q.sql, q.args...)
		if err != nil {
			t.Fatalf("%s: %v", q.name, err)
		}
		for rows.Next() {
			var line string
			rows.Scan(&line)
			plan = append(plan, line)
		}
		joined := strings.Join(plan, "\n")
		if strings.Contains(joined, "Seq Scan on referrals") || !strings.Contains(joined, "Index") {
			t.Errorf("%s reads the whole table:\n%s", q.name, joined)
		}
	}
}

// BenchmarkStaffAtScale measures, with 50,000 referrals in one
// organisation, the queue's first page, a code lookup and a case page;
// each reports its p99 (README, "Speed").
func BenchmarkStaffAtScale(b *testing.B) {
	db := pgtest.DB(b)
	ctx := context.Background()
	code := fillOrganisation(b, db, campaignScale)
	sc := staff.Scope{Departments: []string{"ganja_regional"}}
	var caseID int64
	db.Pool.QueryRow(ctx, "SELECT id FROM referrals WHERE code = $1", code).Scan(&caseID)
	for _, bm := range []struct {
		name string
		run  func() error
	}{
		{"queue_first_page", func() error { _, err := db.QueuePage(ctx, sc, staff.QueueFilter{Limit: 50}); return err }},
		{"queue_by_activity", func() error {
			_, err := db.QueuePage(ctx, sc, staff.QueueFilter{Limit: 50, Sort: staff.SortActivity})
			return err
		}},
		{"code_lookup", func() error { _, err := db.CaseByCode(ctx, sc, strings.ToLower(code), 0); return err }},
		{"case_page", func() error { _, err := db.OpenCase(ctx, sc, caseID, 0); return err }},
	} {
		b.Run(bm.name, func(b *testing.B) {
			times := make([]time.Duration, 0, b.N)
			for b.Loop() {
				start := time.Now()
				if err := bm.run(); err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(start))
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
