package kb

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/yol-project/yol/bot/problem"
)

// CurrentSpec is the newest knowledge file format this program
// understands: a file with a higher spec is refused. A file without spec
// is read as spec 1, the format of the files written before they carried
// a version.
const CurrentSpec = 1

// The files of a knowledge directory. offices.yaml is optional (a pack may
// have no offices yet), and so are search.yaml and settings.yaml (see
// their constants); the others are required.
const (
	FileQuestions = "questions.yaml"
	FilePathways  = "pathways.yaml"
	FileDocuments = "documents.yaml"
	FileArticles  = "articles.yaml"
	FileSources   = "sources.yaml"
	FileOffices   = "offices.yaml"
)

// Pathway kinds.
const (
	KindRegularize = "regularize" // a ground to get a permit
	KindFirstStep  = "first_step" // something to do before any application
	KindProtection = "protection" // asylum, trafficking, children: another door
	KindLeave      = "leave"      // leaving the country in order
	KindHelp       = "help"       // talk to a person, free legal help
)

type questionsFile struct {
	Spec      int        `yaml:"spec"`
	Questions []Question `yaml:"questions"`
}

type pathwaysFile struct {
	Spec           int             `yaml:"spec"`
	Pathways       []*Pathway      `yaml:"pathways"`
	ChecklistRules []ChecklistRule `yaml:"checklist_rules,omitempty"`
}

type documentsFile struct {
	Spec      int         `yaml:"spec"`
	Documents []*Document `yaml:"documents"`
}

type articlesFile struct {
	Spec     int        `yaml:"spec"`
	Articles []*Article `yaml:"articles"`
}

type sourcesFile struct {
	Spec    int       `yaml:"spec"`
	Sources []*Source `yaml:"sources"`
}

type officesFile struct {
	Spec     int        `yaml:"spec"`
	Offices  []*Office  `yaml:"offices"`
	Hotlines []*Hotline `yaml:"hotlines,omitempty"`
	Cities   []City     `yaml:"cities"`
	Sources  []*Source  `yaml:"sources,omitempty"`
}

// UnmarshalYAML accepts a mapping (language -> text) or a plain scalar, which
// is stored under the key "*".
func (t *Text) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		*t = Text{"*": n.Value}
		return nil
	case yaml.MappingNode:
		m := map[string]string{}
		if err := n.Decode(&m); err != nil {
			return err
		}
		*t = Text(m)
		return nil
	}
	return fmt.Errorf("line %d: want a text or a map of language to text", n.Line)
}

// UnmarshalYAML accepts a step as a plain message ID or as {text, when},
// strictly: a misspelt field would otherwise show a conditional step to
// everyone.
func (s *Step) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		s.Text = n.Value
		return nil
	case yaml.MappingNode:
		if err := knownKeys(n, "step", "text", "when"); err != nil {
			return err
		}
		type plain Step
		return n.Decode((*plain)(s))
	}
	return fmt.Errorf("line %d: a step is a message ID or {text: ..., when: ...}", n.Line)
}

// UnmarshalYAML reads a condition strictly (see Step).
func (c *Cond) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.MappingNode {
		if err := knownKeys(n, "condition", "q", "in", "all", "any", "not", "unknown_at_least"); err != nil {
			return err
		}
	}
	type plain Cond
	return n.Decode((*plain)(c))
}

// knownKeys reports a key of mapping n that is not one of keys.
func knownKeys(n *yaml.Node, what string, keys ...string) error {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; !slices.Contains(keys, k.Value) {
			return fmt.Errorf("line %d: unknown field %q in a %s (want %s)", k.Line, k.Value, what, strings.Join(keys, ", "))
		}
	}
	return nil
}

type loader struct {
	fsys      fs.FS
	dir       string
	problems  []problem.Problem
	msgs      []MessageRef
	commands  []CommandRef
	languages []LanguageRef
	b         *Base
	failed    map[string]bool // files that could not be decoded: skip checks of references into them
	search    *searchFile     // nil: none, or it could not be read
}

// Load reads and validates the knowledge files in dir of fsys. It returns the
// base, or nil and every problem found (each with file and line).
//
// Checks: strict YAML (unknown fields are errors); every ID is unique and
// every reference resolves (documents, articles, pathways, sources, questions
// and answers in conditions, offices' cities); every fact has sources and a
// verified_on date; unconfirmed facts carry a note; message IDs are well
// formed; every question offers "unknown"; there is exactly one fallback
// pathway, with no condition, so that Evaluate is never empty; opening hours
// parse; settings.yaml names a real time zone; search.yaml's words, phrases
// and spellings name items that exist (see loadSearch). Every file may say
// which format it is written in (spec: 1); a newer one is refused.
func Load(fsys fs.FS, dir string) (*Base, []problem.Problem) {
	l := &loader{fsys: fsys, dir: dir, failed: map[string]bool{}, b: &Base{
		qByID: map[string]*Question{},
		pByID: map[string]*Pathway{},
		dByID: map[string]*Document{},
		aByID: map[string]*Article{},
		sByID: map[string]*Source{},
	}}
	var (
		qf questionsFile
		pf pathwaysFile
		df documentsFile
		af articlesFile
		sf sourcesFile
		of officesFile
	)
	l.loadSettings()
	l.loadSearch()
	sn, sok := l.read(FileSources, &sf, false)
	on, ook := l.read(FileOffices, &of, true)
	qn, qok := l.read(FileQuestions, &qf, false)
	dn, dok := l.read(FileDocuments, &df, false)
	an, aok := l.read(FileArticles, &af, false)
	pn, pok := l.read(FilePathways, &pf, false)
	for name, ok := range map[string]bool{FileSources: sok, FileQuestions: qok, FileDocuments: dok, FileArticles: aok, FilePathways: pok} {
		l.failed[name] = !ok
	}

	// Index first, so that references can be checked in any order.
	if sok {
		l.sources(FileSources, sn, sf.Sources)
	}
	if ook {
		l.sources(FileOffices, on, of.Sources)
	}
	if qok {
		l.questions(qn, qf.Questions)
	}
	if dok {
		for _, d := range df.Documents {
			if d.ID != "" && l.b.dByID[d.ID] == nil {
				l.b.dByID[d.ID] = d
			}
		}
	}
	if aok {
		for _, a := range af.Articles {
			if a.ID != "" && l.b.aByID[a.ID] == nil {
				l.b.aByID[a.ID] = a
			}
		}
	}
	if pok {
		for _, p := range pf.Pathways {
			if p.ID != "" && l.b.pByID[p.ID] == nil {
				l.b.pByID[p.ID] = p
			}
		}
	}

	if ook {
		l.offices(on, &of)
	}
	if dok {
		l.documents(dn, df.Documents)
	}
	if aok {
		l.articles(an, af.Articles)
	}
	if pok {
		l.pathways(pn, &pf)
	}
	l.checkSearch()

	if len(l.problems) > 0 {
		sort.SliceStable(l.problems, func(i, j int) bool {
			if l.problems[i].File != l.problems[j].File {
				return l.problems[i].File < l.problems[j].File
			}
			return l.problems[i].Line < l.problems[j].Line
		})
		return nil, l.problems
	}
	l.b.messages = l.msgs
	l.b.commands = l.commands
	l.b.languages = l.languages
	return l.b, nil
}

// file returns the path of a knowledge file in the content.
func (l *loader) file(name string) string { return path.Join(l.dir, name) }

// errf records a problem at a line of a knowledge file.
func (l *loader) errf(name string, line int, format string, args ...any) {
	l.problems = append(l.problems, problem.Problem{File: l.file(name), Line: line, Message: fmt.Sprintf(format, args...)})
}

// read decodes a file strictly into v and returns its document node.
func (l *loader) read(name string, v any, optional bool) (*yaml.Node, bool) {
	data, err := fs.ReadFile(l.fsys, l.file(name))
	if err != nil {
		if optional && errors.Is(err, fs.ErrNotExist) {
			return nil, false
		}
		l.errf(name, 0, "cannot read the file: %v", unwrapPathError(err))
		return nil, false
	}
	// The version first: a newer file may hold fields this program does
	// not know, which are not the problem to report.
	var root yaml.Node
	rootErr := yaml.Unmarshal(data, &root)
	if rootErr == nil && len(root.Content) > 0 && !l.spec(name, root.Content[0]) {
		return nil, false
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			l.errf(name, 0, "the file is empty")
		} else {
			l.yamlError(name, err)
		}
		return nil, false
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		l.errf(name, extra.Line, "more than one YAML document in the file")
		return nil, false
	}
	if rootErr != nil || len(root.Content) == 0 {
		l.errf(name, 0, "cannot parse the file")
		return nil, false
	}
	return root.Content[0], true
}

// spec checks the format version of a file (its top-level spec:), and
// reports whether the file can be read.
func (l *loader) spec(name string, doc *yaml.Node) bool {
	k, v := value(doc, "spec")
	if k == nil {
		return true // written before files carried a version: spec 1
	}
	n, err := strconv.Atoi(v.Value)
	switch {
	case v.Kind != yaml.ScalarNode || v.Tag != "!!int" || err != nil:
		l.errf(name, v.Line, "spec must be a whole number, like \"spec: %d\"", CurrentSpec)
	case n > CurrentSpec:
		l.errf(name, v.Line, "spec %d is newer than this program understands (%d); update yol", n, CurrentSpec)
	case n < 1:
		l.errf(name, v.Line, "spec %d is not a valid version; use spec: %d", n, CurrentSpec)
	default:
		return true
	}
	return false
}

// unwrapPathError returns the cause of a file system error, without the
// path, which the problem already names.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// yamlError turns a yaml error into problems with line numbers.
func (l *loader) yamlError(name string, err error) {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		for _, e := range te.Errors {
			line, msg := splitLine(e)
			l.errf(name, line, "%s", friendly(msg))
		}
		return
	}
	line, msg := splitLine(strings.TrimPrefix(err.Error(), "yaml: "))
	l.errf(name, line, "%s", friendly(msg))
}

// splitLine splits "line 12: message" into its line number and message; a
// message without a line gets 0.
func splitLine(s string) (int, string) {
	if rest, ok := strings.CutPrefix(s, "line "); ok {
		num, msg, ok := strings.Cut(rest, ": ")
		if n, err := strconv.Atoi(num); ok && err == nil {
			return n, msg
		}
	}
	return 0, s
}

// friendly rewrites a yaml "field not found" message in editors' words.
func friendly(msg string) string {
	// "field foo not found in type kb.Pathway"
	if rest, ok := strings.CutPrefix(msg, "field "); ok {
		if f, typ, ok := strings.Cut(rest, " not found in type "); ok {
			return fmt.Sprintf("unknown field %q (in %s)", f, strings.TrimPrefix(typ, "kb."))
		}
	}
	return msg
}

// ---- YAML node helpers ----

// value returns the key node and the value node of key in mapping n.
func value(n *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i], n.Content[i+1]
		}
	}
	return nil, nil
}

// child returns the value node of key in mapping n.
func child(n *yaml.Node, key string) *yaml.Node {
	_, v := value(n, key)
	return v
}

// elem returns the i-th element of the sequence that is the value of key in n.
func elem(n *yaml.Node, key string, i int) *yaml.Node {
	s := child(n, key)
	if s == nil || s.Kind != yaml.SequenceNode || i >= len(s.Content) {
		return nil
	}
	return s.Content[i]
}

// lineOf returns the line of key in n, else of n, else def.
func lineOf(n *yaml.Node, key string, def int) int {
	if k, _ := value(n, key); k != nil {
		return k.Line
	}
	if n != nil {
		return n.Line
	}
	return def
}

// lineAt returns the line of the i-th element of the sequence under key.
func lineAt(n *yaml.Node, key string, i int) int {
	if e := elem(n, key, i); e != nil {
		return e.Line
	}
	return lineOf(n, key, 0)
}

// ---- value checks ----

// isKey reports whether s is a key: lowercase ASCII letters, digits and
// underscores, not starting with an underscore.
func isKey(s string) bool {
	if s == "" || !(s[0] >= 'a' && s[0] <= 'z' || s[0] >= '0' && s[0] <= '9') {
		return false
	}
	return strings.IndexFunc(s, notKeyRune) < 0
}

// notKeyRune reports a character that may not stand in a key: keys are
// lowercase ASCII letters, digits and underscores.
func notKeyRune(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') }

// isMessageID accepts dotted lowercase keys with at least two parts:
// "pathway.family_citizen.title".
func isMessageID(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		if p == "" || strings.IndexFunc(p, notKeyRune) >= 0 {
			return false
		}
	}
	return true
}

// isDate reports whether s is a date written YYYY-MM-DD.
func isDate(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

// msg checks and records a message ID.
func (l *loader) msg(name string, line int, id, what string, required bool) {
	if id == "" {
		if required {
			l.errf(name, line, "missing %s (a message ID)", what)
		}
		return
	}
	if !isMessageID(id) {
		l.errf(name, line, "%s %q is not a message ID (want lowercase dotted parts like pathway.x.title)", what, id)
		return
	}
	l.msgs = append(l.msgs, MessageRef{ID: id, File: l.file(name), Line: line})
}

// id checks an item ID and reports duplicates.
func (l *loader) id(name string, line int, id, what string, seen map[string]int) bool {
	if id == "" {
		l.errf(name, line, "%s without id", what)
		return false
	}
	if !isKey(id) {
		l.errf(name, line, "%s id %q: use lowercase letters, digits and _", what, id)
		return false
	}
	if prev, ok := seen[id]; ok {
		l.errf(name, line, "duplicate %s id %q (first at line %d)", what, id, prev)
		return false
	}
	seen[id] = line
	return true
}

// fact checks the sources and date of a fact. verified may be empty when
// inherit is a valid date.
func (l *loader) fact(name string, n *yaml.Node, line int, what string, sources []string, verified, inherit string, unconfirmed bool, note string) {
	if len(sources) == 0 {
		l.errf(name, lineOf(n, "sources", line), "%s has no sources: every fact needs a source", what)
	}
	for i, s := range sources {
		if l.b.sByID[s] == nil && !l.failed[FileSources] {
			l.errf(name, lineAt(n, "sources", i), "%s cites unknown source %q", what, s)
		}
	}
	switch {
	case verified != "":
		if !isDate(verified) {
			l.errf(name, lineOf(n, "verified_on", line), "%s: verified_on %q is not a date (YYYY-MM-DD)", what, verified)
		}
	case inherit == "":
		l.errf(name, line, "%s has no verified_on date", what)
	}
	if unconfirmed && strings.TrimSpace(note) == "" {
		l.errf(name, lineOf(n, "unconfirmed", line), "%s is unconfirmed: add a note saying what could not be confirmed", what)
	}
}

// ---- files ----

// sources checks and adds the sources listed in a file. A source defined
// in another file too must have the same url.
func (l *loader) sources(name string, doc *yaml.Node, list []*Source) {
	seen := map[string]int{}
	for i, s := range list {
		n := elem(doc, "sources", i)
		line := lineAt(doc, "sources", i)
		if !l.id(name, line, s.ID, "source", seen) {
			continue
		}
		if prev := l.b.sByID[s.ID]; prev != nil {
			if prev.URL != s.URL {
				l.errf(name, line, "source %q is also defined elsewhere with another url", s.ID)
			}
			continue
		}
		if strings.TrimSpace(s.Title) == "" {
			l.errf(name, line, "source %q has no title", s.ID)
		}
		if !strings.HasPrefix(s.URL, "https://") && !strings.HasPrefix(s.URL, "http://") {
			l.errf(name, lineOf(n, "url", line), "source %q: url %q must start with http:// or https://", s.ID, s.URL)
		}
		if strings.TrimSpace(s.Publisher) == "" {
			l.errf(name, line, "source %q has no publisher", s.ID)
		}
		if !isDate(s.Accessed) {
			l.errf(name, lineOf(n, "accessed", line), "source %q: accessed %q is not a date (YYYY-MM-DD)", s.ID, s.Accessed)
		}
		l.b.sByID[s.ID] = s
		l.b.sources = append(l.b.sources, s)
	}
}

// questions checks and adds the questions: each needs a text and at least
// two answers, one of them Unknown.
func (l *loader) questions(doc *yaml.Node, list []Question) {
	const name = FileQuestions
	if len(list) == 0 {
		l.errf(name, lineOf(doc, "questions", 1), "no questions")
	}
	seen := map[string]int{}
	for i := range list {
		q := list[i]
		n := elem(doc, "questions", i)
		line := lineAt(doc, "questions", i)
		if !l.id(name, line, q.ID, "question", seen) {
			continue
		}
		l.msg(name, lineOf(n, "text", line), q.Text, "text", true)
		l.msg(name, lineOf(n, "help", line), q.Help, "help", false)
		if len(q.Answers) < 2 {
			l.errf(name, lineOf(n, "answers", line), "question %q needs at least two answers", q.ID)
		}
		aseen := map[string]int{}
		hasUnknown := false
		for j, a := range q.Answers {
			an := elem(n, "answers", j)
			aline := lineAt(n, "answers", j)
			if !l.id(name, aline, a.ID, "answer", aseen) {
				continue
			}
			if a.ID == Unknown {
				hasUnknown = true
			}
			l.msg(name, lineOf(an, "label", aline), a.Label, "label", true)
		}
		if !hasUnknown {
			l.errf(name, lineOf(n, "answers", line), "question %q must offer the answer %q (I don't know)", q.ID, Unknown)
		}
		l.b.questions = append(l.b.questions, q)
	}
	for i := range l.b.questions {
		l.b.qByID[l.b.questions[i].ID] = &l.b.questions[i]
	}
}

// cond checks a condition; n is its mapping node, line the fallback line.
func (l *loader) cond(name string, n *yaml.Node, line int, c *Cond) {
	if l.failed[FileQuestions] {
		return
	}
	if n != nil {
		line = n.Line
	}
	forms := 0
	if c.Q != "" || c.In != nil {
		forms++
	}
	if c.UnknownAtLeast != 0 {
		forms++
	}
	if c.All != nil {
		forms++
	}
	if c.Any != nil {
		forms++
	}
	if c.Not != nil {
		forms++
	}
	if forms != 1 {
		l.errf(name, line, "a condition needs exactly one of {q, in}, all, any, not, unknown_at_least")
		return
	}
	switch {
	case c.UnknownAtLeast != 0:
		if c.UnknownAtLeast < 1 || c.UnknownAtLeast > len(l.b.questions) {
			l.errf(name, lineOf(n, "unknown_at_least", line), "unknown_at_least must be between 1 and the number of questions (%d)", len(l.b.questions))
		}
	case c.Q != "" || c.In != nil:
		q := l.b.qByID[c.Q]
		if c.Q == "" {
			l.errf(name, line, "condition without q (the question)")
			return
		}
		if q == nil {
			l.errf(name, lineOf(n, "q", line), "condition on unknown question %q", c.Q)
			return
		}
		if len(c.In) == 0 {
			l.errf(name, lineOf(n, "q", line), "condition on %q needs in: [answers]", c.Q)
		}
		for i, v := range c.In {
			ok := false
			var ids []string
			for _, a := range q.Answers {
				ids = append(ids, a.ID)
				if a.ID == v {
					ok = true
				}
			}
			if !ok {
				l.errf(name, lineAt(n, "in", i), "question %q has no answer %q (answers: %s)", c.Q, v, strings.Join(ids, ", "))
			}
		}
	case c.All != nil || c.Any != nil:
		key, list := "all", c.All
		if c.Any != nil {
			key, list = "any", c.Any
		}
		if len(list) == 0 {
			l.errf(name, lineOf(n, key, line), "%s: needs at least one condition", key)
		}
		for i := range list {
			l.cond(name, elem(n, key, i), lineAt(n, key, i), &list[i])
		}
	case c.Not != nil:
		l.cond(name, child(n, "not"), lineOf(n, "not", line), c.Not)
	}
}

// fee checks a fee: its condition, label, amount, currency (the settings'
// currency by default) and legal basis, and its sources.
func (l *loader) fee(name string, n *yaml.Node, line int, owner string, f *Fee, inherit string) {
	what := owner + " fee"
	if f.When != nil {
		l.cond(name, child(n, "when"), lineOf(n, "when", line), f.When)
	}
	l.msg(name, lineOf(n, "label", line), f.Label, "fee label", true)
	if f.Amount == nil {
		l.errf(name, line, "%s has no amount (use 0 for free)", what)
	} else if *f.Amount < 0 || math.IsNaN(*f.Amount) || math.IsInf(*f.Amount, 0) {
		l.errf(name, lineOf(n, "amount", line), "%s: amount must be 0 or more", what)
	} else if f.AmountMax != nil && !(*f.AmountMax >= *f.Amount) {
		l.errf(name, lineOf(n, "amount_max", line), "%s: amount_max must not be less than amount", what)
	}
	if f.Currency == "" {
		f.Currency = l.b.settings.Currency
	}
	if len(f.Currency) != 3 || strings.ToUpper(f.Currency) != f.Currency {
		l.errf(name, lineOf(n, "currency", line), "%s: currency %q must be an ISO 4217 code like AZN", what, f.Currency)
	}
	if strings.TrimSpace(f.LegalBasis) == "" {
		l.errf(name, line, "%s has no legal_basis", what)
	}
	l.fact(name, n, line, what, f.Sources, f.VerifiedOn, inherit, f.Unconfirmed, f.Note)
}

// term checks a fact stated in words: its text and sources.
func (l *loader) term(name string, n *yaml.Node, line int, what string, t *Term, inherit string) {
	l.msg(name, lineOf(n, "text", line), t.Text, what+" text", true)
	l.fact(name, n, line, what, t.Sources, t.VerifiedOn, inherit, t.Unconfirmed, t.Note)
}

// documents checks and adds the documents, with their costs and times.
func (l *loader) documents(doc *yaml.Node, list []*Document) {
	const name = FileDocuments
	seen := map[string]int{}
	for i, d := range list {
		n := elem(doc, "documents", i)
		line := lineAt(doc, "documents", i)
		if !l.id(name, line, d.ID, "document", seen) {
			continue
		}
		l.msg(name, lineOf(n, "title", line), d.Title, "title", true)
		l.msg(name, lineOf(n, "what", line), d.What, "what", true)
		l.msg(name, lineOf(n, "how_to_get", line), d.HowToGet, "how_to_get", true)
		for j := range d.Cost {
			l.fee(name, elem(n, "cost", j), lineAt(n, "cost", j), "document "+strconv.Quote(d.ID), &d.Cost[j], d.VerifiedOn)
		}
		if d.Time != nil {
			l.term(name, child(n, "time"), lineOf(n, "time", line), "document "+strconv.Quote(d.ID)+" time", d.Time, d.VerifiedOn)
		}
		l.fact(name, n, line, "document "+strconv.Quote(d.ID), d.Sources, d.VerifiedOn, "", d.Unconfirmed, d.Note)
		l.b.documents = append(l.b.documents, d)
	}
}

// articles checks and adds the articles: texts, keywords in the required
// languages, related articles and sources.
func (l *loader) articles(doc *yaml.Node, list []*Article) {
	const name = FileArticles
	seen := map[string]int{}
	for i, a := range list {
		n := elem(doc, "articles", i)
		line := lineAt(doc, "articles", i)
		if !l.id(name, line, a.ID, "article", seen) {
			continue
		}
		l.msg(name, lineOf(n, "title", line), a.Title, "title", true)
		l.msg(name, lineOf(n, "body", line), a.Body, "body", true)
		for _, lang := range l.keywordsRequired() {
			if len(a.Keywords[lang]) == 0 {
				l.errf(name, lineOf(n, "keywords", line), "article %q has no %s keywords (%s are required)", a.ID, lang, l.keywordsRequiredText())
			}
		}
		eachPair(child(n, "keywords"), func(lang, _ *yaml.Node) { l.language(name, lang.Line, lang.Value) })
		for j, r := range a.Related {
			if l.b.aByID[r] == nil {
				l.errf(name, lineAt(n, "related", j), "article %q: related article %q does not exist", a.ID, r)
			}
		}
		l.fact(name, n, line, "article "+strconv.Quote(a.ID), a.Sources, a.VerifiedOn, "", a.Unconfirmed, a.Note)
		l.b.articles = append(l.b.articles, a)
	}
}

// pathways checks and adds the pathways and the checklist rules. There
// must be exactly one fallback pathway, without a condition; every other
// pathway needs one.
func (l *loader) pathways(doc *yaml.Node, f *pathwaysFile) {
	const name = FilePathways
	seen := map[string]int{}
	if len(f.Pathways) == 0 {
		l.errf(name, lineOf(doc, "pathways", 1), "no pathways")
	}
	for i, p := range f.Pathways {
		n := elem(doc, "pathways", i)
		line := lineAt(doc, "pathways", i)
		if !l.id(name, line, p.ID, "pathway", seen) {
			continue
		}
		what := "pathway " + strconv.Quote(p.ID)
		switch p.Kind {
		case KindRegularize, KindFirstStep, KindProtection, KindLeave, KindHelp:
		default:
			l.errf(name, lineOf(n, "kind", line), "%s: kind %q must be one of regularize, first_step, protection, leave, help", what, p.Kind)
		}
		if p.OfficeKind != "" && len(l.b.offices) > 0 {
			found := false
			for _, o := range l.b.offices {
				if o.Kind == p.OfficeKind {
					found = true
					break
				}
			}
			if !found {
				l.errf(name, lineOf(n, "office_kind", line), "%s: no office has kind %q", what, p.OfficeKind)
			}
		}
		l.msg(name, lineOf(n, "title", line), p.Title, "title", true)
		l.msg(name, lineOf(n, "summary", line), p.Summary, "summary", true)
		if len(p.Steps) == 0 {
			l.errf(name, lineOf(n, "steps", line), "%s has no steps: every result needs a next step", what)
		}
		for j, s := range p.Steps {
			sn := elem(n, "steps", j)
			sline := lineAt(n, "steps", j)
			l.msg(name, lineOf(sn, "text", sline), s.Text, "step", true)
			if s.When != nil {
				l.cond(name, child(sn, "when"), lineOf(sn, "when", sline), s.When)
			}
		}

		if p.Fallback {
			if l.b.fallback != nil {
				l.errf(name, lineOf(n, "fallback", line), "%s: only one pathway can be the fallback (%q is already)", what, l.b.fallback.ID)
			} else {
				l.b.fallback = p
			}
			if p.When != nil {
				l.errf(name, lineOf(n, "when", line), "%s: the fallback pathway must have no condition (it always applies)", what)
			}
			if p.FirstWhen != nil {
				l.cond(name, child(n, "first_when"), lineOf(n, "first_when", line), p.FirstWhen)
			}
		} else if p.FirstWhen != nil {
			l.errf(name, lineOf(n, "first_when", line), "%s: only the fallback pathway may have first_when", what)
		} else if p.When == nil {
			l.errf(name, line, "%s has no when: condition (only the fallback pathway may omit it)", what)
		}
		if p.When != nil {
			l.cond(name, child(n, "when"), lineOf(n, "when", line), p.When)
		}
		for j := range p.Reasons {
			r := &p.Reasons[j]
			rn := elem(n, "reasons", j)
			rline := lineAt(n, "reasons", j)
			l.msg(name, lineOf(rn, "text", rline), r.Text, "reason text", true)
			if r.When != nil {
				l.cond(name, child(rn, "when"), lineOf(rn, "when", rline), r.When)
			}
			if r.Weight < 0 {
				l.errf(name, lineOf(rn, "weight", rline), "%s: reason weight must not be negative", what)
			}
		}
		for j, d := range p.Documents {
			if l.b.dByID[d] == nil && !l.failed[FileDocuments] {
				l.errf(name, lineAt(n, "documents", j), "%s: unknown document %q", what, d)
			}
		}
		if len(p.ApplyAt) == 0 {
			l.errf(name, lineOf(n, "apply_at", line), "%s has no apply_at: say where to go", what)
		}
		for j, s := range p.ApplyAt {
			l.msg(name, lineAt(n, "apply_at", j), s, "apply_at", true)
		}
		for j := range p.Fees {
			l.fee(name, elem(n, "fees", j), lineAt(n, "fees", j), what, &p.Fees[j], p.VerifiedOn)
		}
		if p.Processing != nil {
			l.term(name, child(n, "processing"), lineOf(n, "processing", line), what+" processing", p.Processing, p.VerifiedOn)
		}
		if p.Validity != nil {
			l.term(name, child(n, "validity"), lineOf(n, "validity", line), what+" validity", p.Validity, p.VerifiedOn)
		}
		for j, a := range p.Articles {
			if l.b.aByID[a] == nil && !l.failed[FileArticles] {
				l.errf(name, lineAt(n, "articles", j), "%s: unknown article %q", what, a)
			}
		}
		l.fact(name, n, line, what, p.Sources, p.VerifiedOn, "", p.Unconfirmed, p.Note)
		l.b.pathways = append(l.b.pathways, p)
	}
	if len(f.Pathways) > 0 && l.b.fallback == nil {
		l.errf(name, lineOf(doc, "pathways", 1), "no fallback pathway (fallback: true): some answers would get no result")
	}
	for i := range f.ChecklistRules {
		r := &f.ChecklistRules[i]
		n := elem(doc, "checklist_rules", i)
		line := lineAt(doc, "checklist_rules", i)
		if r.When == nil {
			l.errf(name, line, "checklist rule without when:")
		} else {
			l.cond(name, child(n, "when"), lineOf(n, "when", line), r.When)
		}
		if len(r.Add) == 0 && len(r.Remove) == 0 {
			l.errf(name, line, "checklist rule with neither add nor remove")
		}
		for j, p := range r.Pathways {
			if l.b.pByID[p] == nil {
				l.errf(name, lineAt(n, "pathways", j), "checklist rule: unknown pathway %q", p)
			}
		}
		for _, key := range []string{"add", "remove"} {
			ids := r.Add
			if key == "remove" {
				ids = r.Remove
			}
			for j, d := range ids {
				if l.b.dByID[d] == nil && !l.failed[FileDocuments] {
					l.errf(name, lineAt(n, key, j), "checklist rule: unknown document %q", d)
				}
			}
		}
		l.b.rules = append(l.b.rules, *r)
	}
}

// validLatLng reports whether lat and lng are a point on Earth other than
// 0,0 (which is what a missing value reads as).
func validLatLng(lat, lng float64) bool {
	return lat >= -90 && lat <= 90 && lng >= -180 && lng <= 180 && !(lat == 0 && lng == 0)
}

// offices checks and adds the cities, offices and hotlines.
func (l *loader) offices(doc *yaml.Node, f *officesFile) {
	const name = FileOffices
	cseen := map[string]int{}
	cities := map[string]bool{}
	for i, c := range f.Cities {
		n := elem(doc, "cities", i)
		line := lineAt(doc, "cities", i)
		if !l.id(name, line, c.ID, "city", cseen) {
			continue
		}
		if c.Name.Get("en") == "" {
			l.errf(name, lineOf(n, "name", line), "city %q has no name", c.ID)
		}
		if !validLatLng(c.Lat, c.Lng) {
			l.errf(name, lineOf(n, "lat", line), "city %q: lat/lng %v,%v out of range", c.ID, c.Lat, c.Lng)
		}
		cities[c.ID] = true
		l.b.cities = append(l.b.cities, c)
	}
	oseen := map[string]int{}
	for i, o := range f.Offices {
		n := elem(doc, "offices", i)
		line := lineAt(doc, "offices", i)
		if !l.id(name, line, o.ID, "office", oseen) {
			continue
		}
		what := "office " + strconv.Quote(o.ID)
		if strings.TrimSpace(o.Kind) == "" {
			l.errf(name, line, "%s has no kind", what)
		}
		if !cities[o.City] {
			l.errf(name, lineOf(n, "city", line), "%s: unknown city %q (add it under cities:)", what, o.City)
		}
		l.msg(name, lineOf(n, "name", line), o.Name, what+" name", true)
		l.msg(name, lineOf(n, "address", line), o.Address, what+" address", !o.IsUnconfirmed("address"))
		l.msg(name, lineOf(n, "phone_label", line), o.PhoneLabel, what+" phone_label", false)
		if !validLatLng(o.Lat, o.Lng) {
			l.errf(name, lineOf(n, "lat", line), "%s: lat/lng %v,%v out of range or missing", what, o.Lat, o.Lng)
		}
		for j, d := range o.Districts {
			if !cities[d] {
				l.errf(name, lineAt(n, "districts", j), "%s: district %q is not a city id (add it under cities:)", what, d)
			}
		}
		if _, err := o.schedule(); err != nil {
			l.errf(name, lineOf(n, "hours", line), "%s: hours: %v", what, err)
		}
		l.fact(name, n, line, what, o.Sources, o.VerifiedOn, "", false, "")
		o.zone = l.b.settings.zone
		l.b.offices = append(l.b.offices, o)
	}
	hseen := map[string]int{}
	for i, h := range f.Hotlines {
		n := elem(doc, "hotlines", i)
		line := lineAt(doc, "hotlines", i)
		if !l.id(name, line, h.ID, "hotline", hseen) {
			continue
		}
		what := "hotline " + strconv.Quote(h.ID)
		if strings.TrimSpace(h.Number) == "" && !contains(h.Unconfirmed, "number") {
			l.errf(name, line, "%s has no number", what)
		}
		l.msg(name, lineOf(n, "what", line), h.What, what+" what", true)
		l.fact(name, n, line, what, h.Sources, h.VerifiedOn, "", false, "")
		l.b.hotlines = append(l.b.hotlines, h)
	}
}
