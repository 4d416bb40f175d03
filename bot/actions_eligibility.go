package bot

// Actions of the eligibility check: the ways that fit, and a way's steps,
// fees and terms with their sources.

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/yol-project/yol/bot/dialog"
	"github.com/yol-project/yol/bot/kb"
)

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

// actEvaluate says the ways that fit the person's answers, with their
// reasons, and saves them in vars pathway, pathways and pathway_kind. Its
// result is the kind of the best way.
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
	t.sensitive()
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

// pathway returns the way given by parameter id, else the one in var
// pathway, or nil.
func (t *turn) pathway(e *dialog.Event) *kb.Pathway {
	id := t.param(e, "id")
	if id == "" {
		id = t.vars()["pathway"]
	}
	return t.content.KB.Pathway(id)
}

// actShowPathway says a way's summary, steps, places to apply, fees, terms
// and sources. Its result is the way's kind, or "none".
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
	t.sensitive()
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
