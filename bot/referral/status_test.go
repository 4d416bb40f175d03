package referral_test

import (
	"slices"
	"testing"
	"time"

	"github.com/yol-project/yol/bot/referral"
)

func TestTransitions(t *testing.T) {
	for _, tc := range []struct {
		from, to referral.Status
		ok       bool
	}{
		{"new", "claimed", true}, {"new", "regularized", false}, {"claimed", "contacted", true},
		{"contacted", "appointment", true}, {"appointment", "submitted", true}, {"submitted", "regularized", true},
		{"regularized", "new", false}, {"withdrawn", "claimed", false}, {"new", "new", false}, {"new", "withdrawn", true},
	} {
		if got := tc.from.CanMoveTo(tc.to); got != tc.ok {
			t.Errorf("%s → %s: got %v, want %v", tc.from, tc.to, got, tc.ok)
		}
	}
}

// TestStatusLists: the order staff see, the closed ones, and the message ID
// of each, all from the one list.
func TestStatusLists(t *testing.T) {
	want := []referral.Status{"new", "claimed", "contacted", "appointment", "submitted", "regularized", "not_eligible", "no_response", "withdrawn"}
	if got := referral.Statuses(); !slices.Equal(got, want) {
		t.Errorf("Statuses() = %v, want %v", got, want)
	}
	closed := []referral.Status{"regularized", "not_eligible", "no_response", "withdrawn"}
	if got := referral.ClosedStatuses(); !slices.Equal(got, closed) {
		t.Errorf("ClosedStatuses() = %v, want %v", got, closed)
	}
	for _, s := range want {
		if s.Closed() != slices.Contains(closed, s) {
			t.Errorf("%s.Closed() = %v", s, s.Closed())
		}
		if s.Closed() && len(s.Next()) > 0 {
			t.Errorf("closed %s has a way out: %v", s, s.Next())
		}
		if !s.Closed() && len(s.Next()) == 0 {
			t.Errorf("open %s has no way on", s)
		}
		for _, n := range s.Next() {
			if !n.Valid() {
				t.Errorf("%s moves to unknown %q", s, n)
			}
		}
	}
	if referral.Status("closed").Valid() || referral.Status("").Valid() {
		t.Error("an unknown status is valid")
	}
	if got := referral.StatusNotEligible.MessageID(); got != "referral.status.not_eligible" {
		t.Errorf("MessageID = %q", got)
	}
	if ids := referral.MessageIDs(); len(ids) != len(want) || ids[0] != "referral.status.new" || ids[8] != "referral.status.withdrawn" {
		t.Errorf("MessageIDs() = %v", ids)
	}
}

// TestOverdue: a new case is overdue after two full working days in the
// given zone; weekends do not count, nor do cases taken already.
func TestOverdue(t *testing.T) {
	zone := time.FixedZone("UTC+4", 4*3600)
	fri := time.Date(2026, 3, 6, 10, 0, 0, 0, zone) // a Friday
	for _, tc := range []struct {
		now  time.Time
		want bool
	}{
		{fri.AddDate(0, 0, 1), false}, // Saturday
		{fri.AddDate(0, 0, 3), false}, // Monday: one working day
		{fri.AddDate(0, 0, 4), true},  // Tuesday: two
	} {
		if got := referral.Overdue(referral.StatusNew, fri, tc.now, zone); got != tc.want {
			t.Errorf("created %v, now %v: overdue %v, want %v", fri, tc.now, got, tc.want)
		}
	}
	if referral.Overdue(referral.StatusClaimed, fri, fri.AddDate(0, 1, 0), zone) {
		t.Error("a claimed case is overdue")
	}
	// The zone decides the days: created Friday 22:00 UTC (Saturday 02:00 at
	// UTC+4), seen Tuesday 21:00 UTC (Wednesday 01:00 at UTC+4).
	created, now := time.Date(2026, 3, 6, 22, 0, 0, 0, time.UTC), time.Date(2026, 3, 10, 21, 0, 0, 0, time.UTC)
	if referral.Overdue(referral.StatusNew, created, now, time.UTC) {
		t.Error("overdue after one working day in UTC")
	}
	if !referral.Overdue(referral.StatusNew, created, now, zone) {
		t.Error("not overdue after two working days at UTC+4")
	}
}
