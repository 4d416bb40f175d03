package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yol-project/yol/bot/dialog"
)

// Layout limits for buttons on a phone screen.
const (
	maxLabelPerTwo = 16 // labels up to this many characters go two to a row
	maxCallback    = 64 // Telegram's callback_data limit, in bytes
)

// text renders a message in the person's language with the session vars
// and data as template data. "count" in data selects the plural form.
func (t *turn) text(id string, data map[string]string) string {
	td := make(map[string]any, len(t.conv.Session.Vars)+len(data)+2)
	for k, v := range t.conv.Session.Vars {
		td[k] = v
	}
	for k, v := range data {
		td[k] = v
	}
	t.common(td)
	return t.render(id, td, td["count"])
}

// textAny renders with typed template data (numbers for plurals), plus the
// values every text may use.
func (t *turn) textAny(id string, data map[string]any) string {
	td := make(map[string]any, len(data)+2)
	for k, v := range data {
		td[k] = v
	}
	t.common(td)
	return t.render(id, td, td["count"])
}

// common adds the template values every text may use (bot/ACTIONS.md),
// rendered only when a text uses them: a template prints a fmt.Stringer
// through its String method.
func (t *turn) common(td map[string]any) {
	if _, ok := td["retention_period"]; !ok {
		td["retention_period"] = (*retentionPeriod)(t)
	}
	if _, ok := td["department_name"]; !ok {
		td["department_name"] = (*departmentName)(t)
	}
	t.orgTemplateData(td)
}

// render renders message id in the person's language, noting a text the
// language lacks (it falls back to the source language) in the result, so
// that conversation tests can fail on it.
func (t *turn) render(id string, data map[string]any, count any) string {
	return t.renderIn(t.lang(), id, data, count)
}

// textIn renders message id in another language than the person's (the
// office summary's copy in the official language, the staff summary), with
// no template data.
func (t *turn) textIn(lang, id string) string { return t.renderIn(lang, id, nil, nil) }

// renderIn renders message id in lang, noting the ID when lang lacks it.
func (t *turn) renderIn(lang, id string, data map[string]any, count any) string {
	if !t.content.Texts.Has(lang, id) {
		t.untranslated = append(t.untranslated, id)
	}
	return t.content.Texts.Text(lang, id, data, count)
}

// retentionPeriod renders the retention period ("90 days") in the person's
// language with the right plural form.
type retentionPeriod turn

// String implements fmt.Stringer, for use as template data.
func (r *retentionPeriod) String() string {
	t := (*turn)(r)
	n := t.svc.retentionDays()
	return t.render("common.days", map[string]any{"count": n}, n)
}

// departmentName renders the name of the department a referral would go to
// (see turn.department) in the person's language.
type departmentName turn

// String implements fmt.Stringer, for use as template data.
func (d *departmentName) String() string {
	t := (*turn)(d)
	if o := t.office(t.department()); o != nil {
		return t.render(o.Name, nil, nil)
	}
	return t.render("referral.recipient", nil, nil)
}

// say queues message id, rendered, for the next reply.
func (t *turn) say(id string, data map[string]string) {
	t.pending = append(t.pending, t.text(id, data))
}

// sayText queues an already rendered text.
func (t *turn) sayText(s string) {
	if s != "" {
		t.pending = append(t.pending, s)
	}
}

// ask sends a question with its buttons, laid out, and the keyboard that
// shares a location or contact when the question expects one.
func (t *turn) ask(e *dialog.Event) {
	r := Reply{}
	t.pending = append(t.pending, t.text(e.MessageID, e.Data))
	labels := make([]Button, 0, len(e.Buttons))
	for _, b := range e.Buttons {
		labels = append(labels, Button{Label: t.text(b.Label, nil), Data: b.Value})
	}
	r.Buttons = layout(labels)
	switch e.Expect {
	case "location":
		r.Keyboard, r.KeyboardLabel = KeyboardRequestLocation, t.text("common.share_location", nil)
	case "contact":
		r.Keyboard, r.KeyboardLabel = KeyboardRequestContact, t.text("common.share_contact", nil)
	}
	t.flush(&r)
}

// flush sends the pending texts as one reply, carrying r's buttons or
// keyboard when r is given.
func (t *turn) flush(r *Reply) {
	if len(t.pending) == 0 && r == nil {
		return
	}
	out := Reply{}
	if r != nil {
		out = *r
	}
	if len(t.pending) > 0 {
		out.Text = strings.Join(t.pending, "\n\n")
		t.pending = t.pending[:0]
	}
	if out.Text == "" && out.Pin == nil {
		return
	}
	if l := t.content.Texts.Language(t.lang()); l != nil {
		out.RTL = l.RTL
	}
	out.Protect = out.Protect || t.protect || t.showsCode(out.Text)
	t.protect = false
	if out.Protect {
		out.Buttons = append(out.Buttons, t.hideRow())
	}
	t.replies = append(t.replies, out)
}

// addReply sends a reply of its own (after any pending text).
func (t *turn) addReply(r Reply) {
	t.flush(nil)
	if l := t.content.Texts.Language(t.lang()); l != nil {
		r.RTL = l.RTL
	}
	r.Protect = r.Protect || t.showsCode(r.Text)
	if r.Protect {
		r.Buttons = append(r.Buttons, t.hideRow())
	}
	t.replies = append(t.replies, r)
}

// layout puts short labels two to a row and long ones alone; Back goes on
// its own last row.
func layout(buttons []Button) [][]Button {
	var rows [][]Button
	var back []Button
	for i := 0; i < len(buttons); i++ {
		b := buttons[i]
		if len(b.Data) > maxCallback {
			continue // the validator refuses these; never send what Telegram rejects
		}
		if b.Data == dialog.BackValue {
			back = append(back, b)
			continue
		}
		if utf8.RuneCountInString(b.Label) <= maxLabelPerTwo && i+1 < len(buttons) &&
			buttons[i+1].Data != dialog.BackValue && utf8.RuneCountInString(buttons[i+1].Label) <= maxLabelPerTwo {
			rows = append(rows, []Button{b, buttons[i+1]})
			i++
			continue
		}
		rows = append(rows, []Button{b})
	}
	if len(back) > 0 {
		rows = append(rows, back)
	}
	return rows
}

// ltr isolates a left-to-right piece (a phone number, a code, a Latin
// address) inside a right-to-left text, so that its digits keep their order;
// in left-to-right languages it returns s unchanged.
func (t *turn) ltr(s string) string {
	if l := t.content.Texts.Language(t.lang()); l == nil || !l.RTL || s == "" {
		return s
	}
	return "\u2066" + s + "\u2069" // LEFT-TO-RIGHT ISOLATE ... POP DIRECTIONAL ISOLATE
}

// foreign isolates a piece deliberately left in another language or script
// (an address as written locally, to show a taxi driver) with a first-strong
// isolate: it keeps its own direction in any text, and the checks of the
// text's language (locale.LatinRun) skip it.
func (t *turn) foreign(s string) string {
	if s == "" {
		return s
	}
	return "\u2068" + s + "\u2069" // FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE
}

// ltrIfLatin isolates s when it is written in Latin letters.
func (t *turn) ltrIfLatin(s string) string {
	for _, r := range s {
		if unicode.IsLetter(r) {
			if unicode.Is(unicode.Latin, r) {
				return t.ltr(s)
			}
			return s
		}
	}
	return t.ltr(s)
}
