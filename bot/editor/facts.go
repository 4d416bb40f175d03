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
// fine's amount, an office's phones or opening hours, a help number, each
// with its sources and verified-on date; for an address or a deadline
// (texts in the locale files) its sources and date. Only the YAML nodes of
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
	AlsoIn     []string          // a fee list shared by other owners (a YAML alias): their IDs
	Sources    []string
	VerifiedOn string
}

// FactInput is what an editor typed for a fact.
type FactInput struct {
	Amount, AmountMax string
	Phones            []string
	Hours             string // "mon: 09:00-18:00", one day a line
	Sources           []string
	VerifiedOn        string
}

// factSite is where a fact is written: its file's parsed tree and the
// mapping that holds its value(s), sources and date.
type factSite struct {
	file      string // path in the pack
	valueMap  *yaml.Node
	valueKey  string     // "amount", "phones", "hours", "number"; "" for text facts
	sourceMap *yaml.Node // the mapping holding sources and verified_on
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
			if v := rawValueOf(item, spec.fees); v != nil && v.Kind == yaml.AliasNode { // listed where it is written
				continue
			}
			for i, fee := range seqOf(valueOf(item, spec.fees)) {
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
				fn(f, factSite{file: spec.file, valueMap: fee, valueKey: "amount", sourceMap: fee})
			}
			for _, term := range []string{"processing", "validity", "time"} {
				t := valueOf(item, term)
				if t == nil || t.Kind != yaml.MappingNode {
					continue
				}
				f := Fact{Key: fmt.Sprintf("%s/%s/%s/%s", FactDeadline, spec.file, owner, term), Kind: FactDeadline, File: spec.file, Owner: owner,
					Label: scalarOf(t, "text"), TextID: scalarOf(t, "text"), Sources: listOf(t, "sources"), VerifiedOn: scalarOf(t, "verified_on")}
				if f.VerifiedOn == "" {
					f.VerifiedOn = scalarOf(item, "verified_on")
				}
				fn(f, factSite{file: spec.file, valueMap: t, sourceMap: t})
			}
		}
	}
	root, err := parseRoot(files, kb.FileOffices)
	if err != nil {
		return err
	}
	for _, o := range seqOf(valueOf(root, "offices")) {
		id, name := scalarOf(o, "id"), scalarOf(o, "name")
		base := Fact{File: kb.FileOffices, Owner: id, Label: name, Sources: listOf(o, "sources"), VerifiedOn: scalarOf(o, "verified_on")}
		if valueOf(o, "phones") != nil {
			f := base
			f.Kind, f.Key, f.Phones = FactPhone, FactPhone+"/offices.yaml/"+id+"/phones", listOf(o, "phones")
			fn(f, factSite{file: kb.FileOffices, valueMap: o, valueKey: "phones", sourceMap: o})
		}
		if a := scalarOf(o, "address"); a != "" {
			f := base
			f.Kind, f.Key, f.TextID = FactAddress, FactAddress+"/offices.yaml/"+id+"/address", a
			fn(f, factSite{file: kb.FileOffices, valueMap: o, sourceMap: o})
		}
		if h := valueOf(o, "hours"); h != nil && h.Kind == yaml.MappingNode {
			f := base
			f.Kind, f.Key, f.Hours = FactHours, FactHours+"/offices.yaml/"+id+"/hours", map[string]string{}
			for i := 0; i+1 < len(h.Content); i += 2 {
				f.Hours[h.Content[i].Value] = h.Content[i+1].Value
			}
			fn(f, factSite{file: kb.FileOffices, valueMap: o, valueKey: "hours", sourceMap: o})
		}
	}
	for _, h := range seqOf(valueOf(root, "hotlines")) {
		id := scalarOf(h, "id")
		f := Fact{Kind: FactPhone, Key: FactPhone + "/offices.yaml/" + id + "/number", File: kb.FileOffices, Owner: id, Label: scalarOf(h, "what"),
			Phones: []string{scalarOf(h, "number")}, Sources: listOf(h, "sources"), VerifiedOn: scalarOf(h, "verified_on")}
		fn(f, factSite{file: kb.FileOffices, valueMap: h, valueKey: "number", sourceMap: h})
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
		if _, err := parseHours(in.Hours); err != nil {
			out = append(out, "console.facts.problem.hours")
		}
	}
	if len(in.Sources) == 0 {
		out = append(out, "console.facts.problem.no_source")
	}
	for _, s := range in.Sources {
		if !sourceID.MatchString(s) || !known[s] {
			out = append(out, "console.facts.problem.unknown_source")
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
	return out
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
		if !ok || !slices.Contains(weekDays, day) || !timeRange.MatchString(span) || slices.ContainsFunc(out, func(p [2]string) bool { return p[0] == day }) {
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
	}
	if err != nil {
		return nil, nil, err
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
	slices.SortFunc(edits, func(a, b splice) int { return a.start - b.start })
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
	last := m.Content[len(m.Content)-1]
	end, err := nodeEnd(src, last, m.Style&yaml.FlowStyle != 0)
	if err != nil {
		return splice{}, err
	}
	if m.Style&yaml.FlowStyle != 0 {
		return splice{start: end, end: end, text: ", " + key + ": " + value}, nil
	}
	indent := strings.Repeat(" ", m.Content[0].Column-1)
	return splice{start: end, end: end, text: "\n" + indent + key + ": " + value}, nil
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
