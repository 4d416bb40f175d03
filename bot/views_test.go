package bot

import (
	"context"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/yol-project/yol/bot/dialog"
	"github.com/yol-project/yol/bot/kb"
)

// realTurn is a turn over the shipped content pack in lang, for rendering
// views directly.
func realTurn(t *testing.T, lang string) *turn {
	t.Helper()
	c, probs := LoadPack(os.DirFS(".."))
	if c == nil {
		t.Fatalf("the pack does not load: %v", probs)
	}
	svc := &Service{Content: NewContentHolder(c), Log: slog.New(slog.DiscardHandler)}
	return &turn{svc: svc, ctx: t.Context(), tx: viewTx{}, content: c, conv: &Conversation{Language: lang, Session: dialog.Session{Vars: map[string]string{}}}}
}

// viewTx is the transaction of a turn that only renders views: they record
// analytics events, which go nowhere here. Any other call of the store
// panics (the nil Tx), which would show that a view started storing.
type viewTx struct{ Tx }

func (viewTx) AddEvent(context.Context, *Conversation, string, map[string]string) error { return nil }

// shown renders what the turn has said so far and forgets it.
func (tr *turn) shown() string {
	tr.flush(nil)
	var b strings.Builder
	for _, r := range tr.replies {
		b.WriteString(r.Text + "\n")
	}
	tr.replies = nil
	return b.String()
}

// TestUnconfirmedFactsAreMarkedInEveryView: a fact no stored source confirms
// (unconfirmed: true) carries the mark right after it wherever a person can
// see it: a pathway's processing time and validity, its fees, the pathway in
// the results list, a document in the checklist, an article, an office's
// address, phones or hours.
func TestUnconfirmedFactsAreMarkedInEveryView(t *testing.T) {
	for _, lang := range []string{"en", "ru", "fa"} {
		tr := realTurn(t, lang)
		mark := tr.unconfirmed()
		base := tr.content.KB
		for _, p := range base.Pathways() {
			tr.actShowPathway(&dialog.Event{Params: map[string]string{"id": p.ID}})
			out := tr.shown()
			for _, term := range []*kb.Term{p.Processing, p.Validity} {
				if term == nil {
					continue
				}
				text := tr.text(term.Text, nil)
				if got := strings.Contains(out, text+" "+mark); got != term.Unconfirmed {
					t.Errorf("%s: pathway %s: term %s marked = %v, want %v", lang, p.ID, term.Text, got, term.Unconfirmed)
				}
			}
			for _, f := range p.FeesFor(base.Normalize(nil)) {
				line := tr.fee(f)
				if !strings.Contains(out, line) {
					t.Errorf("%s: pathway %s: fee %s not shown", lang, p.ID, f.Label)
				}
				if strings.HasSuffix(line, mark) != f.Unconfirmed {
					t.Errorf("%s: pathway %s: fee %s marked = %v, want %v", lang, p.ID, f.Label, !f.Unconfirmed, f.Unconfirmed)
				}
			}
			if got := strings.Contains(out, tr.sources(p.Sources, p.VerifiedOn, false)+"\n"+mark); got != p.Unconfirmed {
				t.Errorf("%s: pathway %s: marked after its sources = %v, want %v", lang, p.ID, got, p.Unconfirmed)
			}
		}
		for _, d := range base.Documents() {
			tr.renderChecklist([]*kb.Document{d})
			out := tr.shown()
			if got := strings.Contains(out, tr.text(d.What, nil)+" "+mark); got != d.Unconfirmed {
				t.Errorf("%s: document %s marked = %v, want %v", lang, d.ID, got, d.Unconfirmed)
			}
		}
		for _, a := range base.Articles() {
			tr.renderArticle(a)
			if got := strings.Contains(tr.shown(), mark); got != a.Unconfirmed {
				t.Errorf("%s: article %s marked = %v, want %v", lang, a.ID, got, a.Unconfirmed)
			}
		}
		for _, o := range base.Offices() {
			out := tr.officeText(kb.OfficeDistance{Office: o}, false)
			// The mark stands at the end of the line of the field.
			lines := map[string]string{}
			for _, line := range strings.Split(out, "\n") {
				switch {
				case o.Address != "" && strings.Contains(line, tr.text("offices.address", nil)),
					o.Address != "" && strings.HasPrefix(line, "("):
					lines["address"] += line
				case len(o.Phones) > 0 && strings.Contains(line, tr.ltr(o.Phones[0])):
					lines["phones"] += line
				}
			}
			for field, line := range lines {
				if got := strings.HasSuffix(line, mark); got != o.IsUnconfirmed(field) {
					t.Errorf("%s: office %s: %s marked = %v, want %v:\n%s", lang, o.ID, field, got, o.IsUnconfirmed(field), out)
				}
			}
		}
		// The results list marks an unconfirmed pathway after its summary,
		// and a confirmed one not.
		tr.vars()["danger"] = "exploited"
		tr.vars()["work"] = "offer"
		if _, err := tr.actEvaluate(&dialog.Event{Params: map[string]string{"limit": "5"}}); err != nil {
			t.Fatal(err)
		}
		out := tr.shown()
		for _, id := range strings.Split(tr.vars()["pathways"], ",") {
			p := base.Pathway(id)
			if got := strings.Contains(out, tr.text(p.Summary, nil)+" "+mark); got != p.Unconfirmed {
				t.Errorf("%s: the results list marks %s = %v, want %v:\n%s", lang, id, got, p.Unconfirmed, out)
			}
		}
	}
}

// TestUnconfirmedHotlineNumberIsMarked: a help number no stored source
// confirms carries the mark; the others do not.
func TestUnconfirmedHotlineNumberIsMarked(t *testing.T) {
	for _, lang := range []string{"en", "fa"} {
		tr := realTurn(t, lang)
		lines := tr.content.KB.Hotlines()
		if len(lines) < 2 {
			t.Fatalf("the pack has %d hotlines, want two at least", len(lines))
		}
		doubt := lines[0] // this test's own copy of the pack
		doubt.Unconfirmed = append(doubt.Unconfirmed, "number")
		if _, err := tr.actShowHotlines(&dialog.Event{}); err != nil {
			t.Fatal(err)
		}
		out := tr.shown()
		mark := tr.unconfirmed()
		for _, h := range lines {
			want := h == doubt
			if got := strings.Contains(out, tr.ltr(h.Number)+" "+mark); got != want {
				t.Errorf("%s: hotline %s marked = %v, want %v:\n%s", lang, h.ID, got, want, out)
			}
		}
	}
}

// TestFeesUseTheLanguagesForms: an amount, a range and a free fee each read
// as the language writes them (kb.fee.amount, kb.fee.range, kb.fee.free).
func TestFeesUseTheLanguagesForms(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		lang string
		fee  kb.Fee
		want string
	}{
		{"en", kb.Fee{Label: "fine.stay_violation", Amount: f(300), AmountMax: f(400), Currency: "AZN"}, "300 to 400 AZN"},
		{"ru", kb.Fee{Label: "fine.stay_violation", Amount: f(300), AmountMax: f(400), Currency: "AZN"}, "от 300 до 400 AZN"},
		{"en", kb.Fee{Label: "fee.trp.1y_20d", Amount: f(120), Currency: "AZN"}, ": 120 AZN"},
		{"en", kb.Fee{Label: "fee.registration.free", Amount: f(0), Currency: "AZN"}, ": Free"},
		{"az", kb.Fee{Label: "fee.registration.free", Amount: f(0), Currency: "AZN"}, ": Pulsuz"},
		{"fa", kb.Fee{Label: "fine.stay_violation", Amount: f(300), AmountMax: f(400), Currency: "AZN"}, "\u2066300\u2069 تا \u2066400\u2069 AZN"},
		{"en", kb.Fee{Label: "fee.trp_student.1y_20d", Amount: f(40), Currency: "AZN", Unconfirmed: true}, "40 AZN (not confirmed yet"},
	}
	for _, tt := range tests {
		tr := realTurn(t, tt.lang)
		if got := tr.fee(tt.fee); !strings.Contains(got, tt.want) {
			t.Errorf("%s fee(%s): got %q, want it to contain %q", tt.lang, tt.fee.Label, got, tt.want)
		}
	}
}

func TestLimitMatchesKeepsTheFallbackInItsPlace(t *testing.T) {
	m := func(id string, fallback bool) kb.Match {
		return kb.Match{Pathway: &kb.Pathway{ID: id, Fallback: fallback}}
	}
	ids := func(ms []kb.Match) string {
		var out []string
		for _, x := range ms {
			out = append(out, x.Pathway.ID)
		}
		return strings.Join(out, " ")
	}
	tests := []struct {
		in    []kb.Match
		limit string
		want  string
	}{
		{[]kb.Match{m("a", false), m("b", false), m("c", false), m("d", false), m("p", true)}, "", "a b p"},
		{[]kb.Match{m("p", true), m("a", false), m("b", false), m("c", false)}, "", "p a b"},
		{[]kb.Match{m("a", false), m("p", true)}, "", "a p"},
		{[]kb.Match{m("a", false), m("b", false), m("c", false), m("p", true)}, "2", "a p"},
		{[]kb.Match{m("a", false), m("b", false), m("c", false), m("p", true)}, "x", "a b p"},
		{[]kb.Match{m("a", false), m("b", false), m("c", false), m("d", false)}, "", "a b c"},
	}
	for _, tt := range tests {
		if got := ids(limitMatches(tt.in, tt.limit)); got != tt.want {
			t.Errorf("limitMatches(%s, %q): got %q, want %q", ids(tt.in), tt.limit, got, tt.want)
		}
	}
}

// TestSummariesTakeTheirLanguageFromTheLookup: the staff summary is in the
// pack's source language through the locales (no English written in code,
// documents by their titles), the office summary in the person's language
// and the official one, and neither changes the conversation's language.
func TestSummariesTakeTheirLanguageFromTheLookup(t *testing.T) {
	tr := realTurn(t, "ru")
	v := tr.vars()
	v["passport"], v["pathway"], v["pathways"], v["ticks"] = "valid", "trp_work", "trp_work", "photos,passport_copy"
	got := tr.referralSummary("en")
	for _, want := range []string{
		tr.textIn("en", "question.passport.text") + " — " + tr.textIn("en", "answer.passport.valid"),
		tr.textIn("en", "summary.pathway") + " " + tr.textIn("en", "pathway.trp_work.title"),
		tr.textIn("en", "summary.documents_at_hand") + " " + tr.textIn("en", "document.photos.title") + "; " + tr.textIn("en", "document.passport_copy.title"),
	} {
		if !strings.Contains(got, want) {
			t.Errorf("staff summary lacks %q:\n%s", want, got)
		}
	}
	if tr.conv.Language != "ru" {
		t.Errorf("the conversation's language became %q", tr.conv.Language)
	}
	if _, err := tr.actOfficeSummary(&dialog.Event{}); err != nil {
		t.Fatal(err)
	}
	out := tr.shown()
	for _, want := range []string{tr.textIn("ru", "summary.header"), tr.textIn("az", "summary.header"), tr.textIn("az", "document.photos.title")} {
		if !strings.Contains(out, want) {
			t.Errorf("office summary lacks %q:\n%s", want, out)
		}
	}
	if tr.conv.Language != "ru" {
		t.Errorf("the conversation's language became %q", tr.conv.Language)
	}
}
