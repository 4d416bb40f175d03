package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/yol-project/yol/bot/postgres/pgtest"
)

// TestFunnelWeeksInZone: the dashboard's weeks are ISO weeks in the zone
// the console passes, not in UTC.
func TestFunnelWeeksInZone(t *testing.T) {
	db := pgtest.DB(t)
	ctx := context.Background()
	// Sunday 22:00 UTC is Monday 02:00 at UTC+4: the next ISO week there.
	at := time.Date(2026, 3, 8, 22, 0, 0, 0, time.UTC)
	if _, err := db.Pool.Exec(ctx, "INSERT INTO analytics_events (at, name) VALUES ($1, 'started')", at); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		zone *time.Location
		want string
	}{
		{time.UTC, "2026-W10"},
		{time.FixedZone("Asia/Baku", 4*3600), "2026-W11"},
	} {
		rows, err := db.Funnel(ctx, "week", at.Add(-time.Hour), at.Add(time.Hour), tc.zone)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || rows[0].Group != tc.want || rows[0].Counts[0] != 1 {
			t.Errorf("weeks in %s: %+v, want one row %s with one start", tc.zone, rows, tc.want)
		}
	}
}
