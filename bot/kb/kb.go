// Package kb is the knowledge base of a content pack: the eligibility
// questionnaire, the regularization pathways, documents, articles, sources and
// the offices (with hotlines and cities); the pack's settings (country,
// official language, time zone, currency, command menu) and its search words.
//
// The package is pure: Load reads only the fs.FS it is given, and a *Base is
// immutable after Load, so it is safe for concurrent use. Values returned by the
// accessors point into the Base; callers must not modify them.
//
// All user-facing text is referenced by message IDs (go-i18n keys); the texts
// live in locales/, offices' names and addresses included. Cities carry their
// names in a few languages as data too, so that a typed city name is found.
package kb

import (
	"net/url"
	"sort"
	"strings"
	"time"
)

// MessageRef is a message ID used by the knowledge, with where it is used.
type MessageRef struct {
	ID   string
	File string
	Line int
}

// Text is a short text given per language (language code -> text), used for
// data that is matched rather than shown (a city's names). A plain scalar in
// YAML is stored under the key "*".
type Text map[string]string

// Get returns the text in lang, else in English, the "*" form, or any
// language (the smallest code), in that order.
func (t Text) Get(lang string) string {
	for _, l := range []string{lang, "en", "*"} {
		if s, ok := t[l]; ok && s != "" {
			return s
		}
	}
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if t[k] != "" {
			return t[k]
		}
	}
	return ""
}

// Source is a public source that facts cite.
type Source struct {
	ID        string `yaml:"id"`
	Title     string `yaml:"title"`
	URL       string `yaml:"url"`
	Publisher string `yaml:"publisher"`
	Accessed  string `yaml:"accessed"` // YYYY-MM-DD
	Language  string `yaml:"language,omitempty"`
	Kind      string `yaml:"kind,omitempty"` // law, official, international, ngo, news, academic, commercial, other
	Note      string `yaml:"note,omitempty"`
}

// Site returns the host of the source's address without "www." (for
// example "migration.gov.az"): what a person is shown, in any language.
func (s *Source) Site() string {
	u, err := url.Parse(s.URL)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

// Question is one question of the eligibility questionnaire.
type Question struct {
	ID      string   `yaml:"id"`
	Text    string   `yaml:"text"`           // message ID
	Help    string   `yaml:"help,omitempty"` // message ID
	Answers []Answer `yaml:"answers"`
}

// Answer is one possible answer; ID is a stable lowercase key.
type Answer struct {
	ID    string `yaml:"id"`
	Label string `yaml:"label"` // message ID
}

// Unknown is the answer key for "I don't know"; every question offers it, and
// a missing or invalid answer counts as Unknown.
const Unknown = "unknown"

// Cond is a condition over the questionnaire answers. Exactly one form is set:
// {q: family, in: [a, b]}, {all: [...]}, {any: [...]}, {not: {...}} or
// {unknown_at_least: n} (n questions or more answered "I don't know" or
// skipped).
type Cond struct {
	Q              string   `yaml:"q,omitempty"`
	In             []string `yaml:"in,omitempty"`
	All            []Cond   `yaml:"all,omitempty"`
	Any            []Cond   `yaml:"any,omitempty"`
	Not            *Cond    `yaml:"not,omitempty"`
	UnknownAtLeast int      `yaml:"unknown_at_least,omitempty"`
}

// Match reports whether the (normalised) answers satisfy the condition.
// A nil condition always matches.
func (c *Cond) Match(answers map[string]string) bool {
	if c == nil {
		return true
	}
	switch {
	case c.Q != "":
		a := answers[c.Q]
		if a == "" {
			a = Unknown
		}
		for _, v := range c.In {
			if v == a {
				return true
			}
		}
		return false
	case c.All != nil:
		for i := range c.All {
			if !c.All[i].Match(answers) {
				return false
			}
		}
		return true
	case c.Any != nil:
		for i := range c.Any {
			if c.Any[i].Match(answers) {
				return true
			}
		}
		return false
	case c.Not != nil:
		return !c.Not.Match(answers)
	case c.UnknownAtLeast > 0:
		n := 0
		for _, a := range answers {
			if a == Unknown || a == "" {
				n++
			}
		}
		return n >= c.UnknownAtLeast
	}
	return false
}

// Fee is an official fee, a state duty or a fine (a range when AmountMax is set).
type Fee struct {
	Label       string   `yaml:"label"` // message ID: what the fee is for (period, speed)
	Amount      *float64 `yaml:"amount"`
	AmountMax   *float64 `yaml:"amount_max,omitempty"` // set for a range (fines: 300 to 400)
	Currency    string   `yaml:"currency"`
	LegalBasis  string   `yaml:"legal_basis"`
	Sources     []string `yaml:"sources"`
	VerifiedOn  string   `yaml:"verified_on,omitempty"` // defaults to the owner's
	Unconfirmed bool     `yaml:"unconfirmed,omitempty"`
	Note        string   `yaml:"note,omitempty"` // for editors, English
	// When limits the fee to the people it concerns; a fine, for one, is
	// not shown to a child alone or to a person asking for protection.
	When *Cond `yaml:"when,omitempty"`
}

// Term is a fact stated in words: a processing time, a validity period.
type Term struct {
	Text        string   `yaml:"text"` // message ID
	Sources     []string `yaml:"sources"`
	VerifiedOn  string   `yaml:"verified_on,omitempty"` // defaults to the owner's
	Unconfirmed bool     `yaml:"unconfirmed,omitempty"`
	Note        string   `yaml:"note,omitempty"`
}

// Reason explains why a pathway fits; it is shown when its condition holds.
type Reason struct {
	When   *Cond  `yaml:"when,omitempty"`
	Text   string `yaml:"text"`             // message ID
	Weight int    `yaml:"weight,omitempty"` // added to the score; default 1
}

// Step is one step of a pathway: a message ID, shown when its condition
// holds (always, without one). In YAML a step is the message ID alone, or
// {text: id, when: {...}}.
type Step struct {
	Text string `yaml:"text"`
	When *Cond  `yaml:"when,omitempty"`
}

// Pathway is a regularization ground or another door (asylum, trafficking,
// a first step such as getting a passport, or talking to a person).
type Pathway struct {
	ID       string `yaml:"id"`
	Kind     string `yaml:"kind"` // regularize, first_step, protection, leave, help
	Title    string `yaml:"title"`
	Summary  string `yaml:"summary"`
	Steps    []Step `yaml:"steps"`
	When     *Cond  `yaml:"when,omitempty"`
	Priority int    `yaml:"priority"`
	Fallback bool   `yaml:"fallback,omitempty"`
	// FirstWhen (the fallback only): when it holds, talking to a person comes
	// first instead of last (most answers were "I don't know").
	FirstWhen   *Cond    `yaml:"first_when,omitempty"`
	Reasons     []Reason `yaml:"reasons,omitempty"`
	Documents   []string `yaml:"documents,omitempty"`
	ApplyAt     []string `yaml:"apply_at"`              // message IDs
	OfficeKind  string   `yaml:"office_kind,omitempty"` // which kind of office to suggest nearby
	Fees        []Fee    `yaml:"fees,omitempty"`
	Processing  *Term    `yaml:"processing,omitempty"`
	Validity    *Term    `yaml:"validity,omitempty"`
	LegalBasis  []string `yaml:"legal_basis,omitempty"`
	Articles    []string `yaml:"articles,omitempty"`
	Sources     []string `yaml:"sources"`
	VerifiedOn  string   `yaml:"verified_on"`
	Unconfirmed bool     `yaml:"unconfirmed,omitempty"`
	Note        string   `yaml:"note,omitempty"`
}

// ChecklistRule personalises a checklist: when its condition holds (and, if
// Pathways is set, one of those pathways is chosen), Add is put first and
// Remove is taken out.
type ChecklistRule struct {
	When     *Cond    `yaml:"when"`
	Pathways []string `yaml:"pathways,omitempty"`
	Add      []string `yaml:"add,omitempty"`
	Remove   []string `yaml:"remove,omitempty"`
	Note     string   `yaml:"note,omitempty"`
}

// Document is a paper a person needs for an application.
type Document struct {
	ID          string   `yaml:"id"`
	Title       string   `yaml:"title"`
	What        string   `yaml:"what"`
	HowToGet    string   `yaml:"how_to_get"`
	Cost        []Fee    `yaml:"cost,omitempty"`
	Time        *Term    `yaml:"time,omitempty"`
	Sources     []string `yaml:"sources"`
	VerifiedOn  string   `yaml:"verified_on"`
	Unconfirmed bool     `yaml:"unconfirmed,omitempty"`
	Note        string   `yaml:"note,omitempty"`
}

// Article is a short text on one topic.
type Article struct {
	ID          string              `yaml:"id"`
	Title       string              `yaml:"title"`
	Body        string              `yaml:"body"`
	Keywords    map[string][]string `yaml:"keywords"`
	Related     []string            `yaml:"related,omitempty"` // article IDs
	Sources     []string            `yaml:"sources"`
	VerifiedOn  string              `yaml:"verified_on"`
	Unconfirmed bool                `yaml:"unconfirmed,omitempty"`
	Note        string              `yaml:"note,omitempty"`
}

// Office is a migration department or another place to apply.
type Office struct {
	ID          string            `yaml:"id"`
	Kind        string            `yaml:"kind"`
	City        string            `yaml:"city"`                // city ID
	Name        string            `yaml:"name"`                // message ID
	Address     string            `yaml:"address,omitempty"`   // message ID; empty when no source gave it
	Districts   []string          `yaml:"districts,omitempty"` // city IDs the office serves
	Phones      []string          `yaml:"phones,omitempty"`
	PhoneLabel  string            `yaml:"phone_label,omitempty"` // message ID saying what the phones are, when not a standing office line
	Email       string            `yaml:"email,omitempty"`
	Website     string            `yaml:"website,omitempty"`
	Hours       map[string]string `yaml:"hours,omitempty"` // mon..sun (or mon-fri) -> "09:00-18:00"
	Lunch       string            `yaml:"lunch,omitempty"` // "13:00-14:00"
	Lat         float64           `yaml:"lat"`
	Lng         float64           `yaml:"lng"`
	Approximate bool              `yaml:"approximate,omitempty"` // lat/lng is the town centre, not the building
	Unconfirmed []string          `yaml:"unconfirmed,omitempty"` // fields no source confirmed: address, phones, hours, ...
	Note        string            `yaml:"note,omitempty"`
	Sources     []string          `yaml:"sources"`
	VerifiedOn  string            `yaml:"verified_on"`

	zone *time.Location // the pack's time zone (settings.yaml)
}

// StepsFor returns the message IDs of the steps that concern a person with
// these answers (normalised by Base.Normalize, so that a skipped question
// counts as "I don't know").
func (p *Pathway) StepsFor(answers map[string]string) []string {
	var out []string
	for _, s := range p.Steps {
		if s.When.Match(answers) {
			out = append(out, s.Text)
		}
	}
	return out
}

// FeesFor returns the fees that concern a person with these answers
// (normalised by Base.Normalize).
func (p *Pathway) FeesFor(answers map[string]string) []Fee {
	var out []Fee
	for _, f := range p.Fees {
		if f.When.Match(answers) {
			out = append(out, f)
		}
	}
	return out
}

// IsUnconfirmed reports whether the field (address, phones, hours, ...) is
// listed as unconfirmed.
func (o *Office) IsUnconfirmed(field string) bool { return contains(o.Unconfirmed, field) }

// HasHours reports whether any opening hours are known.
func (o *Office) HasHours() bool {
	for _, v := range o.Hours {
		if strings.TrimSpace(v) != "" && !strings.EqualFold(strings.TrimSpace(v), "closed") {
			return true
		}
	}
	return false
}

// contains reports whether s is in list.
func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Hotline is a phone number for help.
type Hotline struct {
	ID          string   `yaml:"id"`
	Number      string   `yaml:"number"`
	What        string   `yaml:"what"` // message ID
	Hours       string   `yaml:"hours,omitempty"`
	Unconfirmed []string `yaml:"unconfirmed,omitempty"` // fields no source confirmed, e.g. number
	Note        string   `yaml:"note,omitempty"`
	Sources     []string `yaml:"sources"`
	VerifiedOn  string   `yaml:"verified_on"`
}

// City is a place a person can pick instead of sharing a location.
type City struct {
	ID   string  `yaml:"id"`
	Name Text    `yaml:"name"`
	Lat  float64 `yaml:"lat"`
	Lng  float64 `yaml:"lng"`
}

// Match is one pathway that fits the answers.
type Match struct {
	Pathway *Pathway
	Reasons []string // message IDs
	Score   int
}

// OfficeDistance is an office with its straight-line distance.
type OfficeDistance struct {
	Office *Office
	KM     float64
}

// Base is a loaded, validated knowledge base. It is immutable.
type Base struct {
	questions []Question
	qByID     map[string]*Question
	pathways  []*Pathway
	pByID     map[string]*Pathway
	fallback  *Pathway
	rules     []ChecklistRule
	documents []*Document
	dByID     map[string]*Document
	articles  []*Article
	aByID     map[string]*Article
	sources   []*Source
	sByID     map[string]*Source
	offices   []*Office
	cities    []City
	hotlines  []*Hotline
	messages  []MessageRef
	settings  Settings
	search    *Synonyms     // never nil once loaded
	commands  []CommandRef  // commands the knowledge names, for checks across the pack
	languages []LanguageRef // languages the knowledge names, for checks across the pack
}

// Questions returns the questionnaire in order (a copy).
func (b *Base) Questions() []Question {
	out := make([]Question, len(b.questions))
	for i, q := range b.questions {
		q.Answers = append([]Answer(nil), q.Answers...)
		out[i] = q
	}
	return out
}

// Normalize returns answers for every question: a missing or invalid answer
// becomes Unknown; keys that are not questions are dropped.
func (b *Base) Normalize(answers map[string]string) map[string]string {
	out := make(map[string]string, len(b.questions))
	for _, q := range b.questions {
		a := strings.ToLower(strings.TrimSpace(answers[q.ID]))
		ok := false
		for _, ans := range q.Answers {
			if ans.ID == a {
				ok = true
				break
			}
		}
		if !ok {
			a = Unknown
		}
		out[q.ID] = a
	}
	return out
}

// Evaluate returns the pathways that fit the answers, best first. The result
// is never empty: it always holds the fallback pathway (talk to a person),
// last, or first when its first_when condition holds.
// The order is deterministic: score (priority plus the weights of the reasons
// that hold) descending, then ID.
func (b *Base) Evaluate(answers map[string]string) []Match {
	ans := b.Normalize(answers)
	var out []Match
	for _, p := range b.pathways {
		if p.Fallback || !p.When.Match(ans) {
			continue
		}
		out = append(out, b.match(p, ans))
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].Pathway.ID < out[j].Pathway.ID
	})
	if b.fallback != nil {
		if m := b.match(b.fallback, ans); b.fallback.FirstWhen != nil && b.fallback.FirstWhen.Match(ans) {
			out = append([]Match{m}, out...)
		} else {
			out = append(out, m)
		}
	}
	return out
}

// match scores pathway p for the answers: its priority plus the weights
// (1 by default) of the reasons that hold, which it lists.
func (b *Base) match(p *Pathway, ans map[string]string) Match {
	m := Match{Pathway: p, Score: p.Priority}
	for _, r := range p.Reasons {
		if r.When.Match(ans) {
			m.Reasons = append(m.Reasons, r.Text)
			w := r.Weight
			if w == 0 {
				w = 1
			}
			m.Score += w
		}
	}
	return m
}

// Checklist returns the documents for the chosen pathways, personalised by the
// answers: documents to get first (for example a new passport through the
// consulate) come first; duplicates are removed. Unknown pathway IDs are
// ignored.
func (b *Base) Checklist(pathwayIDs []string, answers map[string]string) []*Document {
	ans := b.Normalize(answers)
	chosen := map[string]bool{}
	for _, id := range pathwayIDs {
		chosen[id] = true
	}
	var first []string
	removed := map[string]bool{}
	for _, r := range b.rules {
		if !r.When.Match(ans) {
			continue
		}
		if len(r.Pathways) > 0 {
			hit := false
			for _, p := range r.Pathways {
				if chosen[p] {
					hit = true
					break
				}
			}
			if !hit {
				continue
			}
		}
		first = append(first, r.Add...)
		for _, d := range r.Remove {
			removed[d] = true
		}
	}
	var out []*Document
	seen := map[string]bool{}
	add := func(id string) {
		d := b.dByID[id]
		if d == nil || seen[id] {
			return
		}
		seen[id] = true
		out = append(out, d)
	}
	for _, id := range first {
		add(id)
	}
	for _, pid := range pathwayIDs {
		p := b.pByID[pid]
		if p == nil {
			continue
		}
		for _, id := range p.Documents {
			if !removed[id] {
				add(id)
			}
		}
	}
	return out
}

// Pathway returns the pathway with the ID, or nil.
func (b *Base) Pathway(id string) *Pathway { return b.pByID[id] }

// Pathways returns all pathways in file order.
func (b *Base) Pathways() []*Pathway { return append([]*Pathway(nil), b.pathways...) }

// Document returns the document with the ID, or nil.
func (b *Base) Document(id string) *Document { return b.dByID[id] }

// Documents returns all documents in file order.
func (b *Base) Documents() []*Document { return append([]*Document(nil), b.documents...) }

// Article returns the article with the ID, or nil.
func (b *Base) Article(id string) *Article { return b.aByID[id] }

// Articles returns all articles in file order.
func (b *Base) Articles() []*Article { return append([]*Article(nil), b.articles...) }

// Source returns the source with the ID, or nil.
func (b *Base) Source(id string) *Source { return b.sByID[id] }

// Sources returns all sources (knowledge sources first, then the offices').
func (b *Base) Sources() []*Source { return append([]*Source(nil), b.sources...) }

// Hotlines returns the hotlines in file order.
func (b *Base) Hotlines() []*Hotline { return append([]*Hotline(nil), b.hotlines...) }

// Offices returns all offices in file order.
func (b *Base) Offices() []*Office { return append([]*Office(nil), b.offices...) }

// Cities returns the cities in file order.
func (b *Base) Cities() []City {
	out := make([]City, len(b.cities))
	copy(out, b.cities)
	return out
}

// OfficesForCity returns the offices in a city, given its ID or its name in
// any language (case-insensitive), in file order.
func (b *Base) OfficesForCity(city string) []*Office {
	id := ""
	c := strings.TrimSpace(city)
	for _, ct := range b.cities {
		if strings.EqualFold(ct.ID, c) {
			id = ct.ID
			break
		}
		for _, n := range ct.Name {
			if strings.EqualFold(n, c) {
				id = ct.ID
			}
		}
		if id != "" {
			break
		}
	}
	if id == "" {
		return nil
	}
	var out []*Office
	for _, o := range b.offices {
		if o.City == id {
			out = append(out, o)
		}
	}
	return out
}

// OfficesServing returns the offices located in the city or listing it among
// the districts they serve, in file order.
func (b *Base) OfficesServing(city string) []*Office {
	var out []*Office
	for _, o := range b.offices {
		if o.City == city {
			out = append(out, o)
			continue
		}
		for _, d := range o.Districts {
			if d == city {
				out = append(out, o)
				break
			}
		}
	}
	return out
}

// MessageIDs returns every message ID the knowledge uses, with the place of
// each use, in file order.
func (b *Base) MessageIDs() []MessageRef { return append([]MessageRef(nil), b.messages...) }

// CommandRef is a command the knowledge names (a journey a search intent
// opens, a command of the Telegram menu), with where: the dialogs must
// have it, which only a check of the whole pack can tell.
type CommandRef struct {
	Command string
	File    string
	Line    int
}

// CommandRefs returns every command the knowledge names, in file order.
func (b *Base) CommandRefs() []CommandRef { return append([]CommandRef(nil), b.commands...) }

// LanguageRef is a language code the knowledge names (the official
// language, the languages of search words and keywords), with where: the
// pack must speak it, which only a check of the whole pack can tell.
type LanguageRef struct {
	Lang string
	File string
	Line int
}

// LanguageRefs returns every language code the knowledge names, in file
// order.
func (b *Base) LanguageRefs() []LanguageRef { return append([]LanguageRef(nil), b.languages...) }

// Settings returns what makes the pack one country's (settings.yaml).
func (b *Base) Settings() Settings { return b.settings }

// Synonyms returns the pack's search words, intent phrases and spellings
// (search.yaml); empty, never nil, when the pack has none.
func (b *Base) Synonyms() *Synonyms {
	if b.search == nil {
		return &Synonyms{}
	}
	return b.search
}

// CommonMessageIDs are message IDs that code showing the knowledge uses
// besides those in the knowledge files (disclaimer, fee formats, counts).
// Templates: kb.fee.amount {{.Amount}} {{.Currency}}; kb.fee.range adds
// {{.AmountMax}}; kb.verified_on {{.Date}}; kb.distance {{.KM}};
// kb.documents.count and kb.pathways.count are plurals over {{.Count}}.
func CommonMessageIDs() []string {
	return []string{
		"kb.disclaimer", "kb.unconfirmed", "kb.fee.amount", "kb.fee.range", "kb.fee.free",
		"kb.verified_on", "kb.distance", "kb.documents.count", "kb.pathways.count",
	}
}
