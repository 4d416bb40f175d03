package kb

import (
	"errors"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// EarthRadiusKM is the mean Earth radius (IUGG) used for distances.
const EarthRadiusKM = 6371.0088

// Haversine returns the great-circle distance in kilometres between two
// points given in decimal degrees.
func Haversine(lat1, lng1, lat2, lng2 float64) float64 {
	const rad = math.Pi / 180
	φ1, φ2 := lat1*rad, lat2*rad
	dφ := (lat2 - lat1) * rad
	dλ := (lng2 - lng1) * rad
	s1, s2 := math.Sin(dφ/2), math.Sin(dλ/2)
	a := s1*s1 + math.Cos(φ1)*math.Cos(φ2)*s2*s2
	if a > 1 {
		a = 1
	}
	return 2 * EarthRadiusKM * math.Asin(math.Sqrt(a))
}

// Nearest returns the n offices closest to the point, nearest first (ties by
// ID). n <= 0 or n larger than the number of offices returns all of them.
func (b *Base) Nearest(lat, lng float64, n int) []OfficeDistance {
	out := make([]OfficeDistance, 0, len(b.offices))
	for _, o := range b.offices {
		out = append(out, OfficeDistance{Office: o, KM: Haversine(lat, lng, o.Lat, o.Lng)})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].KM != out[j].KM {
			return out[i].KM < out[j].KM
		}
		return out[i].Office.ID < out[j].Office.ID
	})
	if n > 0 && n < len(out) {
		out = out[:n]
	}
	return out
}

// weekdayKeys lists the day keys in time.Weekday order, three letters each.
const weekdayKeys = "sunmontuewedthufrisat"

// dayIndex returns the time.Weekday number of a day key ("sun" is 0), or -1.
func dayIndex(s string) int {
	for i := 0; i < 7; i++ {
		if weekdayKeys[3*i:3*i+3] == s {
			return i
		}
	}
	return -1
}

// span is a half-open interval of minutes after midnight.
type span struct{ from, to int }

// parseClock parses "HH:MM" (24:00 allowed) into minutes.
func parseClock(s string) (int, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || len(m) != 2 || len(h) < 1 || len(h) > 2 {
		return 0, errors.New("want HH:MM, got " + strconv.Quote(s))
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || mm < 0 || mm > 59 || hh > 24 || (hh == 24 && mm != 0) {
		return 0, errors.New("bad time " + strconv.Quote(s))
	}
	return hh*60 + mm, nil
}

// parseSpans parses "09:00-13:00, 14:00-18:00"; "" and "closed" mean no span.
func parseSpans(s string) ([]span, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	if s == "" || s == "closed" {
		return nil, nil
	}
	var out []span
	for _, part := range strings.Split(s, ",") {
		a, z, ok := strings.Cut(part, "-")
		if !ok {
			return nil, errors.New("want HH:MM-HH:MM, got " + strconv.Quote(strings.TrimSpace(part)))
		}
		from, err := parseClock(a)
		if err != nil {
			return nil, err
		}
		to, err := parseClock(z)
		if err != nil {
			return nil, err
		}
		if to <= from {
			return nil, errors.New("closing time must be after opening time in " + strconv.Quote(strings.TrimSpace(part)))
		}
		out = append(out, span{from, to})
	}
	return out, nil
}

// parseDays parses a day key: "mon" or a range "mon-fri".
func parseDays(key string) ([]int, error) {
	k := strings.TrimSpace(strings.ToLower(key))
	if a, z, ok := strings.Cut(k, "-"); ok {
		i, j := dayIndex(a), dayIndex(z)
		if i < 0 || j < 0 {
			return nil, errors.New("unknown day range " + strconv.Quote(key) + " (use mon, tue, wed, thu, fri, sat, sun)")
		}
		var out []int
		for d := i; ; d = (d + 1) % 7 {
			out = append(out, d)
			if d == j {
				break
			}
		}
		return out, nil
	}
	if i := dayIndex(k); i >= 0 {
		return []int{i}, nil
	}
	return nil, errors.New("unknown day " + strconv.Quote(key) + " (use mon, tue, wed, thu, fri, sat, sun)")
}

// schedule returns the opening spans per weekday (0 = Sunday), lunch removed.
func (o *Office) schedule() ([7][]span, error) {
	var week [7][]span
	// Single days override ranges, whatever the map order.
	keys := make([]string, 0, len(o.Hours))
	for k := range o.Hours {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		ri, rj := strings.Contains(keys[i], "-"), strings.Contains(keys[j], "-")
		if ri != rj {
			return ri
		}
		return keys[i] < keys[j]
	})
	for _, k := range keys {
		days, err := parseDays(k)
		if err != nil {
			return week, err
		}
		sp, err := parseSpans(o.Hours[k])
		if err != nil {
			return week, errors.New(k + ": " + err.Error())
		}
		for _, d := range days {
			week[d] = sp
		}
	}
	lunch, err := parseSpans(o.Lunch)
	if err != nil {
		return week, errors.New("lunch: " + err.Error())
	}
	if len(lunch) > 0 {
		for d := range week {
			week[d] = subtract(week[d], lunch)
		}
	}
	return week, nil
}

// subtract returns spans with the cut spans taken out of them (the lunch
// break out of opening hours).
func subtract(spans, cut []span) []span {
	out := spans
	for _, c := range cut {
		var next []span
		for _, s := range out {
			if c.to <= s.from || c.from >= s.to {
				next = append(next, s)
				continue
			}
			if s.from < c.from {
				next = append(next, span{s.from, c.from})
			}
			if c.to < s.to {
				next = append(next, span{c.to, s.to})
			}
		}
		out = next
	}
	return out
}

// OpenAt reports whether the office is open at t, read in the pack's time
// zone (settings.yaml; an Office not loaded from a pack reads t in its own
// zone): within the opening hours of that weekday and not during lunch.
// Days that are missing from Hours, or marked "closed", are closed. Public
// holidays are not known to the knowledge base.
func (o *Office) OpenAt(t time.Time) bool {
	week, err := o.schedule()
	if err != nil {
		return false
	}
	bt := t
	if o.zone != nil {
		bt = t.In(o.zone)
	}
	m := bt.Hour()*60 + bt.Minute()
	for _, s := range week[int(bt.Weekday())] {
		if m >= s.from && m < s.to {
			return true
		}
	}
	return false
}
