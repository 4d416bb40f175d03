package kb_test

import (
	"math"
	"testing"
	"time"

	"github.com/yol-project/yol/bot/kb"
)

func TestHaversine(t *testing.T) {
	tests := []struct {
		name                   string
		lat1, lng1, lat2, lng2 float64
		want, tol              float64
	}{
		// Baku and Ganja city centres: about 298 km in a straight line
		// (the road is longer, about 360 km).
		{"Baku-Ganja", 40.4093, 49.8671, 40.6828, 46.3606, 297.8, 1},
		{"London-Paris", 51.5074, -0.1278, 48.8566, 2.3522, 343.6, 1},
		{"same point", 40.4093, 49.8671, 40.4093, 49.8671, 0, 1e-9},
		{"one degree of latitude", 0, 0, 1, 0, 2 * math.Pi * kb.EarthRadiusKM / 360, 1e-6},
		{"antipodes", 0, 0, 0, 180, math.Pi * kb.EarthRadiusKM, 1e-6},
		{"symmetry", 40.6828, 46.3606, 40.4093, 49.8671, 297.8, 1},
	}
	for _, tt := range tests {
		if got := kb.Haversine(tt.lat1, tt.lng1, tt.lat2, tt.lng2); math.Abs(got-tt.want) > tt.tol {
			t.Errorf("%s: got %.3f km, want %.3f ± %g", tt.name, got, tt.want, tt.tol)
		}
	}
}

func TestNearestFixture(t *testing.T) {
	b := loadFixture(t)
	tests := []struct {
		name     string
		lat, lng float64
		want     string
	}{
		{"Baku, Fountain Square", 40.3703, 49.8370, "baku_dept"},
		{"Sumgayit", 40.5897, 49.6686, "baku_dept"},
		{"Ganja centre", 40.6828, 46.3606, "ganja_dept"},
		{"Shamkir (near Ganja)", 40.8297, 46.0189, "ganja_dept"},
	}
	for _, tt := range tests {
		got := b.Nearest(tt.lat, tt.lng, 1)
		if len(got) != 1 || got[0].Office.ID != tt.want {
			t.Errorf("%s: got %v, want %s", tt.name, got, tt.want)
		}
	}
	all := b.Nearest(40.4093, 49.8671, 0)
	if len(all) != 2 || all[0].KM != 0 || all[1].KM < 290 || all[1].KM > 305 {
		t.Errorf("Nearest(Baku, all): got %+v, want Baku at 0 km then Ganja at about 298 km", all)
	}
	if got := b.Nearest(40.4, 49.8, 10); len(got) != 2 {
		t.Errorf("Nearest(n=10): got %d, want 2", len(got))
	}
}

// TestNearestRealOffices: a point in each city with an office finds an
// office in that city; every city in the list is served by some office.
func TestNearestRealOffices(t *testing.T) {
	b := loadReal(t)
	if len(b.Offices()) == 0 {
		t.Fatal("knowledge/offices.yaml has no offices")
	}
	withOffice := map[string]bool{}
	for _, o := range b.Offices() {
		withOffice[o.City] = true
	}
	for _, c := range b.Cities() {
		if withOffice[c.ID] {
			got := b.Nearest(c.Lat, c.Lng, 1)
			if len(got) != 1 || got[0].Office.City != c.ID {
				t.Errorf("Nearest(%s): got %s in %s, want an office in %s", c.ID, got[0].Office.ID, got[0].Office.City, c.ID)
			}
			if got[0].KM > 5 {
				t.Errorf("Nearest(%s): %s is %.1f km away, want under 5", c.ID, got[0].Office.ID, got[0].KM)
			}
		}
		if len(b.OfficesServing(c.ID)) == 0 {
			t.Errorf("city %s: no office serves it", c.ID)
		}
	}
	// Known points (not city centres).
	for _, tt := range []struct {
		name     string
		lat, lng float64
		city     string
	}{
		{"Baku, Nizami street", 40.3777, 49.8480, "baku"},
		{"Baku airport", 40.4675, 50.0467, "baku"},
		{"Ganja, Heydar Aliyev avenue", 40.6890, 46.3630, "ganja"},
		{"Sumgayit seaside", 40.5830, 49.6500, "sumgayit"},
		{"Nakhchivan city", 39.2090, 45.4120, "nakhchivan"},
	} {
		got := b.Nearest(tt.lat, tt.lng, 1)
		if got[0].Office.City != tt.city {
			t.Errorf("%s: got %s (%s), want an office in %s", tt.name, got[0].Office.ID, got[0].Office.City, tt.city)
		}
	}
}

func TestOfficesForCity(t *testing.T) {
	b := loadFixture(t)
	for _, tt := range []struct {
		city string
		want int
	}{
		{"baku", 1}, {"Baku", 1}, {"Bakı", 1}, {"Баку", 1}, {"ganja", 1}, {"sumgayit", 0}, {"nowhere", 0},
	} {
		if got := len(b.OfficesForCity(tt.city)); got != tt.want {
			t.Errorf("OfficesForCity(%q): got %d, want %d", tt.city, got, tt.want)
		}
	}
	if got := b.OfficesServing("sumgayit"); len(got) != 1 || got[0].ID != "baku_dept" {
		t.Errorf("OfficesServing(sumgayit): got %v, want baku_dept", got)
	}
	if got := len(b.Cities()); got != 3 {
		t.Errorf("Cities: got %d, want 3", got)
	}
}

func TestOpenAt(t *testing.T) {
	b := loadFixture(t)
	baku := b.Nearest(40.4093, 49.8671, 1)[0].Office
	ganja := b.OfficesForCity("ganja")[0]
	utc := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	// 2026-11-30 is a Monday. Baku is UTC+4.
	tests := []struct {
		at   string
		want bool
	}{
		{"2026-11-30T08:59:00+04:00", false},
		{"2026-11-30T09:00:00+04:00", true},
		{"2026-11-30T04:59:00Z", false}, // 08:59 in Baku
		{"2026-11-30T05:00:00Z", true},  // 09:00 in Baku
		{"2026-11-30T12:59:00+04:00", true},
		{"2026-11-30T13:00:00+04:00", false}, // lunch
		{"2026-11-30T13:30:00+04:00", false},
		{"2026-11-30T14:00:00+04:00", true},
		{"2026-11-30T17:59:00+04:00", true},
		{"2026-11-30T18:00:00+04:00", false},
		{"2026-12-04T10:00:00+04:00", true},  // Friday
		{"2026-11-28T10:00:00+04:00", false}, // Saturday
		{"2026-11-29T10:00:00+04:00", false}, // Sunday
		{"2026-11-29T22:00:00-05:00", false}, // Sunday 22:00 in New York = Monday 07:00 in Baku
		{"2026-11-30T01:30:00-05:00", true},  // Monday 10:30 in Baku
		{"2026-12-04T14:30:00Z", false},      // Friday 18:30 in Baku
	}
	for _, tt := range tests {
		if got := baku.OpenAt(utc(tt.at)); got != tt.want {
			t.Errorf("OpenAt(%s) = %v, want %v (Baku time %s)", tt.at, got, tt.want, utc(tt.at).In(b.Settings().Location()).Format("Mon 15:04"))
		}
	}
	if ganja.HasHours() || ganja.OpenAt(utc("2026-11-30T10:00:00+04:00")) {
		t.Errorf("an office without known hours must not look open")
	}
	if !ganja.IsUnconfirmed("address") || ganja.IsUnconfirmed("phones") {
		t.Errorf("IsUnconfirmed: got %v", ganja.Unconfirmed)
	}
}

func TestOpenAtHoursForms(t *testing.T) {
	mon := time.Date(2026, 11, 30, 0, 0, 0, 0, bakuZone(t))
	at := func(day, h, m int) time.Time {
		return mon.AddDate(0, 0, day).Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
	}
	o := &kb.Office{Hours: map[string]string{
		"mon-fri": "09:00-13:00, 14:00-18:00",
		"wed":     "closed",
		"sat":     "10:00-14:00",
		"sun":     "",
	}}
	tests := []struct {
		t    time.Time
		want bool
	}{
		{at(0, 9, 0), true},
		{at(0, 13, 30), false},
		{at(0, 14, 0), true},
		{at(2, 10, 0), false}, // Wednesday closed overrides mon-fri
		{at(5, 11, 0), true},  // Saturday
		{at(5, 14, 0), false},
		{at(6, 11, 0), false}, // Sunday
	}
	for _, tt := range tests {
		if got := o.OpenAt(tt.t); got != tt.want {
			t.Errorf("OpenAt(%s) = %v, want %v", tt.t.Format("Mon 15:04"), got, tt.want)
		}
	}
	bad := &kb.Office{Hours: map[string]string{"mon": "nine to five"}}
	if bad.OpenAt(at(0, 10, 0)) {
		t.Errorf("unparseable hours must not look open")
	}
}

func TestRealOfficeHours(t *testing.T) {
	b := loadReal(t)
	for _, o := range b.Offices() {
		if !o.HasHours() {
			continue
		}
		// Monday 2026-11-30, 03:00 in Baku: no office is open at night.
		if o.OpenAt(time.Date(2026, 11, 30, 3, 0, 0, 0, b.Settings().Location())) {
			t.Errorf("%s: open at 03:00", o.ID)
		}
	}
}

// bakuZone is the time zone of the real pack and of the valid fixture.
func bakuZone(t *testing.T) *time.Location {
	t.Helper()
	z, err := time.LoadLocation("Asia/Baku")
	if err != nil {
		t.Fatal(err)
	}
	return z
}
