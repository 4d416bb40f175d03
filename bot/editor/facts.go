package editor

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/kb"
)

// Editing a fact of a pack in place (the console's facts page): a fee or a
// fine's amount, an office's phones or opening hours and lunch break, a
// help number, each with its sources and verified-on date; for an address
// or a deadline (texts in the locale files) its sources and date. A fact
// the bot marks "not confirmed yet" (unconfirmed) may be marked or cleared
// too: clearing needs a known source and the day of the check. Only the YAML nodes of
// that fact change: every other byte of the file stays as it was. A fact
// is only ever edited, never made up: SetFact refuses a key it does not
// find.

// The kinds of facts, in the order the console lists them.
const (
	FactFee      = "fee"
	FactFine     = "fine"
	FactDeadline = "deadline"
	FactPhone    = "phone"
	FactAddress  = "address"
	FactHours    = "hours"
)

// FactKinds lists the kinds of facts in the console's order.
var FactKinds = []string{FactFee, FactFine, FactDeadline, FactPhone, FactAddress, FactHours}

// How a fact's unconfirmed mark is written (Fact.Mark).
const (
	MarkFlag  = "flag"  // unconfirmed: true in the fact's own mapping (a fee, a fine, a deadline), with a note
	MarkField = "field" // the field's name in its office's unconfirmed list (phones, address, hours)
)

// ErrNoFact is the error of a fact key the pack does not have.
var ErrNoFact = errors.New("no such fact")

// Fact is one editable fact of a pack.
type Fact struct {
	Key        string // what SetFact is given: kind/file/owner/where
	Kind       string // one of FactKinds
	File       string // the knowledge file, e.g. "offices.yaml"
	Owner      string // the pathway, document, office or help number it belongs to
	Label      string // a message ID naming it (a fee's label, a term's text, an office's name)
	TextID     string // an address or a deadline: the message ID of its text
	Amount     string // a fee: the amount as written
	AmountMax  string // a fine's upper bound ("" when it has none)
	HasMax     bool
	Currency   string
	Phones     []string          // a phone fact
	Hours      map[string]string // an hours fact
	Lunch      string            // an hours fact: the lunch break, "13:00-14:00" ("" for none)
	AlsoIn     []string          // a fee list shared by other owners (a YAML alias): their IDs
	Sources    []string
	VerifiedOn string
	// Mark is how the fact's unconfirmed mark is written (MarkFlag,
	// MarkField), "" when it cannot carry one.
	Mark string
	// Unconfirmed: no stored source confirmed the fact, and the bot says
	// so after it ("not confirmed yet").
	Unconfirmed bool
	Note        string // a MarkFlag fact's note for editors (what could not be confirmed)
}

// FactInput is what an editor typed for a fact. A nil pointer keeps what
// the fact has.
type FactInput struct {
	Amount, AmountMax string
	Phones            []string
	Hours             string  // "mon: 09:00-18:00", one day a line
	Lunch             *string // "13:00-14:00", "" for none
	Sources           []string
	VerifiedOn        string
	Unconfirmed       *bool   // set (true) or clear (false) the unconfirmed mark
	Note              *string // a MarkFlag fact's note; "" drops it
}

// factSite is where a fact is written: its file's parsed tree and the
// mapping that holds its value(s), sources and date.
type factSite struct {
	file      string // path in the pack
	valueMap  *yaml.Node
	valueKey  string     // "amount", "phones", "hours", "number"; "" for text facts
	sourceMap *yaml.Node // the mapping holding sources and verified_on
	markMap   *yaml.Node // the mapping holding unconfirmed (nil: no mark)
	markField string     // MarkField: the field's name in the unconfirmed list
}

// Facts lists the editable facts of a pack, by kind then file order.
func Facts(files map[string][]byte) ([]Fact, error) {
	var out []Fact
	err := walkFacts(files, func(f Fact, _ factSite) { out = append(out, f) })
	sort.SliceStable(out, func(i, j int) bool {
		return slices.Index(FactKinds, out[i].Kind) < slices.Index(FactKinds, out[j].Kind)
	})
	return out, err
}

// knowledgePath is a knowledge file's path in a pack.
func knowledgePath(name string) string { return path.Join(bot.ContentDirs.Knowledge, name) }

// walkFacts calls fn for every fact of the pack with where it is written.
func walkFacts(files map[string][]byte, fn func(Fact, factSite)) error {
	for _, spec := range []struct{ file, list, fees, kind string }{
		{kb.FilePathways, "pathways", "fees", "pathway"},
		{kb.FileDocuments, "documents", "cost", "document"},
	} {
		root, err := parseRoot(files, spec.file)
		if err != nil {
			return err
		}
		shared := map[*yaml.Node][]string{} // an anchored fee list → the owners that alias it
		for _, item := range seqOf(valueOf(root, spec.list)) {
			if v := rawValueOf(item, spec.fees); v != nil && v.Kind == yaml.AliasNode {
				shared[v.Alias] = append(shared[v.Alias], scalarOf(item, "id"))
			}
		}
		for _, item := range seqOf(valueOf(root, spec.list)) {
			owner := scalarOf(item, "id")
			fees := seqOf(valueOf(item, spec.fees))
			if v := rawValueOf(item, spec.fees); v != nil && v.Kind == yaml.AliasNode {
				fees = nil // listed where it is written; the owner's own terms still count
			}
			for i, fee := range fees {
				if fee.Kind != yaml.MappingNode { // an alias: listed where it is written
					continue
				}
				label := scalarOf(fee, "label")
				kind := FactFee
				if strings.HasPrefix(label, "fine.") {
					kind = FactFine
				}
				f := Fact{Key: fmt.Sprintf("%s/%s/%s/%d", kind, spec.file, owner, i), Kind: kind, File: spec.file, Owner: owner, Label: label,
					Amount: scalarOf(fee, "amount"), Currency: scalarOf(fee, "currency"), Sources: listOf(fee, "sources"), VerifiedOn: scalarOf(fee, "verified_on")}
				f.AlsoIn = shared[rawValueOf(item, spec.fees)]
				if valueOf(fee, "amount_max") != nil {
					f.AmountMax, f.HasMax = scalarOf(fee, "amount_max"), true
				}
				if f.VerifiedOn == "" {
					f.VerifiedOn = scalarOf(item, "verified_on")
				}
				f.Mark, f.Unconfirmed, f.Note = MarkFlag, scalarOf(fee, "unconfirmed") == "true", scalarOf(fee, "note")
				fn(f, factSite{file: spec.file, valueMap: fee, valueKey: "amount", sourceMap: fee, markMap: fee})
			}
			for _, term := range []string{"processing", "validity", "time"} {
				t := rawValueOf(item, term)
				if t == nil || t.Kind != yaml.MappingNode { // an alias is listed where it is written
					continue
				}
				f := Fact{Key: fmt.Sprintf("%s/%s/%s/%s", FactDeadline, spec.file, owner, term), Kind: FactDeadline, File: spec.file, Owner: owner,
					Label: scalarOf(t, "text"), TextID: scalarOf(t, "text"), Sources: listOf(t, "sources"), VerifiedOn: scalarOf(t, "verified_on")}
				if f.VerifiedOn == "" {
					f.VerifiedOn = scalarOf(item, "verified_on")
				}
				f.Mark, f.Unconfirmed, f.Note = MarkFlag, scalarOf(t, "unconfirmed") == "true", scalarOf(t, "note")
				fn(f, factSite{file: spec.file, valueMap: t, sourceMap: t, markMap: t})
			}
		}
	}
	root, err := parseRoot(files, kb.FileOffices)
	if err != nil {
		return err
	}
	for _, o := range seqOf(valueOf(root, "offices")) {
		id, name := scalarOf(o, "id"), scalarOf(o, "name")
		base := Fact{File: kb.FileOffices, Owner: id, Label: name, Sources: listOf(o, "sources"), VerifiedOn: scalarOf(o, "verified_on"), Mark: MarkField}
		marked := listOf(o, "unconfirmed")
		site := func(valueKey, field string) factSite {
			return factSite{file: kb.FileOffices, valueMap: o, valueKey: valueKey, sourceMap: o, markMap: o, markField: field}
		}
		if valueOf(o, "phones") != nil {
			f := base
			f.Kind, f.Key, f.Phones = FactPhone, FactPhone+"/offices.yaml/"+id+"/phones", listOf(o, "phones")
			f.Unconfirmed = slices.Contains(marked, "phones")
			fn(f, site("phones", "phones"))
		}
		if a := scalarOf(o, "address"); a != "" {
			f := base
			f.Kind, f.Key, f.TextID = FactAddress, FactAddress+"/offices.yaml/"+id+"/address", a
			f.Unconfirmed = slices.Contains(marked, "address")
			fn(f, site("", "address"))
		}
		if h := valueOf(o, "hours"); h != nil && h.Kind == yaml.MappingNode {
			f := base
			f.Kind, f.Key, f.Hours, f.Lunch = FactHours, FactHours+"/offices.yaml/"+id+"/hours", map[string]string{}, scalarOf(o, "lunch")
			for i := 0; i+1 < len(h.Content); i += 2 {
				f.Hours[h.Content[i].Value] = h.Content[i+1].Value
			}
			f.Unconfirmed = slices.Contains(marked, "hours")
			fn(f, site("hours", "hours"))
		}
	}
	// A help number is marked as an office's field is ("number" in its
	// unconfirmed list); the bot shows the mark after the number.
	for _, h := range seqOf(valueOf(root, "hotlines")) {
		id := scalarOf(h, "id")
		f := Fact{Kind: FactPhone, Key: FactPhone + "/offices.yaml/" + id + "/number", File: kb.FileOffices, Owner: id, Label: scalarOf(h, "what"),
			Phones: []string{scalarOf(h, "number")}, Sources: listOf(h, "sources"), VerifiedOn: scalarOf(h, "verified_on"),
			Mark: MarkField, Unconfirmed: slices.Contains(listOf(h, "unconfirmed"), "number")}
		fn(f, factSite{file: kb.FileOffices, valueMap: h, valueKey: "number", sourceMap: h, markMap: h, markField: "number"})
	}
	return nil
}

// parseRoot parses a knowledge file of the pack into its top mapping.
func parseRoot(files map[string][]byte, name string) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(files[knowledgePath(name)], &doc); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(doc.Content) == 0 {
		return &yaml.Node{Kind: yaml.MappingNode}, nil
	}
	return doc.Content[0], nil
}

// keyOf returns the key node of key in mapping m (nil when absent).
func keyOf(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i]
		}
	}
	return nil
}

// valueOf returns the value node of key in mapping m (nil when absent),
// an alias resolved.
func valueOf(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			v := m.Content[i+1]
			if v.Kind == yaml.AliasNode {
				return v.Alias
			}
			return v
		}
	}
	return nil
}

// rawValueOf is valueOf without resolving an alias.
func rawValueOf(m *yaml.Node, key string) *yaml.Node {
	for i := 0; m != nil && i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// seqOf returns the items of a sequence node (nil for anything else).
func seqOf(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

// scalarOf returns the scalar value of key in m ("" when absent).
func scalarOf(m *yaml.Node, key string) string {
	if v := valueOf(m, key); v != nil && v.Kind == yaml.ScalarNode {
		return v.Value
	}
	return ""
}

// listOf returns the scalars of the sequence at key in m.
func listOf(m *yaml.Node, key string) []string {
	var out []string
	for _, n := range seqOf(valueOf(m, key)) {
		out = append(out, n.Value)
	}
	return out
}

var (
	phonePattern = regexp.MustCompile(`^(\+[1-9][0-9]{0,2}( [0-9]{1,4}){2,5}|[0-9]{3,4})$`)
	timeRange    = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$`)
	sourceID     = regexp.MustCompile(`^[a-z0-9_]+$`)
	weekDays     = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
)

// FactProblems checks what an editor typed for fact f at now: message IDs
// of the console's texts ("console.facts.problem.*"), empty when it may be
// saved. known holds the pack's source IDs.
func FactProblems(f Fact, in FactInput, known map[string]bool, now time.Time) []string {
	var out []string
	switch f.Kind {
	case FactFee, FactFine:
		a, ok := amount(in.Amount)
		if !ok {
			out = append(out, "console.facts.problem.amount")
		} else if f.HasMax {
			if m, ok := amount(in.AmountMax); !ok || !(m >= a) {
				out = append(out, "console.facts.problem.amount_max")
			}
		}
	case FactPhone:
		if len(in.Phones) != 1 && strings.HasSuffix(f.Key, "/number") {
			out = append(out, "console.facts.problem.phone")
		}
		for _, p := range in.Phones {
			if !phonePattern.MatchString(p) {
				out = append(out, "console.facts.problem.phone")
				break
			}
		}
	case FactHours:
		hours, err := parseHours(in.Hours)
		if err != nil {
			out = append(out, "console.facts.problem.hours")
		} else if !lunchFits(lunchOf(f, in), hours) {
			out = append(out, "console.facts.problem.lunch")
		}
	}
	sourced := len(in.Sources) > 0
	if !sourced {
		out = append(out, "console.facts.problem.no_source")
	}
	for _, s := range in.Sources {
		if !sourceID.MatchString(s) || !known[s] {
			out = append(out, "console.facts.problem.unknown_source")
			sourced = false
			break
		}
	}
	d, err := time.Parse("2006-01-02", strings.TrimSpace(in.VerifiedOn))
	switch {
	case err != nil:
		out = append(out, "console.facts.problem.date")
	case d.After(now):
		out = append(out, "console.facts.problem.future")
	}
	return append(out, markProblems(f, in, sourced, d, err == nil && !d.After(now), now)...)
}

// markProblems checks a change of fact f's unconfirmed mark. The mark is
// cleared only by an editor who checked the fact against a stored source:
// with the sources known (sourced) and the day of that check (day, valid
// when dated), after the day recorded so far or today. A fact marked
// unconfirmed in its own mapping needs a note saying what could not be
// confirmed (yol check asks for it too).
func markProblems(f Fact, in FactInput, sourced bool, day time.Time, dated bool, now time.Time) []string {
	marked := markOf(f, in)
	if f.Mark == "" {
		if marked != f.Unconfirmed {
			return []string{"console.facts.problem.no_mark"}
		}
		return nil
	}
	var out []string
	if f.Unconfirmed && !marked {
		if !sourced {
			out = append(out, "console.facts.problem.clear_source")
		}
		was, err := time.Parse("2006-01-02", f.VerifiedOn)
		if !dated || (err == nil && !day.After(was) && day.Format("2006-01-02") != now.Format("2006-01-02")) {
			out = append(out, "console.facts.problem.clear_date")
		}
	}
	if f.Mark == MarkFlag && marked && noteOf(f, in) == "" {
		out = append(out, "console.facts.problem.note")
	}
	return out
}

// markOf is whether fact f is to be marked unconfirmed after in.
func markOf(f Fact, in FactInput) bool {
	if in.Unconfirmed == nil {
		return f.Unconfirmed
	}
	return *in.Unconfirmed
}

// noteOf is fact f's note after in, its spaces folded; the note as
// written when the form sends it back with only spacing changed, so that
// saving the amount does not rewrite the note.
func noteOf(f Fact, in FactInput) string {
	if in.Note == nil {
		return f.Note
	}
	folded := strings.Join(strings.Fields(*in.Note), " ")
	if folded == strings.Join(strings.Fields(f.Note), " ") {
		return f.Note
	}
	return folded
}

// lunchOf is an hours fact's lunch break after in.
func lunchOf(f Fact, in FactInput) string {
	if in.Lunch == nil {
		return f.Lunch
	}
	return strings.ReplaceAll(strings.TrimSpace(*in.Lunch), " ", "")
}

// lunchFits reports whether a lunch break is none, or one time range
// inside the opening hours of every day the office is open.
func lunchFits(lunch string, hours [][2]string) bool {
	if lunch == "" {
		return true
	}
	if !timeRange.MatchString(lunch) || len(hours) == 0 {
		return false
	}
	from, to, _ := strings.Cut(lunch, "-")
	if from >= to {
		return false
	}
	for _, h := range hours {
		open, closed, _ := strings.Cut(h[1], "-")
		if from < open || to > closed {
			return false
		}
	}
	return true
}

// amountPattern is an amount as an editor types it: digits, maybe with
// up to two decimals.
var amountPattern = regexp.MustCompile(`^[0-9]{1,9}(\.[0-9]{1,2})?$`)

// amount reads an amount typed by an editor.
func amount(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if !amountPattern.MatchString(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// parseHours reads "day: HH:MM-HH:MM" lines into day → range, in week
// order.
func parseHours(s string) ([][2]string, error) {
	var out [][2]string
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		day, span, ok := strings.Cut(line, ":")
		day, span = strings.ToLower(strings.TrimSpace(day)), strings.ReplaceAll(strings.TrimSpace(span), " ", "")
		from, to, _ := strings.Cut(span, "-")
		if !ok || !slices.Contains(weekDays, day) || !timeRange.MatchString(span) || from >= to || slices.ContainsFunc(out, func(p [2]string) bool { return p[0] == day }) {
			return nil, fmt.Errorf("hours: bad line %q", line)
		}
		out = append(out, [2]string{day, span})
	}
	slices.SortFunc(out, func(a, b [2]string) int { return slices.Index(weekDays, a[0]) - slices.Index(weekDays, b[0]) })
	return out, nil
}

// SourceIDs are the source IDs a pack's facts may cite (sources.yaml and
// offices.yaml).
func SourceIDs(files map[string][]byte) map[string]bool {
	out := map[string]bool{}
	for _, name := range []string{kb.FileSources, kb.FileOffices} {
		root, err := parseRoot(files, name)
		if err != nil {
			continue
		}
		for _, s := range seqOf(valueOf(root, "sources")) {
			if id := scalarOf(s, "id"); id != "" {
				out[id] = true
			}
		}
	}
	return out
}

// SetFact returns a copy of files in which the fact at key holds in: its
// value(s), sources and verified-on date; only those YAML nodes change.
// Problems (message IDs) come back, with no files, when in is not right.
func SetFact(files map[string][]byte, key string, in FactInput, now time.Time) (map[string][]byte, []string, error) {
	var (
		fact  Fact
		site  factSite
		found bool
	)
	if err := walkFacts(files, func(f Fact, s factSite) {
		if f.Key == key {
			fact, site, found = f, s, true
		}
	}); err != nil {
		return nil, nil, fmt.Errorf("set fact: %w", err)
	}
	if !found {
		return nil, nil, fmt.Errorf("set fact %q: %w", key, ErrNoFact)
	}
	for i := range in.Phones {
		in.Phones[i] = strings.TrimSpace(in.Phones[i])
	}
	in.Phones = slices.DeleteFunc(in.Phones, func(p string) bool { return p == "" })
	if probs := FactProblems(fact, in, SourceIDs(files), now); len(probs) > 0 {
		return nil, probs, nil
	}
	p := knowledgePath(site.file)
	src := files[p]
	var edits []splice
	set := func(m *yaml.Node, k, v string) error {
		kn := keyOf(m, k)
		if kn == nil {
			return fmt.Errorf("set fact %q: no %s", key, k)
		}
		e, err := valueSplice(src, m, kn, rawValueOf(m, k), v)
		if err != nil {
			return fmt.Errorf("set fact %q: %s: %w", key, k, err)
		}
		edits = append(edits, e)
		return nil
	}
	var err error
	switch site.valueKey {
	case "amount":
		err = set(site.valueMap, "amount", number(in.Amount))
		if err == nil && fact.HasMax {
			err = set(site.valueMap, "amount_max", number(in.AmountMax))
		}
	case "phones":
		q := make([]string, len(in.Phones))
		for i, ph := range in.Phones {
			q[i] = quote(ph)
		}
		err = set(site.valueMap, "phones", "["+strings.Join(q, ", ")+"]")
	case "number":
		err = set(site.valueMap, "number", quote(in.Phones[0]))
	case "hours":
		hours, _ := parseHours(in.Hours)
		err = set(site.valueMap, "hours", hoursYAML(site.valueMap, keyOf(site.valueMap, "hours"), hours))
		if lunch := lunchOf(fact, in); err == nil && lunch != fact.Lunch {
			err = setPair(&edits, src, site.valueMap, "lunch", quote(lunch), lunch == "", rawValueOf(site.valueMap, "hours"))
		}
	}
	if err != nil {
		return nil, nil, err
	}
	if err := markEdits(&edits, src, fact, site, in); err != nil {
		return nil, nil, fmt.Errorf("set fact %q: %w", key, err)
	}
	if err := set(site.sourceMap, "sources", "["+strings.Join(in.Sources, ", ")+"]"); err != nil {
		return nil, nil, err
	}
	date := strings.TrimSpace(in.VerifiedOn)
	if keyOf(site.sourceMap, "verified_on") != nil {
		err = set(site.sourceMap, "verified_on", date)
	} else {
		var e splice
		e, err = appendPair(src, site.sourceMap, "verified_on", date)
		edits = append(edits, e)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("set fact %q: %w", key, err)
	}
	out := make(map[string][]byte, len(files))
	for k, b := range files {
		out[k] = b
	}
	b, err := applySplices(src, edits)
	if err != nil {
		return nil, nil, fmt.Errorf("set fact %q: %w", key, err)
	}
	out[p] = b
	return out, nil, nil
}

// markEdits adds the edits of fact f's unconfirmed mark and note after
// in: an unconfirmed: true pair and its note in the fact's own mapping, or
// the field's name in its office's unconfirmed list (the list dropped when
// it empties).
func markEdits(edits *[]splice, src []byte, f Fact, site factSite, in FactInput) error {
	marked := markOf(f, in)
	switch f.Mark {
	case MarkFlag:
		if marked != f.Unconfirmed {
			if err := setPair(edits, src, site.markMap, "unconfirmed", "true", !marked, nil); err != nil {
				return err
			}
		}
		if note := noteOf(f, in); note != f.Note {
			return setPair(edits, src, site.markMap, "note", quote(note), note == "", nil)
		}
	case MarkField:
		if marked == f.Unconfirmed {
			return nil
		}
		list := listOf(site.markMap, "unconfirmed")
		if marked {
			list = append(list, site.markField)
		} else {
			list = slices.DeleteFunc(list, func(s string) bool { return s == site.markField })
		}
		return setPair(edits, src, site.markMap, "unconfirmed", "["+strings.Join(list, ", ")+"]", len(list) == 0, nil)
	}
	return nil
}

// setPair edits key in mapping m: its value set to value, or the pair
// dropped; a pair the mapping lacks is added after the value node after
// (at the mapping's end when nil).
func setPair(edits *[]splice, src []byte, m *yaml.Node, key, value string, drop bool, after *yaml.Node) error {
	k := keyOf(m, key)
	var (
		e   splice
		err error
	)
	switch {
	case k != nil && drop:
		e, err = dropPair(src, m, k, rawValueOf(m, key))
	case k != nil:
		e, err = valueSplice(src, m, k, rawValueOf(m, key), value)
	case drop:
		return nil
	case after != nil:
		e, err = pairAfter(src, m, after, key, value)
	default:
		e, err = appendPair(src, m, key, value)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", key, err)
	}
	*edits = append(*edits, e)
	return nil
}

// number writes an amount as YAML: the shortest form of the float.
func number(s string) string {
	f, _ := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// hoursYAML writes opening hours the way the file has them: a block
// mapping under its key (a flow mapping when the file had one, or none).
func hoursYAML(m, k *yaml.Node, hours [][2]string) string {
	if len(hours) == 0 {
		return "{}"
	}
	v := rawValueOf(m, "hours")
	if v != nil && v.Style&yaml.FlowStyle == 0 && len(v.Content) > 0 || (v != nil && len(v.Content) == 0 && m.Style&yaml.FlowStyle == 0) {
		indent := strings.Repeat(" ", k.Column+1)
		var b strings.Builder
		for _, h := range hours {
			b.WriteString("\n" + indent + h[0] + ": " + quote(h[1]))
		}
		return b.String()
	}
	var parts []string
	for _, h := range hours {
		parts = append(parts, h[0]+": "+quote(h[1]))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// splice replaces src[start:end] by text.
type splice struct {
	start, end int
	text       string
}

// applySplices applies non-overlapping splices to a copy of src.
func applySplices(src []byte, edits []splice) ([]byte, error) {
	slices.SortStableFunc(edits, func(a, b splice) int { return a.start - b.start })
	var out []byte
	at := 0
	for _, e := range edits {
		if e.start < at || e.end < e.start || e.end > len(src) {
			return nil, errors.New("overlapping edits")
		}
		out = append(out, src[at:e.start]...)
		out = append(out, e.text...)
		at = e.end
	}
	return append(out, src[at:]...), nil
}

// offset converts a node's 1-based line and column (in characters) into a
// byte offset of src.
func offset(src []byte, line, col int) int {
	at := 0
	for l := 1; l < line && at < len(src); l++ {
		i := strings.IndexByte(string(src[at:]), '\n')
		if i < 0 {
			return len(src)
		}
		at += i + 1
	}
	for c := 1; c < col && at < len(src) && src[at] != '\n'; c++ {
		_, w := utf8.DecodeRune(src[at:])
		at += w
	}
	return at
}

// valueSplice replaces the value of key node k in mapping m by text (a
// YAML value as written; a block value starts with a newline).
func valueSplice(src []byte, m, k, v *yaml.Node, text string) (splice, error) {
	start := offset(src, k.Line, k.Column) + len(k.Value)
	if k.Style != 0 {
		return splice{}, errors.New("a quoted key")
	}
	end, err := nodeEnd(src, v, m.Style&yaml.FlowStyle != 0)
	if err != nil {
		return splice{}, err
	}
	sep := " "
	if strings.HasPrefix(text, "\n") {
		sep = ""
	}
	// keep what stands between the key and its value when it is ":" and spaces
	colon := strings.IndexByte(string(src[start:]), ':')
	if colon < 0 || start+colon >= end {
		return splice{}, errors.New("no colon after the key")
	}
	return splice{start: start + colon + 1, end: end, text: sep + text}, nil
}

// appendPair adds key: value at the end of mapping m.
func appendPair(src []byte, m *yaml.Node, key, value string) (splice, error) {
	if len(m.Content) < 2 {
		return splice{}, errors.New("an empty mapping")
	}
	return pairAfter(src, m, m.Content[len(m.Content)-1], key, value)
}

// pairAfter adds key: value to mapping m after the value node after: in a
// block mapping on a line of its own after after's line (a comment on that
// line stays there).
func pairAfter(src []byte, m, after *yaml.Node, key, value string) (splice, error) {
	if len(m.Content) < 2 {
		return splice{}, errors.New("an empty mapping")
	}
	end, err := nodeEnd(src, after, m.Style&yaml.FlowStyle != 0)
	if err != nil {
		return splice{}, err
	}
	if m.Style&yaml.FlowStyle != 0 {
		return splice{start: end, end: end, text: ", " + key + ": " + value}, nil
	}
	for end < len(src) && src[end] != '\n' {
		end++
	}
	indent := strings.Repeat(" ", m.Content[0].Column-1)
	return splice{start: end, end: end, text: "\n" + indent + key + ": " + value}, nil
}

// dropPair removes the pair of key node k and value node v from mapping
// m: in a flow mapping with the comma before it (after it, for the first
// pair), in a block mapping its whole line (with a comment on it), which
// k must begin.
func dropPair(src []byte, m, k, v *yaml.Node) (splice, error) {
	start := offset(src, k.Line, k.Column)
	if m.Style&yaml.FlowStyle != 0 {
		end, err := nodeEnd(src, v, true)
		if err != nil {
			return splice{}, err
		}
		i := start
		for i > 0 && src[i-1] == ' ' {
			i--
		}
		if i > 0 && src[i-1] == ',' {
			return splice{start: i - 1, end: end}, nil
		}
		for end < len(src) && src[end] == ' ' {
			end++
		}
		if end < len(src) && src[end] == ',' {
			end++
			for end < len(src) && src[end] == ' ' {
				end++
			}
		}
		return splice{start: start, end: end}, nil
	}
	line := start
	for line > 0 && src[line-1] != '\n' {
		line--
	}
	if strings.TrimLeft(string(src[line:start]), " ") != "" {
		return splice{}, errors.New("a key that does not begin its line")
	}
	if line == 0 {
		return splice{}, errors.New("a pair on the first line")
	}
	end, err := nodeEnd(src, v, false)
	if err != nil {
		return splice{}, err
	}
	for end < len(src) && src[end] != '\n' {
		end++
	}
	// From the line break before the line to its end: a pair added after
	// the pair before goes where this one was.
	return splice{start: line - 1, end: end}, nil
}

// nodeEnd is the byte offset just after node n in src; inFlow says n sits
// in a flow collection (where , ] and } end a plain scalar).
func nodeEnd(src []byte, n *yaml.Node, inFlow bool) (int, error) {
	at := offset(src, n.Line, n.Column)
	switch {
	case n.Kind == yaml.AliasNode:
		return at + 1 + len(n.Value), nil
	case n.Kind == yaml.ScalarNode && n.Style&yaml.DoubleQuotedStyle != 0:
		for i := at + 1; i < len(src); i++ {
			switch src[i] {
			case '\\':
				i++
			case '"':
				return i + 1, nil
			}
		}
		return 0, errors.New("an unterminated string")
	case n.Kind == yaml.ScalarNode && n.Style&yaml.SingleQuotedStyle != 0:
		for i := at + 1; i < len(src); i++ {
			if src[i] == '\'' {
				if i+1 < len(src) && src[i+1] == '\'' {
					i++
					continue
				}
				return i + 1, nil
			}
		}
		return 0, errors.New("an unterminated string")
	case n.Kind == yaml.ScalarNode:
		if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			return 0, errors.New("a block scalar")
		}
		i := at
		for i < len(src) && src[i] != '\n' && !(inFlow && strings.IndexByte(",]}", src[i]) >= 0) && !(src[i] == '#' && i > at && src[i-1] == ' ') {
			i++
		}
		for i > at && src[i-1] == ' ' {
			i--
		}
		return i, nil
	case n.Style&yaml.FlowStyle != 0:
		depth := 0
		for i := at; i < len(src); i++ {
			switch src[i] {
			case '"':
				for i++; i < len(src) && src[i] != '"'; i++ {
					if src[i] == '\\' {
						i++
					}
				}
			case '[', '{':
				depth++
			case ']', '}':
				depth--
				if depth == 0 {
					return i + 1, nil
				}
			}
		}
		return 0, errors.New("an unclosed collection")
	default: // a block collection ends where its last child does
		if len(n.Content) == 0 {
			return at, nil
		}
		return nodeEnd(src, n.Content[len(n.Content)-1], false)
	}
}
