package referral

import (
	"testing"
	"time"
)

// TestOverdueBeforeMatchesOverdue: for every hour of two weeks and creation
// times around it, a case is overdue exactly when created at or before
// OverdueBefore.
func TestOverdueBeforeMatchesOverdue(t *testing.T) {
	zone := time.FixedZone("Baku", 4*3600) // Baku keeps +04:00 all year
	start := time.Date(2026, 11, 2, 0, 30, 0, 0, zone)
	for h := 0; h < 14*24; h += 5 {
		now := start.Add(time.Duration(h) * time.Hour)
		cut := OverdueBefore(now, zone)
		for m := -9 * 24 * 60; m <= 0; m += 37 {
			created := now.Add(time.Duration(m) * time.Minute)
			if got, want := !created.After(cut), Overdue(StatusNew, created, now, zone); got != want {
				t.Fatalf("now %s, created %s: before the cut = %v, overdue = %v", now, created, got, want)
			}
		}
	}
}
