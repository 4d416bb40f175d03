package bot

import (
	"crypto/rand"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/yol-project/yol/bot/dialog"
	"github.com/yol-project/yol/bot/kb"
)

// actionFunc runs one named action. The returned string is the action's
// result, saved by the dialog and used in its branches. An error aborts the
// whole message (the transaction rolls back); content faults are results.
type actionFunc func(t *turn, e *dialog.Event) (string, error)

// Actions lists the action names dialogs may use; see ACTIONS.md.
var actions map[string]actionFunc

func init() {
	actions = map[string]actionFunc{
		"set_language":         (*turn).actSetLanguage,
		"suggest_language":     (*turn).actSuggestLanguage,
		"consent":              (*turn).actConsent,
		"evaluate_eligibility": (*turn).actEvaluate,
		"show_pathway":         (*turn).actShowPathway,
		"show_checklist":       (*turn).actShowChecklist,
		"office_summary":       (*turn).actOfficeSummary,
		"show_offices":         (*turn).actShowOffices,
		"show_article":         (*turn).actShowArticle,
		"list_articles":        (*turn).actListArticles,
		"show_hotlines":        (*turn).actShowHotlines,
		"choose_department":    (*turn).actChooseDepartment,
		"create_referral":      (*turn).actCreateReferral,
		"referral_status":      (*turn).actReferralStatus,
		"forget_me":            (*turn).actForget,
		"my_data":              (*turn).actMyData,
		"answer_free_text":     (*turn).actFreeText,
	}
}

// ActionNames lists the actions the Service provides, for `yol check`.
func ActionNames() []string {
	names := make([]string, 0, len(actions))
	for n := range actions {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

func (t *turn) runAction(e *dialog.Event) (string, error) {
	f := actions[e.Action]
	if f == nil {
		t.contentError(e.Dialog, e.Node, fmt.Sprintf("unknown action %q", e.Action))
		return "error", nil
	}
	return f(t, e)
}

func (t *turn) vars() map[string]string {
	if t.conv.Session.Vars == nil {
		t.conv.Session.Vars = map[string]string{}
	}
	return t.conv.Session.Vars
}

// param returns an action parameter, or the session var it names when the
// parameter is written "$var".
func (t *turn) param(e *dialog.Event, name string) string {
	v := e.Params[name]
	if strings.HasPrefix(v, "$") {
		return t.vars()[v[1:]]
	}
	return v
}

func (t *turn) actSetLanguage(e *dialog.Event) (string, error) {
	code := t.param(e, "language")
	if code == "" {
		code = t.vars()["language"]
	}
	if t.content.Texts.Language(code) == nil {
		return "unknown", nil
	}
	t.conv.Language = code
	return "ok", nil
}

func (t *turn) actSuggestLanguage(e *dialog.Event) (string, error) {
	return t.content.Texts.Match(t.in.LangHint), nil
}

func (t *turn) actConsent(e *dialog.Event) (string, error) {
	switch t.param(e, "value") {
	case "yes":
		if !t.conv.Consented() {
			t.conv.ConsentAt = t.now
			if err := t.event("consented", nil); err != nil {
				return "", err
			}
		}
		return "yes", nil
	case "no":
		t.conv.ConsentAt = time.Time{}
		return "no", nil
	}
	if t.conv.Consented() {
		return "yes", nil
	}
	return "no", nil
}

// answers returns the questionnaire answers held in the session vars.
func (t *turn) answers() map[string]string {
	out := map[string]string{}
	for _, q := range t.content.KB.Questions() {
		if v, ok := t.vars()[q.ID]; ok {
			out[q.ID] = v
		}
	}
	return out
}

func (t *turn) actEvaluate(e *dialog.Event) (string, error) {
	base := t.content.KB
	matches := limitMatches(base.Evaluate(t.answers()), e.Params["limit"])
	var ids []string
	var b strings.Builder
	b.WriteString(t.textAny("result.header", map[string]any{"count": len(matches)}))
	for i, m := range matches {
		ids = append(ids, m.Pathway.ID)
		fmt.Fprintf(&b, "\n\n%d. %s\n%s", i+1, t.text(m.Pathway.Title, nil), t.text(m.Pathway.Summary, nil))
		if m.Pathway.Unconfirmed {
			b.WriteString(" " + t.unconfirmed())
		}
		for _, r := range m.Reasons {
			b.WriteString("\n• " + t.text(r, nil))
		}
	}
	b.WriteString("\n\n" + t.text("result.not_a_decision", nil))
	t.sayText(b.String())
	top := matches[0].Pathway
	v := t.vars()
	v["pathway"] = top.ID
	v["pathways"] = strings.Join(ids, ",")
	v["pathway_kind"] = top.Kind
	if err := t.event("eligibility_done", map[string]string{"pathway": top.ID}); err != nil {
		return "", err
	}
	return top.Kind, nil
}

// limitMatches keeps the best matches up to limit (default 3), always with
// the fallback (a person to talk to) in its place: Evaluate puts it first or
// last.
func limitMatches(matches []kb.Match, limit string) []kb.Match {
	n := 3
	if v, err := strconv.Atoi(limit); err == nil && v > 0 {
		n = v
	}
	switch {
	case len(matches) <= n:
		return matches
	case matches[0].Pathway.Fallback || !matches[len(matches)-1].Pathway.Fallback:
		return matches[:n]
	}
	return append(matches[:n-1:n-1], matches[len(matches)-1])
}

func (t *turn) pathway(e *dialog.Event) *kb.Pathway {
	id := t.param(e, "id")
	if id == "" {
		id = t.vars()["pathway"]
	}
	return t.content.KB.Pathway(id)
}

func (t *turn) actShowPathway(e *dialog.Event) (string, error) {
	p := t.pathway(e)
	if p == nil {
		return "none", nil
	}
	answers := t.content.KB.Normalize(t.answers())
	var b strings.Builder
	b.WriteString(t.text(p.Title, nil) + "\n" + t.text(p.Summary, nil))
	if steps := p.StepsFor(answers); len(steps) > 0 {
		b.WriteString("\n\n" + t.text("pathway.steps", nil))
		for i, s := range steps {
			fmt.Fprintf(&b, "\n%d. %s", i+1, t.text(s, nil))
		}
	}
	if len(p.ApplyAt) > 0 {
		b.WriteString("\n\n" + t.text("pathway.apply_at", nil))
		for _, a := range p.ApplyAt {
			b.WriteString("\n• " + t.text(a, nil))
		}
	}
	if fees := p.FeesFor(answers); len(fees) > 0 {
		b.WriteString("\n\n" + t.text("pathway.fees", nil))
		for _, f := range fees {
			b.WriteString("\n• " + t.fee(f))
		}
	}
	if p.Processing != nil {
		b.WriteString("\n\n" + t.text("pathway.processing", nil) + " " + t.term(p.Processing))
	}
	if p.Validity != nil {
		b.WriteString("\n" + t.text("pathway.validity", nil) + " " + t.term(p.Validity))
	}
	b.WriteString("\n\n" + t.sources(p.Sources, p.VerifiedOn, p.Unconfirmed))
	t.sayText(b.String())
	return p.Kind, nil
}

// unconfirmed is the mark after a fact no stored source confirmed.
func (t *turn) unconfirmed() string { return t.text("fact.unconfirmed", nil) }

// fee renders "label: 300 to 400 AZN" in the person's language, marked when
// unconfirmed.
func (t *turn) fee(f kb.Fee) string {
	s := t.text(f.Label, nil)
	if f.Amount != nil {
		num := func(v float64) string { return t.ltr(strconv.FormatFloat(v, 'f', -1, 64)) }
		var amount string
		switch {
		case *f.Amount == 0 && (f.AmountMax == nil || *f.AmountMax == 0):
			amount = t.text("kb.fee.free", nil)
		case f.AmountMax != nil && *f.AmountMax != *f.Amount:
			amount = t.textAny("kb.fee.range", map[string]any{"Amount": num(*f.Amount), "AmountMax": num(*f.AmountMax), "Currency": f.Currency})
		default:
			amount = t.textAny("kb.fee.amount", map[string]any{"Amount": num(*f.Amount), "Currency": f.Currency})
		}
		s += ": " + amount
	}
	if f.Unconfirmed {
		s += " " + t.unconfirmed()
	}
	return s
}

// term renders a fact stated in words, marked when unconfirmed.
func (t *turn) term(tm *kb.Term) string {
	s := t.text(tm.Text, nil)
	if tm.Unconfirmed {
		s += " " + t.unconfirmed()
	}
	return s
}

// sources renders "Sources: migration.gov.az, mia.gov.az (checked on ...)":
// the sites, which a person can open and which read the same in every
// language; the titles are for editors (knowledge/sources.yaml).
func (t *turn) sources(ids []string, verified string, unconfirmed bool) string {
	var sites []string
	for _, id := range ids {
		if s := t.content.KB.Source(id); s != nil {
			if site := s.Site(); site != "" && !slices.Contains(sites, site) {
				sites = append(sites, site)
			}
		}
	}
	s := t.textAny("fact.sources", map[string]any{"Sources": t.ltr(strings.Join(sites, ", ")), "VerifiedOn": t.ltr(verified)})
	if unconfirmed {
		s += "\n" + t.unconfirmed()
	}
	return s
}

func (t *turn) ticks() []string {
	v := t.vars()["ticks"]
	if v == "" {
		return nil
	}
	return strings.Split(v, ",")
}

func (t *turn) checklist() []*kb.Document {
	ids := strings.Split(t.vars()["pathways"], ",")
	if p := t.vars()["pathway"]; p != "" && !slices.Contains(ids, p) {
		ids = append([]string{p}, ids...)
	}
	return t.content.KB.Checklist(ids, t.answers())
}

func (t *turn) actShowChecklist(e *dialog.Event) (string, error) {
	docs := t.checklist()
	if len(docs) == 0 {
		t.say("checklist.empty", nil)
		return "empty", nil
	}
	t.renderChecklist(docs)
	return "ok", nil
}

func (t *turn) renderChecklist(docs []*kb.Document) {
	ticks := t.ticks()
	var b strings.Builder
	b.WriteString(t.textAny("checklist.header", map[string]any{"count": len(docs)}))
	var rows [][]Button
	missing := 0
	for _, d := range docs {
		mark := "⬜"
		if slices.Contains(ticks, d.ID) {
			mark = "✅"
		} else {
			missing++
		}
		what := t.text(d.What, nil)
		if d.Unconfirmed {
			what += " " + t.unconfirmed()
		}
		fmt.Fprintf(&b, "\n\n%s %s\n%s\n%s", mark, t.text(d.Title, nil), what, t.text(d.HowToGet, nil))
		label := mark + " " + t.text(d.Title, nil)
		rows = append(rows, []Button{{Label: label, Data: "!tick:" + d.ID}})
	}
	if missing == 0 {
		b.WriteString("\n\n" + t.text("checklist.complete", nil))
	} else {
		b.WriteString("\n\n" + t.textAny("checklist.missing", map[string]any{"count": missing}))
	}
	t.addReply(Reply{Text: b.String(), Buttons: rows})
}

// serviceButton handles buttons the Service itself put on its messages
// (data starting with "!"): article links and checklist ticks.
func (t *turn) serviceButton(data string) {
	kind, id, _ := strings.Cut(data, ":")
	switch kind {
	case "article":
		if a := t.content.KB.Article(id); a != nil {
			t.renderArticle(a)
			return
		}
	case "tick":
		if t.content.KB.Document(id) != nil {
			ticks := t.ticks()
			if i := slices.Index(ticks, id); i >= 0 {
				ticks = slices.Delete(ticks, i, i+1)
			} else {
				ticks = append(ticks, id)
			}
			t.vars()["ticks"] = strings.Join(ticks, ",")
			t.renderChecklist(t.checklist())
			return
		}
	}
	t.say("common.button_expired", nil)
}

func (t *turn) actOfficeSummary(e *dialog.Event) (string, error) {
	docs := t.checklist()
	p := t.content.KB.Pathway(t.vars()["pathway"])
	render := func(lang string) string {
		saved := t.conv.Language
		t.conv.Language = lang
		defer func() { t.conv.Language = saved }()
		var b strings.Builder
		b.WriteString(t.text("summary.header", nil))
		if p != nil {
			b.WriteString("\n" + t.text("summary.pathway", nil) + " " + t.text(p.Title, nil))
		}
		ticks := t.ticks()
		for _, d := range docs {
			mark := "—"
			if slices.Contains(ticks, d.ID) {
				mark = "✓"
			}
			b.WriteString("\n" + mark + " " + t.text(d.Title, nil))
		}
		return b.String()
	}
	t.sayText(render(t.lang()))
	if t.lang() != "az" && t.content.Texts.Language("az") != nil {
		t.sayText(render("az"))
	}
	return "ok", nil
}

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
		days := []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
		var hs []string
		for _, d := range days {
			if h := o.Hours[d]; h != "" {
				hs = append(hs, t.text("day."+d, nil)+" "+h)
			}
		}
		b.WriteString("\n" + t.text("offices.hours", nil) + " " + strings.Join(hs, ", "))
		if o.Lunch != "" {
			b.WriteString(" (" + t.text("offices.lunch", nil) + " " + o.Lunch + ")")
		}
		if o.OpenAt(t.now) {
			b.WriteString("\n" + t.text("offices.open_now", nil))
		} else {
			b.WriteString("\n" + t.text("offices.closed_now", nil))
		}
		if o.IsUnconfirmed("hours") {
			b.WriteString(" " + t.unconfirmed())
		}
	} else {
		b.WriteString("\n" + t.text("offices.hours_unknown", nil))
	}
	return b.String()
}

func (t *turn) actShowArticle(e *dialog.Event) (string, error) {
	a := t.content.KB.Article(t.param(e, "id"))
	if a == nil {
		t.contentError(e.Dialog, e.Node, fmt.Sprintf("unknown article %q", t.param(e, "id")))
		return "none", nil
	}
	t.renderArticle(a)
	return "ok", nil
}

func (t *turn) renderArticle(a *kb.Article) {
	text := t.text(a.Title, nil) + "\n\n" + t.text(a.Body, nil) + "\n\n" + t.sources(a.Sources, a.VerifiedOn, a.Unconfirmed)
	var rows [][]Button
	for _, id := range a.Related {
		if r := t.content.KB.Article(id); r != nil {
			rows = append(rows, []Button{{Label: t.text(r.Title, nil), Data: "!article:" + r.ID}})
		}
	}
	t.addReply(Reply{Text: text, Buttons: rows})
}

func (t *turn) actListArticles(e *dialog.Event) (string, error) {
	var rows [][]Button
	for _, a := range t.content.KB.Articles() {
		rows = append(rows, []Button{{Label: t.text(a.Title, nil), Data: "!article:" + a.ID}})
	}
	t.flush(nil)
	t.addReply(Reply{Text: t.text("articles.header", nil), Buttons: rows})
	return "ok", nil
}

func (t *turn) actShowHotlines(e *dialog.Event) (string, error) {
	var b strings.Builder
	b.WriteString(t.text("hotlines.header", nil))
	for _, h := range t.content.KB.Hotlines() {
		if h.Number == "" {
			continue
		}
		b.WriteString("\n• " + t.ltr(h.Number) + " — " + t.text(h.What, nil))
	}
	t.sayText(b.String())
	return "ok", nil
}

// codeAlphabet has no 0, O, 1 or I, which are easy to confuse aloud.
const codeAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// NewReferralCode returns a code such as "K7M-4QX9".
func NewReferralCode() string {
	b := make([]byte, 7)
	rand.Read(b)
	out := make([]byte, 0, 8)
	for i, c := range b {
		if i == 3 {
			out = append(out, '-')
		}
		out = append(out, codeAlphabet[int(c)%len(codeAlphabet)])
	}
	return string(out)
}

func (t *turn) newCode() string {
	if t.svc.NewCode != nil {
		return t.svc.NewCode()
	}
	return NewReferralCode()
}

// department returns the office a referral goes to: the one in var
// department when it takes referrals, else the department nearest to the
// person's place, else the central office.
func (t *turn) department() string {
	if o := t.office(t.vars()["department"]); o != nil && isDepartment(o) {
		return o.ID
	}
	if lat, lng, _, ok := t.place(); ok {
		if d := t.nearestDepartment(lat, lng); d != "" {
			return d
		}
	}
	for _, o := range t.content.KB.Offices() {
		if o.Kind == "central" {
			return o.ID
		}
	}
	return ""
}

// actChooseDepartment sets var department, so that the person sees which
// department would read their case before they agree to send it.
func (t *turn) actChooseDepartment(e *dialog.Event) (string, error) {
	d := t.department()
	t.vars()["department"] = d
	if d == "" {
		return "none", nil
	}
	return "ok", nil
}

func (t *turn) actCreateReferral(e *dialog.Event) (string, error) {
	if !t.conv.Consented() {
		return "no_consent", nil
	}
	// One open referral per conversation: a second request gets the code of
	// the first (the store enforces it too, for requests that race).
	switch open, err := t.tx.OpenReferral(t.ctx, t.conv); {
	case err == nil:
		return t.referralExists(open), nil
	case !isNotFound(err):
		return "", err
	}
	v := t.vars()
	dept := t.department()
	v["department"] = dept
	r := &Referral{
		Code:          t.newCode(),
		Department:    dept,
		Language:      t.lang(),
		Pathway:       v["pathway"],
		Status:        "new",
		ContactMethod: "telegram",
		Campaign:      t.conv.Campaign,
		Summary:       t.referralSummary(),
	}
	if v["contact"] == "phone" && v["phone"] != "" {
		r.ContactMethod, r.Phone = "phone", v["phone"]
	}
	if err := t.tx.CreateReferral(t.ctx, t.conv, r); isReferralOpen(err) {
		return t.referralExists(r), nil
	} else if err != nil {
		return "", err
	}
	if t.svc.OnReferral != nil {
		if err := t.svc.OnReferral(t.ctx, t.tx, r); err != nil {
			return "", err
		}
	}
	if err := t.event("referral_created", map[string]string{"department": dept}); err != nil {
		return "", err
	}
	v["referral_code"] = r.Code
	return "ok", nil
}

func (t *turn) office(id string) *kb.Office {
	for _, o := range t.content.KB.Offices() {
		if o.ID == id {
			return o
		}
	}
	return nil
}

// referralSummary is what staff read: the answers, the pathway and the
// checklist ticks, in the pack's source language.
func (t *turn) referralSummary() string {
	src := t.content.Texts.Source()
	saved := t.conv.Language
	t.conv.Language = src
	defer func() { t.conv.Language = saved }()
	var b strings.Builder
	for _, q := range t.content.KB.Questions() {
		a := t.vars()[q.ID]
		if a == "" {
			continue
		}
		label := a
		for _, ans := range q.Answers {
			if ans.ID == a {
				label = t.text(ans.Label, nil)
			}
		}
		b.WriteString(t.text(q.Text, nil) + " — " + label + "\n")
	}
	if p := t.content.KB.Pathway(t.vars()["pathway"]); p != nil {
		b.WriteString("Pathway: " + t.text(p.Title, nil) + "\n")
	}
	if ticks := t.vars()["ticks"]; ticks != "" {
		b.WriteString("Documents at hand: " + ticks + "\n")
	}
	return b.String()
}

func (t *turn) actReferralStatus(e *dialog.Event) (string, error) {
	r, err := t.tx.OpenReferral(t.ctx, t.conv)
	if err == ErrNotFound {
		return "none", nil
	}
	if err != nil {
		return "", err
	}
	v := t.vars()
	v["referral_code"] = r.Code
	v["referral_status"] = t.text("referral.status."+r.Status, nil)
	return "open", nil
}

func (t *turn) actForget(e *dialog.Event) (string, error) {
	if err := t.tx.Forget(t.ctx, t.conv); err != nil {
		return "", err
	}
	t.forgot = true
	t.pending = t.pending[:0]
	t.replies = t.replies[:0]
	t.say("forget.done", nil)
	return "done", nil
}

func (t *turn) actFreeText(e *dialog.Event) (string, error) {
	q := t.vars()[dialog.VarFreeText]
	if t.svc.Helper != nil && strings.TrimSpace(q) != "" && t.mayPark && !t.answering && t.svc.slowHelper() {
		if _, ok := t.tx.(ParkTx); ok {
			// A model may take seconds: the question waits in the sealed
			// state, this transaction ends, and Service.Resume answers it
			// outside any transaction.
			t.parked, t.question = true, q
			return "", nil
		}
	}
	delete(t.vars(), dialog.VarFreeText) // the person's words are not kept in the state
	if t.svc.Helper == nil || strings.TrimSpace(q) == "" {
		return "none", nil
	}
	ans, err := t.svc.Helper.Answer(WithPersonKey(t.ctx, t.personKey()), t.content, t.lang(), q)
	return t.showFreeText(q, ans, err)
}

// showFreeText shows what the free-text helper found for question q (or
// that it failed) and returns the answer_free_text action's result.
func (t *turn) showFreeText(q string, ans FreeTextAnswer, err error) (string, error) {
	t.answering = true
	defer func() { t.answering = false }()
	if err != nil {
		t.svc.Log.Warn("free-text help failed", "err", err)
		return "none", nil
	}
	if !ans.Found {
		t.recordUnanswered(q)
	}
	if id, ok := IntentArticle(ans.Intent); ok {
		// A clear question about one article (fines, fees): show it.
		if a := t.content.KB.Article(id); a != nil {
			if ans.Text != "" {
				t.addReply(Reply{Text: ans.Text})
			}
			t.renderArticle(a)
			return "found", nil
		}
	} else if ans.Intent != "" {
		// A clear intent (documents, nearest office, a person, ...): open
		// the journey.
		opened, err := t.openJourney(ans.Intent)
		if err != nil {
			return "", err
		}
		if opened {
			return "found", nil
		}
	}
	if ans.Text == "" && len(ans.Articles) == 0 {
		return "none", nil
	}
	var rows [][]Button
	for _, id := range ans.Articles {
		if a := t.content.KB.Article(id); a != nil {
			rows = append(rows, []Button{{Label: t.text(a.Title, nil), Data: "!article:" + a.ID}})
		}
	}
	text := ans.Text
	if text == "" {
		text = t.text("freetext.suggestions", nil)
	}
	t.addReply(Reply{Text: text, Buttons: rows})
	if !ans.Found {
		return "unsure", nil
	}
	return "found", nil
}

// actMyData tells the person, in their language, everything Yol holds
// about them.
func (t *turn) actMyData(e *dialog.Event) (string, error) {
	c := t.conv
	line := func(id, value string) string { return t.textAny(id, map[string]any{"value": value}) }
	var b strings.Builder
	b.WriteString(t.text("mydata.header", nil))
	if l := t.content.Texts.Language(c.Language); l != nil {
		b.WriteString("\n• " + line("mydata.language", l.Name))
	}
	if c.Consented() {
		b.WriteString("\n• " + line("mydata.consent_yes", c.ConsentAt.Format("2006-01-02")))
	} else {
		b.WriteString("\n• " + t.text("mydata.consent_no", nil))
	}
	if c.Campaign != "" {
		b.WriteString("\n• " + line("mydata.campaign", c.Campaign))
	}
	var answers []string
	for _, q := range t.content.KB.Questions() {
		a := t.vars()[q.ID]
		for _, ans := range q.Answers {
			if ans.ID == a {
				answers = append(answers, "   – "+t.text(q.Text, nil)+" "+t.text(ans.Label, nil))
			}
		}
	}
	if len(answers) > 0 {
		b.WriteString("\n• " + t.text("mydata.answers", nil) + "\n" + strings.Join(answers, "\n"))
	}
	if p := t.content.KB.Pathway(t.vars()["pathway"]); p != nil {
		b.WriteString("\n• " + line("mydata.pathway", t.text(p.Title, nil)))
	}
	if n := len(t.ticks()); n > 0 {
		b.WriteString("\n• " + t.textAny("mydata.ticks", map[string]any{"count": n}))
	}
	n, err := t.tx.MessageCount(t.ctx, c)
	if err != nil {
		return "", err
	}
	b.WriteString("\n• " + t.textAny("mydata.messages", map[string]any{"count": n, "retention_period": (*retentionPeriod)(t)}))
	r, err := t.tx.OpenReferral(t.ctx, c)
	switch {
	case err == nil:
		b.WriteString("\n• " + t.textAny("mydata.referral", map[string]any{"referral_code": r.Code, "referral_status": t.text("referral.status."+r.Status, nil)}))
	case err != ErrNotFound:
		return "", err
	}
	b.WriteString("\n\n" + t.text("mydata.nothing_else", nil) + "\n" + t.text("mydata.forget", nil))
	t.sayText(b.String())
	return "ok", nil
}
