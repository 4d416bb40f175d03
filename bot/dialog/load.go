package dialog

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/yol-project/yol/bot/problem"
)

// Load reads every dir/*.yaml file of fsys and validates them together.
// It returns the Set and the problems found, sorted by file and line. When
// any problem is an error, the Set is nil; warnings alone leave a usable
// Set. File names in problems are fsys paths, like "dialogs/main.yaml".
func Load(fsys fs.FS, dir string) (*Set, []problem.Problem) {
	s, problems := load(fsys, dir)
	if problem.HasErrors(problems) {
		return nil, problems
	}
	return s, problems
}

// load reads and validates the files; the Set it returns may be broken.
func load(fsys fs.FS, dir string) (*Set, []problem.Problem) {
	l := newLoader()
	files, err := fs.Glob(fsys, path.Join(dir, "*.yaml"))
	if err != nil {
		l.problems = append(l.problems, problem.Problem{File: dir, Message: fmt.Sprintf("listing dialog files: %v", err)})
		return l.set, l.problems
	}
	if len(files) == 0 {
		l.problems = append(l.problems, problem.Problem{File: dir, Message: "no dialog files (*.yaml) found"})
		return l.set, l.problems
	}
	sort.Strings(files)
	l.firstFile = files[0]
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			l.problems = append(l.problems, problem.Problem{File: f, Message: fmt.Sprintf("reading: %v", err)})
			continue
		}
		l.parseFile(f, data)
	}
	l.finish()
	return l.set, l.problems
}

type place struct {
	file string
	line int
}

type commandDef struct {
	name, dialog string
	at           place
}

type loader struct {
	set       *Set
	problems  []problem.Problem
	file      string
	firstFile string

	menuAt, freeTextAt, commandsAt, messagesAt place
	commands                                   []commandDef
	usesYesNo                                  bool
	// refused is set when a file could not be read at all; checks across
	// files are then skipped, as they would only report its absence.
	refused bool
	msgSet  map[*string]bool // engine messages set in a messages: section
}

// newLoader returns a loader with an empty set and the default messages.
func newLoader() *loader {
	return &loader{set: &Set{
		dialogs:  make(map[string]*dialogDef),
		commands: make(map[string]string),
		msgs:     defaultMessages,
	}}
}

// errorAt records an error at a line of the current file.
func (l *loader) errorAt(line int, format string, args ...any) {
	l.problems = append(l.problems, problem.Problem{File: l.file, Line: line, Message: fmt.Sprintf(format, args...)})
}

// problemAt records a problem of the given severity at a place.
func (l *loader) problemAt(at place, sev problem.Severity, format string, args ...any) {
	l.problems = append(l.problems, problem.Problem{File: at.file, Line: at.line, Message: fmt.Sprintf(format, args...), Severity: sev})
}

// here returns the place of a line in the current file.
func (l *loader) here(line int) place { return place{l.file, line} }

// parseYAML parses data into a node tree. The parser is a third-party
// library; a panic in it becomes an error rather than a crash.
func parseYAML(data []byte, doc *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: the parser failed: %v", r)
		}
	}()
	return yaml.Unmarshal(data, doc)
}

// yamlErrorLine splits a yaml.v3 error like "yaml: line 3: did not find
// expected key" into its line and message.
func yamlErrorLine(err error) (int, string) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n  ")
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if num, after, ok := strings.Cut(rest, ": "); ok {
			if n, err := strconv.Atoi(num); err == nil {
				return n, after
			}
		}
	}
	return 0, msg
}

// parseFile parses one dialogs file into the loader's set, recording its
// problems. A file that is not valid YAML, is empty, uses aliases or has a
// newer spec is refused.
func (l *loader) parseFile(file string, data []byte) {
	l.file = file
	var doc yaml.Node
	if err := parseYAML(data, &doc); err != nil {
		line, msg := yamlErrorLine(err)
		l.errorAt(line, "not valid YAML: %s", msg)
		l.refused = true
		return
	}
	if len(doc.Content) == 0 {
		l.errorAt(1, "the file is empty; it needs at least \"spec: %d\"", CurrentSpec)
		l.refused = true
		return
	}
	if a := findAlias(&doc, 0); a != nil {
		l.errorAt(a.Line, "aliases (*%s) are not supported; write the value out", a.Value)
		l.refused = true
		return
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		l.errorAt(root.Line, "the file must start with \"spec: %d\" and a dialogs: section", CurrentSpec)
		l.refused = true
		return
	}
	pairs := l.pairs(root, "field")
	var spec *yaml.Node
	for _, p := range pairs {
		if p.key.Value == "spec" {
			spec = p.val
		}
	}
	switch {
	case spec == nil:
		l.errorAt(1, "spec is missing; add \"spec: %d\" as the first line", CurrentSpec)
	case spec.Kind != yaml.ScalarNode || spec.Tag != "!!int":
		l.errorAt(spec.Line, "spec must be a whole number, like \"spec: %d\"", CurrentSpec)
	default:
		v, err := strconv.Atoi(spec.Value)
		if err != nil || v > CurrentSpec {
			l.errorAt(spec.Line, "spec %s is newer than this program understands (%d); update yol", spec.Value, CurrentSpec)
			l.refused = true
			return
		}
		if v < 1 {
			l.errorAt(spec.Line, "spec %d is not a valid version; use spec: %d", v, CurrentSpec)
		}
	}
	for _, p := range pairs {
		switch p.key.Value {
		case "spec":
		case "dialogs":
			l.dialogs(p.val)
		case "commands":
			l.commandsSection(p)
		case "menu":
			l.topDialog(p, &l.set.menu, &l.menuAt)
		case "free_text":
			l.topDialog(p, &l.set.freeText, &l.freeTextAt)
		case "messages":
			l.messagesSection(p)
		default:
			l.errorAt(p.key.Line, "unknown field %q at the top of the file; known fields: spec, dialogs, commands, menu, free_text, messages", p.key.Value)
		}
	}
}

// findAlias returns the first alias node in the tree, if any.
func findAlias(n *yaml.Node, depth int) *yaml.Node {
	if n.Kind == yaml.AliasNode {
		return n
	}
	if depth > 100 {
		return nil
	}
	for _, c := range n.Content {
		if a := findAlias(c, depth+1); a != nil {
			return a
		}
	}
	return nil
}

type pair struct{ key, val *yaml.Node }

// pairs returns the key/value pairs of a mapping, reporting a value that
// is not a mapping, keys that are not plain values and duplicate keys
// (what names the keys in messages: "node", "field", ...).
func (l *loader) pairs(n *yaml.Node, what string) []pair {
	if n.Kind != yaml.MappingNode {
		if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
			l.errorAt(n.Line, "expected %s: value lines here, found nothing", what)
		} else {
			l.errorAt(n.Line, "expected %s: value lines here", what)
		}
		return nil
	}
	out := make([]pair, 0, len(n.Content)/2)
	first := make(map[string]int, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			l.errorAt(k.Line, "a %s name must be a plain word", what)
			continue
		}
		if line, dup := first[k.Value]; dup {
			l.errorAt(k.Line, "duplicate %s %q (first at line %d)", what, k.Value, line)
			continue
		}
		first[k.Value] = k.Line
		out = append(out, pair{k, v})
	}
	return out
}

// scalar returns the value of a single-value node ("" with an error if n
// is a list or mapping). A null is "" without an error.
func (l *loader) scalar(n *yaml.Node, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		l.errorAt(n.Line, "%s must be a single value, not a list or mapping", what)
		return "", false
	}
	if n.Tag == "!!null" {
		return "", true
	}
	return n.Value, true
}

// word returns a non-empty single value.
func (l *loader) word(n *yaml.Node, what string) (string, bool) {
	v, ok := l.scalar(n, what)
	if ok && v == "" {
		l.errorAt(n.Line, "%s is empty", what)
		return "", false
	}
	return v, ok
}

// isNameChar reports whether c may be in a name: a letter, digit or
// underscore, or a dash when dash is true.
func isNameChar(c byte, dash bool) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || dash && c == '-'
}

// validName reports whether s is a dialog, node or action name: letters,
// digits, _ and -.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isNameChar(s[i], true) {
			return false
		}
	}
	return true
}

// validVar reports whether s is a var name usable as template data:
// letters, digits and _.
func validVar(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isNameChar(s[i], false) {
			return false
		}
	}
	return true
}

// validMessageID reports whether s looks like a message ID rather than
// inline text: letters, digits, _ - and dots, no spaces.
func validMessageID(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isNameChar(s[i], true) && s[i] != '.' {
			return false
		}
	}
	return true
}

// validValue reports whether s is a button value key: at most MaxValue
// bytes of a-z, 0-9, _ . and -.
func validValue(s string) bool {
	if s == "" || len(s) > MaxValue {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

// messageID reads a message ID and records its use.
func (l *loader) messageID(n *yaml.Node, what string) string {
	v, ok := l.word(n, what)
	if !ok {
		return ""
	}
	if !validMessageID(v) {
		l.errorAt(n.Line, "%s %q is not a message ID; put texts in locales/ and write their ID here, like elig.q.passport", what, v)
		return ""
	}
	l.set.messages = append(l.set.messages, MessageRef{ID: v, File: l.file, Line: n.Line, Button: what == "button label"})
	return v
}

// varName reads a var name, recording an error and returning "" when n is
// not a valid one.
func (l *loader) varName(n *yaml.Node, what string) string {
	v, ok := l.word(n, what)
	if !ok {
		return ""
	}
	if !validVar(v) {
		l.errorAt(n.Line, "%s %q may only contain letters, digits and _", what, v)
		return ""
	}
	return v
}

// topDialog reads a top-level field naming a dialog (menu or free_text)
// into dst, recording where it was set; a second setting is an error.
func (l *loader) topDialog(p pair, dst *string, at *place) {
	if at.file != "" {
		l.errorAt(p.key.Line, "%s is set twice (also at %s:%d)", p.key.Value, at.file, at.line)
		return
	}
	*at = l.here(p.key.Line)
	v, ok := l.word(p.val, p.key.Value)
	if ok {
		*dst = v
		at.line = p.val.Line
	}
}

// commandsSection reads the commands section, which maps command names to
// dialogs; a second commands section is an error.
func (l *loader) commandsSection(p pair) {
	if l.commandsAt.file != "" {
		l.errorAt(p.key.Line, "commands are set twice (also at %s:%d)", l.commandsAt.file, l.commandsAt.line)
		return
	}
	l.commandsAt = l.here(p.key.Line)
	for _, c := range l.pairs(p.val, "command") {
		name := c.key.Value
		if !validCommand(name) {
			l.errorAt(c.key.Line, "command name %q may only contain a-z, 0-9 and _ (at most 32)", name)
			continue
		}
		d, ok := l.word(c.val, "command "+strconv.Quote(name))
		if !ok {
			continue
		}
		l.commands = append(l.commands, commandDef{name: name, dialog: d, at: l.here(c.val.Line)})
		l.set.commands[name] = d
	}
}

// validCommand reports whether s is a valid command name: 1 to 32 of a-z,
// 0-9 and _.
func validCommand(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// messagesSection reads the messages section, which replaces the engine's
// default message IDs; a second messages section is an error.
func (l *loader) messagesSection(p pair) {
	if l.messagesAt.file != "" {
		l.errorAt(p.key.Line, "messages are set twice (also at %s:%d)", l.messagesAt.file, l.messagesAt.line)
		return
	}
	l.messagesAt = l.here(p.key.Line)
	m := &l.set.msgs
	for _, f := range l.pairs(p.val, "message") {
		var dst *string
		switch f.key.Value {
		case "sorry":
			dst = &m.Sorry
		case "invalid_choice":
			dst = &m.InvalidChoice
		case "old_button":
			dst = &m.OldButton
		case "back":
			dst = &m.Back
		case "yes":
			dst = &m.Yes
		case "no":
			dst = &m.No
		case "unknown_command":
			dst = &m.UnknownCommand
		default:
			l.errorAt(f.key.Line, "unknown message %q in messages; known: back, invalid_choice, no, old_button, sorry, unknown_command, yes", f.key.Value)
			continue
		}
		v, ok := l.word(f.val, "message "+f.key.Value)
		if !ok {
			continue
		}
		if !validMessageID(v) {
			l.errorAt(f.val.Line, "message %s %q is not a message ID; put texts in locales/ and write their ID here", f.key.Value, v)
			continue
		}
		*dst = v
		if l.msgSet == nil {
			l.msgSet = make(map[*string]bool)
		}
		l.msgSet[dst] = true
		l.set.messages = append(l.set.messages, MessageRef{ID: v, File: l.file, Line: f.val.Line})
	}
}

// dialogs reads the dialogs section: each dialog's start and nodes.
func (l *loader) dialogs(n *yaml.Node) {
	for _, p := range l.pairs(n, "dialog") {
		name := p.key.Value
		if !validName(name) {
			l.errorAt(p.key.Line, "dialog name %q may only contain letters, digits, _ and -", name)
			continue
		}
		if prev, ok := l.set.dialogs[name]; ok {
			l.errorAt(p.key.Line, "dialog %q is defined twice (also at %s:%d)", name, prev.file, prev.line)
			continue
		}
		d := &dialogDef{name: name, file: l.file, line: p.key.Line, nodes: make(map[string]*node)}
		l.set.dialogs[name] = d
		l.set.order = append(l.set.order, d)
		for _, f := range l.pairs(p.val, "field") {
			switch f.key.Value {
			case "start":
				if v, ok := l.word(f.val, "start"); ok {
					d.startRaw, d.startLine = v, f.val.Line
				}
			case "nodes":
				for _, np := range l.pairs(f.val, "node") {
					if !validName(np.key.Value) {
						l.errorAt(np.key.Line, "node name %q may only contain letters, digits, _ and -", np.key.Value)
						continue
					}
					nd := l.node(d, np.key, np.val)
					d.nodes[nd.name] = nd
					d.order = append(d.order, nd)
				}
			default:
				l.errorAt(f.key.Line, "dialog %q has unknown field %q; known fields: start, nodes", name, f.key.Value)
			}
		}
		if len(d.order) == 0 {
			l.errorAt(d.line, "dialog %q has no nodes", name)
		}
	}
}

var kindByName = map[string]nodeKind{
	"ask": kindAsk, "say": kindSay, "action": kindAction, "branch": kindBranch,
	"call": kindCall, "set": kindSet, "end": kindEnd, "goto": kindGoto,
}

// allowedFields lists, per node kind, the fields besides the kind's own.
var allowedFields = map[nodeKind]string{
	kindAsk:    " buttons expect min max invalid save next data ",
	kindSay:    " data next ",
	kindAction: " params save next ",
	kindBranch: " ",
	kindCall:   " next ",
	kindSet:    " next ",
	kindEnd:    " ",
	kindGoto:   " ",
}

const knownFields = " ask say action branch call set end goto buttons expect min max invalid save next data params "

var expects = map[string]bool{"text": true, "number": true, "yesno": true, "date": true, "phone": true, "location": true, "contact": true}

// node reads one node of dialog d. A node has exactly one kind, and only
// the fields that kind allows; ask nodes are checked for their buttons,
// expect, min and max.
func (l *loader) node(d *dialogDef, key, val *yaml.Node) *node {
	n := &node{name: key.Value, dialog: d, line: key.Line}
	fields := l.pairs(val, "field")
	var kinds []string
	for _, f := range fields {
		if _, ok := kindByName[f.key.Value]; ok {
			kinds = append(kinds, f.key.Value)
		}
	}
	switch len(kinds) {
	case 0:
		if val.Kind == yaml.MappingNode {
			l.errorAt(n.line, "node %q has nothing to do; give it one of: ask, say, action, branch, call, set, end, goto", n.name)
		}
		return n
	case 1:
		n.kind = kindByName[kinds[0]]
	default:
		l.errorAt(n.line, "node %q has two kinds (%s and %s); split it into two nodes", n.name, kinds[0], kinds[1])
		return n
	}
	var minNode, maxNode *yaml.Node
	answerGiven := false // buttons or expect given, even if wrong
	for _, f := range fields {
		name, v := f.key.Value, f.val
		if !strings.Contains(knownFields, " "+name+" ") {
			l.errorAt(f.key.Line, "node %q has unknown field %q", n.name, name)
			continue
		}
		if name != n.kind.String() && !strings.Contains(allowedFields[n.kind], " "+name+" ") {
			l.errorAt(f.key.Line, "field %q is not allowed on a %s node (node %q)", name, n.kind, n.name)
			continue
		}
		if name == "buttons" || name == "expect" {
			answerGiven = true
		}
		switch name {
		case "ask":
			n.ask = l.messageID(v, "ask")
		case "say":
			if v.Kind == yaml.SequenceNode {
				if len(v.Content) == 0 {
					l.errorAt(v.Line, "say of node %q has no messages", n.name)
				}
				for _, m := range v.Content {
					if id := l.messageID(m, "say"); id != "" {
						n.say = append(n.say, id)
					}
				}
			} else if id := l.messageID(v, "say"); id != "" {
				n.say = []string{id}
			}
		case "action":
			if a, ok := l.word(v, "action"); ok {
				if !validName(a) {
					l.errorAt(v.Line, "action name %q may only contain letters, digits, _ and -", a)
				} else {
					n.action = a
					l.set.actions = append(l.set.actions, ActionRef{Name: a, File: l.file, Line: v.Line})
				}
			}
		case "branch":
			l.branch(n, v)
		case "call":
			if c, ok := l.word(v, "call"); ok {
				n.call = c
			}
		case "set":
			l.setField(n, v)
		case "end":
			if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" || v.Value != "true" {
				l.errorAt(v.Line, "end must be true (node %q)", n.name)
			}
		case "goto":
			n.next = l.target(v, "goto")
		case "next":
			n.next = l.target(v, "next")
		case "buttons":
			l.buttons(n, v)
		case "expect":
			if e, ok := l.word(v, "expect"); ok {
				if !expects[e] {
					l.errorAt(v.Line, "node %q expects unknown type %q; use one of text, number, yesno, date, phone, location, contact", n.name, e)
				} else {
					n.expect = e
				}
			}
		case "min":
			n.min, n.hasMin = l.number(v, "min")
			minNode = v
		case "max":
			n.max, n.hasMax = l.number(v, "max")
			maxNode = v
		case "invalid":
			n.invalid = l.messageID(v, "invalid")
		case "save":
			n.save = l.varName(v, "save")
		case "data":
			n.data = l.stringMap(v, "data")
		case "params":
			n.params = l.stringMap(v, "params")
		}
	}
	if n.kind == kindAsk {
		switch {
		case len(n.buttons) == 0 && n.expect == "" && !answerGiven:
			l.errorAt(n.line, "ask node %q needs buttons or expect", n.name)
		case len(n.buttons) > 0 && n.expect == "yesno":
			l.errorAt(n.line, "a yesno question gets its yes and no buttons automatically; remove buttons from node %q", n.name)
		}
		if (minNode != nil || maxNode != nil) && n.expect != "number" {
			l.errorAt(n.line, "min and max only work with expect: number (node %q)", n.name)
		}
		if n.hasMin && n.hasMax && n.min > n.max {
			l.errorAt(maxNode.Line, "max %v is less than min %v (node %q)", n.max, n.min, n.name)
		}
		if n.expect == "yesno" {
			l.usesYesNo = true
		}
		if n.expect != "" && n.invalid == "" {
			n.invalid = "common.invalid." + n.expect
			l.set.messages = append(l.set.messages, MessageRef{ID: n.invalid, File: l.file, Line: n.line})
		}
		n.allButtons = len(n.buttons) > 0 && n.expect == ""
		for _, b := range n.buttons {
			if !b.next.set() {
				n.allButtons = false
			}
		}
	}
	return n
}

// number reads a YAML number, recording an error when n is not one.
func (l *loader) number(n *yaml.Node, what string) (float64, bool) {
	if n.Kind == yaml.ScalarNode && (n.Tag == "!!int" || n.Tag == "!!float") {
		if f, err := strconv.ParseFloat(n.Value, 64); err == nil {
			return f, true
		}
	}
	l.errorAt(n.Line, "%s must be a number", what)
	return 0, false
}

// target reads a destination (next or goto), to be resolved once all
// dialogs are loaded.
func (l *loader) target(n *yaml.Node, what string) target {
	v, ok := l.word(n, what)
	if !ok {
		return target{}
	}
	return target{raw: v, line: n.Line}
}

// stringMap reads a map of strings (data or params); it returns nil when
// the map is empty.
func (l *loader) stringMap(n *yaml.Node, what string) map[string]string {
	pairs := l.pairs(n, what)
	if len(pairs) == 0 {
		return nil
	}
	m := make(map[string]string, len(pairs))
	for _, p := range pairs {
		if v, ok := l.scalar(p.val, what+" "+strconv.Quote(p.key.Value)); ok {
			m[p.key.Value] = v
		}
	}
	return m
}

// setField reads the set field of a set node: the key and value to set.
func (l *loader) setField(n *node, v *yaml.Node) {
	var hasKey bool
	for _, f := range l.pairs(v, "field") {
		switch f.key.Value {
		case "key":
			n.setKey = l.varName(f.val, "set key")
			hasKey = true
		case "value":
			n.setValue, _ = l.scalar(f.val, "set value")
		default:
			l.errorAt(f.key.Line, "set of node %q has unknown field %q; known fields: key, value", n.name, f.key.Value)
		}
	}
	if !hasKey && v.Kind == yaml.MappingNode {
		l.errorAt(v.Line, "set of node %q needs a key", n.name)
	}
}

// buttons reads the buttons of an ask node, checking that each has a
// valid, unique value and a label.
func (l *loader) buttons(n *node, v *yaml.Node) {
	if v.Kind != yaml.SequenceNode {
		l.errorAt(v.Line, "buttons of node %q must be a list", n.name)
		return
	}
	if len(v.Content) == 0 {
		l.errorAt(v.Line, "buttons of node %q is an empty list", n.name)
	}
	seen := make(map[string]int)
	for _, item := range v.Content {
		b := button{line: item.Line}
		for _, f := range l.pairs(item, "field") {
			switch f.key.Value {
			case "value":
				b.Value, _ = l.word(f.val, "button value")
			case "label":
				b.Label = l.messageID(f.val, "button label")
			case "next":
				b.next = l.target(f.val, "next")
			default:
				l.errorAt(f.key.Line, "button of node %q has unknown field %q; known fields: value, label, next", n.name, f.key.Value)
			}
		}
		if item.Kind != yaml.MappingNode {
			continue
		}
		switch {
		case b.Value == "":
			l.errorAt(b.line, "button of node %q needs a value", n.name)
			continue
		case b.Value == BackValue:
			l.errorAt(b.line, "button value %q is reserved for the Back button (node %q)", b.Value, n.name)
		case len(b.Value) > MaxValue:
			l.errorAt(b.line, "button value %q is longer than %d bytes (node %q)", b.Value, MaxValue, n.name)
		case !validValue(b.Value):
			l.errorAt(b.line, "button value %q may only contain a-z, 0-9, _ . and - (node %q)", b.Value, n.name)
		}
		if b.Label == "" {
			l.errorAt(b.line, "button %q of node %q needs a label", b.Value, n.name)
		}
		if first, dup := seen[b.Value]; dup {
			l.errorAt(b.line, "node %q has two buttons with value %q (first at line %d)", n.name, b.Value, first)
			continue
		}
		seen[b.Value] = b.line
		n.buttons = append(n.buttons, b)
	}
}

// branch reads the cases of a branch node: each an if or an else with a
// goto, the else last and required.
func (l *loader) branch(n *node, v *yaml.Node) {
	if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
		l.errorAt(v.Line, "branch of node %q must be a list of cases (- if: ... goto: ...)", n.name)
		return
	}
	for i, item := range v.Content {
		c := branchCase{line: item.Line}
		var hasIf, hasElse, hasGoto bool
		for _, f := range l.pairs(item, "field") {
			switch f.key.Value {
			case "if":
				hasIf = true
				c.cond = l.cond(f.val, 0)
			case "else":
				hasElse = true
				if f.val.Kind != yaml.ScalarNode || f.val.Tag != "!!bool" || f.val.Value != "true" {
					l.errorAt(f.val.Line, "else must be true (node %q)", n.name)
				}
			case "goto":
				hasGoto = true
				c.to = l.target(f.val, "goto")
			default:
				l.errorAt(f.key.Line, "branch case of node %q has unknown field %q; known fields: if, else, goto", n.name, f.key.Value)
			}
		}
		if item.Kind != yaml.MappingNode {
			continue
		}
		switch {
		case hasIf && hasElse:
			l.errorAt(c.line, "branch case of node %q has both if and else", n.name)
		case !hasIf && !hasElse:
			l.errorAt(c.line, "branch case of node %q needs if: or else: true", n.name)
		case hasElse && i != len(v.Content)-1:
			l.errorAt(c.line, "else must be the last case of the branch of node %q", n.name)
		}
		if !hasGoto {
			l.errorAt(c.line, "branch case of node %q needs goto", n.name)
		}
		c.isElse = hasElse && !hasIf
		n.branch = append(n.branch, c)
	}
	hasElse := false
	for _, c := range n.branch {
		hasElse = hasElse || c.isElse
	}
	if !hasElse {
		l.errorAt(v.Line, "branch of node %q has no else; end it with \"- else: true\" and a goto", n.name)
	}
}

var condOps = map[string]condOp{"eq": opEq, "ne": opNe, "in": opIn, "set": opSet, "gt": opGt, "gte": opGte, "lt": opLt, "lte": opLte, "all": opAll, "any": opAny}

const condHelp = "a condition needs var: and one test (eq, ne, in, set, gt, gte, lt, lte), or all: or any: with a list of conditions"

// cond reads a condition: a var with one test, or all or any of a list of
// conditions, nested at most 10 deep.
func (l *loader) cond(v *yaml.Node, depth int) *cond {
	c := &cond{line: v.Line}
	if depth > 10 {
		l.errorAt(v.Line, "conditions are nested too deeply")
		return c
	}
	var opNode *yaml.Node
	hasVar := false
	for _, f := range l.pairs(v, "field") {
		name := f.key.Value
		if name == "var" {
			c.v = l.varName(f.val, "var")
			hasVar = true
			continue
		}
		op, ok := condOps[name]
		if !ok {
			l.errorAt(f.key.Line, "unknown condition field %q; %s", name, condHelp)
			continue
		}
		if c.op != 0 {
			l.errorAt(f.key.Line, "a condition has two tests (%s and %s); combine them with all:", opNames[c.op], name)
			continue
		}
		c.op, opNode = op, f.val
	}
	if v.Kind != yaml.MappingNode {
		return c
	}
	switch {
	case c.op == 0:
		l.errorAt(v.Line, "%s", condHelp)
		return c
	case (c.op == opAll || c.op == opAny) && hasVar:
		l.errorAt(v.Line, "%s cannot be used with var", opNames[c.op])
		return c
	case c.op != opAll && c.op != opAny && !hasVar:
		l.errorAt(v.Line, "the %s test needs a var", opNames[c.op])
		return c
	}
	switch c.op {
	case opEq, opNe:
		c.arg, _ = l.scalar(opNode, opNames[c.op])
	case opIn:
		if opNode.Kind != yaml.SequenceNode || len(opNode.Content) == 0 {
			l.errorAt(opNode.Line, "in needs a list of values, like in: [a, b]")
			break
		}
		for _, e := range opNode.Content {
			if s, ok := l.scalar(e, "in value"); ok {
				c.args = append(c.args, s)
			}
		}
	case opSet:
		if opNode.Kind != yaml.ScalarNode || opNode.Tag != "!!bool" {
			l.errorAt(opNode.Line, "set must be true or false")
			break
		}
		c.flag = opNode.Value == "true"
	case opGt, opGte, opLt, opLte:
		c.num, _ = l.number(opNode, opNames[c.op])
	case opAll, opAny:
		if opNode.Kind != yaml.SequenceNode || len(opNode.Content) == 0 {
			l.errorAt(opNode.Line, "%s needs a list of conditions", opNames[c.op])
			break
		}
		for _, e := range opNode.Content {
			c.sub = append(c.sub, l.cond(e, depth+1))
		}
	}
	return c
}
