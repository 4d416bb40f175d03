package bot

// Actions of the nearest office: where the person is, the offices near
// them, and what each one's card says.

import (
	"strconv"
	"strings"

	"github.com/yol-project/yol/bot/dialog"
	"github.com/yol-project/yol/bot/kb"
)

// place returns the point to search from: a shared location, or the centre
// of a chosen city (city true).
func (t *turn) place() (lat, lng float64, city, ok bool) {
	if loc := t.vars()["location"]; loc != "" {
		a, b, found := strings.Cut(loc, ",")
		la, err1 := strconv.ParseFloat(a, 64)
		ln, err2 := strconv.ParseFloat(b, 64)
		if found && err1 == nil && err2 == nil {
			return la, ln, false, true
		}
	}
	if id := t.vars()["city"]; id != "" {
		for _, c := range t.content.KB.Cities() {
			if c.ID == id {
				return c.Lat, c.Lng, true, true
			}
		}
	}
	return 0, 0, false, false
}

// isDepartment reports whether an office takes referrals: the central
// service and the regional departments, not the service points.
func isDepartment(o *kb.Office) bool { return o.Kind == "central" || o.Kind == "regional" }

// nearestDepartment returns the closest office that takes referrals.
func (t *turn) nearestDepartment(lat, lng float64) string {
	for _, od := range t.content.KB.Nearest(lat, lng, len(t.content.KB.Offices())) {
		if isDepartment(od.Office) {
			return od.Office.ID
		}
	}
	return ""
}

// actShowOffices sends the offices nearest to the person's place (3, or
// parameter limit up to 10), with a map pin for the nearest, and sets var
// department to the nearest department. Its result is "ok", "no_place" or
// "none".
func (t *turn) actShowOffices(e *dialog.Event) (string, error) {
	lat, lng, fromCity, ok := t.place()
	if !ok {
		return "no_place", nil
	}
	n := 3
	if v, err := strconv.Atoi(e.Params["limit"]); err == nil && v > 0 && v <= 10 {
		n = v
	}
	near := t.content.KB.Nearest(lat, lng, n)
	if len(near) == 0 {
		t.say("offices.none", nil)
		return "none", nil
	}
	t.say("offices.header", nil)
	t.flush(nil)
	for _, od := range near {
		t.addReply(Reply{Text: t.officeText(od, fromCity)})
	}
	first := near[0].Office
	pin := &Pin{Lat: first.Lat, Lng: first.Lng, Title: t.text(first.Name, nil)}
	if first.Address != "" {
		pin.Address = t.text(first.Address, nil)
	}
	t.addReply(Reply{Pin: pin})
	if d := t.nearestDepartment(lat, lng); d != "" {
		t.vars()["department"] = d
	}
	return "ok", nil
}

// officeText renders an office: its name, distance, address (also as
// written locally), phones and hours, with marks for unconfirmed facts.
func (t *turn) officeText(od kb.OfficeDistance, fromCity bool) string {
	o := od.Office
	var b strings.Builder
	b.WriteString(t.text(o.Name, nil))
	distance := "offices.distance"
	if fromCity {
		distance = "offices.distance_city"
	}
	b.WriteString("\n" + t.textAny(distance, map[string]any{"km": strconv.FormatFloat(od.KM, 'f', 1, 64)}))
	if o.Approximate {
		b.WriteString(" " + t.text("offices.approximate", nil))
	}
	if o.Address != "" {
		a := t.text(o.Address, nil)
		b.WriteString("\n" + t.text("offices.address", nil) + " " + t.ltrIfLatin(a))
		if t.lang() != "az" && t.content.Texts.Has("az", o.Address) {
			if az := t.content.Texts.Text("az", o.Address, nil, nil); az != a {
				// The address as written locally, to show a taxi driver.
				b.WriteString("\n(" + t.foreign(az) + ")")
			}
		}
		if o.IsUnconfirmed("address") {
			b.WriteString(" " + t.unconfirmed())
		}
	} else {
		b.WriteString("\n" + t.text("offices.address_unknown", nil))
	}
	if len(o.Phones) > 0 {
		var phones []string
		for _, p := range o.Phones {
			phones = append(phones, t.ltr(p))
		}
		label := "offices.phone"
		if o.PhoneLabel != "" {
			label = o.PhoneLabel
		}
		b.WriteString("\n" + t.text(label, nil) + " " + strings.Join(phones, ", "))
		if o.IsUnconfirmed("phones") {
			b.WriteString(" " + t.unconfirmed())
		}
	}
	if o.HasHours() {
		b.WriteString("\n" + t.text("offices.hours", nil) + " " + t.officeHours(o))
		if o.OpenAt(t.now) {
			b.WriteString("\n" + t.text("offices.open_now", nil))
		} else {
			b.WriteString("\n" + t.text("offices.closed_now", nil))
		}
	} else {
		b.WriteString("\n" + t.text("offices.hours_unknown", nil))
	}
	return b.String()
}

// officeHours renders an office's working days and hours, with its lunch
// break, in the person's language ("" when no source gave them).
func (t *turn) officeHours(o *kb.Office) string {
	if !o.HasHours() {
		return ""
	}
	var hs []string
	for _, d := range []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"} {
		if h := o.Hours[d]; h != "" {
			hs = append(hs, t.text("day."+d, nil)+" "+h)
		}
	}
	out := strings.Join(hs, ", ")
	if o.Lunch != "" {
		out += " (" + t.text("offices.lunch", nil) + " " + o.Lunch + ")"
	}
	if o.IsUnconfirmed("hours") {
		out += " " + t.unconfirmed()
	}
	return out
}

// office returns the pack's office with id, or nil.
func (t *turn) office(id string) *kb.Office {
	for _, o := range t.content.KB.Offices() {
		if o.ID == id {
			return o
		}
	}
	return nil
}
