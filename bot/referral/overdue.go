package referral

import "time"

// overdueAfter is how many working days a new case may wait to be claimed.
const overdueAfter = 2

// Overdue reports whether a case in status s, created at created, waited
// too long by now: a new case not claimed within overdueAfter working days
// (Monday to Friday time, counted in zone, the campaign's time zone).
func Overdue(s Status, created, now time.Time, zone *time.Location) bool {
	return s == StatusNew && workingTime(created, now, zone) >= overdueAfter*24*time.Hour
}

// workingTime is how much Monday-to-Friday time, in zone, passed between
// from and to: the weekend does not count. It only grows as from goes
// back, which OverdueBefore relies on.
func workingTime(from, to time.Time, zone *time.Location) time.Duration {
	var total time.Duration
	for t := from.In(zone); t.Before(to); {
		y, m, d := t.Date()
		next := time.Date(y, m, d+1, 0, 0, 0, 0, zone) // the next midnight
		end := next
		if to.Before(end) {
			end = to
		}
		if wd := t.Weekday(); wd != time.Saturday && wd != time.Sunday {
			total += end.Sub(t)
		}
		t = next
	}
	return total
}

// OverdueBefore returns the time before which a new case is overdue by
// now (Overdue is true exactly for cases created at or before it), for
// finding overdue cases in a database.
func OverdueBefore(now time.Time, zone *time.Location) time.Time {
	// Overdue only grows as the creation time goes back: a binary search
	// over the last month finds the boundary to the nanosecond.
	lo, hi := now.Add(-31*24*time.Hour), now // Overdue(lo), !Overdue(hi)
	for hi.Sub(lo) > time.Nanosecond {
		mid := lo.Add(hi.Sub(lo) / 2)
		if Overdue(StatusNew, mid, now, zone) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}
