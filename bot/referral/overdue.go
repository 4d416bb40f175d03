package referral

import "time"

// overdueAfter is how many working days a new case may wait to be claimed.
const overdueAfter = 2

// Overdue reports whether a case in status s, created at created, waited
// too long by now: a new case not claimed within overdueAfter working days,
// counted in zone (the campaign's time zone).
func Overdue(s Status, created, now time.Time, zone *time.Location) bool {
	return s == StatusNew && workingDaysBetween(created, now, zone) >= overdueAfter
}

// workingDaysBetween counts the Monday-to-Friday days that fully passed
// between from and to, in zone.
func workingDaysBetween(from, to time.Time, zone *time.Location) int {
	f := from.In(zone)
	t := to.In(zone)
	n := 0
	for d := f.Add(24 * time.Hour); !d.After(t); d = d.Add(24 * time.Hour) {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n++
		}
	}
	return n
}
