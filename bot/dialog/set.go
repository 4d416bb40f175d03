package dialog

import "sort"

// CurrentSpec is the newest dialog file format this program understands.
// A file with a higher spec is refused.
const CurrentSpec = 1

// Limits that protect people from mistakes in content.
const (
	MaxSteps   = 100 // nodes visited for one input before the engine gives up
	MaxDepth   = 10  // dialogs on the call stack
	MaxBack    = 10  // questions remembered per dialog for the Back button
	MaxValue   = 40  // bytes in a button value key
	MaxPayload = 64  // bytes in a /start payload
)

// MessageRef is one use of a go-i18n message ID in the content.
type MessageRef struct {
	ID     string
	File   string
	Line   int
	Button bool // the label of a button (shown in little space)
}

// ActionRef is one use of a named action in the content.
type ActionRef struct {
	Name string
	File string
	Line int
}

// Messages names the message IDs the engine itself uses; the `messages:`
// section of a dialog file overrides them.
type Messages struct {
	Sorry          string // apology before going back to the menu after a content error
	InvalidChoice  string // hint before re-asking when a button question gets typed text or a location
	OldButton      string // note before re-asking when an answer button of an earlier question is pressed
	Back           string // label of the Back button
	Yes            string // label of the yes button of a yesno question
	No             string // label of the no button of a yesno question
	UnknownCommand string // hint when a command has no dialog
}

// defaultMessages are the engine's message IDs when no file overrides them.
var defaultMessages = Messages{
	Sorry:          "common.sorry_back_to_menu",
	InvalidChoice:  "common.invalid.choice",
	OldButton:      "common.invalid.old_button",
	Back:           "common.back",
	Yes:            "common.yes",
	No:             "common.no",
	UnknownCommand: "common.unknown_command",
}

// Set is a loaded, validated set of dialogs. It is immutable and safe for
// concurrent use.
type Set struct {
	dialogs   map[string]*dialogDef
	order     []*dialogDef // by file and line
	commands  map[string]string
	menu      string
	freeText  string
	msgs      Messages
	yesNo     []Button
	yesNoBack []Button
	backOnly  []Button
	messages  []MessageRef
	actions   []ActionRef
}

// Dialogs returns the names of all dialogs, in file order.
func (s *Set) Dialogs() []string {
	names := make([]string, len(s.order))
	for i, d := range s.order {
		names[i] = d.name
	}
	return names
}

// Commands returns the global commands and the dialogs they start, sorted
// by command name ("menu" and "start" are always present).
func (s *Set) Commands() [][2]string {
	out := make([][2]string, 0, len(s.commands)+2)
	for c, d := range s.commands {
		out = append(out, [2]string{c, d})
	}
	for _, c := range []string{"menu", "start"} {
		if _, ok := s.commands[c]; !ok {
			out = append(out, [2]string{c, s.menu})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// Menu returns the name of the menu dialog.
func (s *Set) Menu() string { return s.menu }

// Messages returns the engine's message IDs.
func (s *Set) Messages() Messages { return s.msgs }

// MessageIDs returns every use of a message ID in the content, including
// the engine's own messages and the default "invalid answer" hints, sorted
// by file and line, so a checker can verify each exists in every language.
func (s *Set) MessageIDs() []MessageRef {
	return append([]MessageRef(nil), s.messages...)
}

// Actions returns every use of a named action, sorted by file and line, so
// the host can check it provides each one.
func (s *Set) Actions() []ActionRef {
	return append([]ActionRef(nil), s.actions...)
}

type nodeKind uint8

const (
	kindNone nodeKind = iota
	kindAsk
	kindSay
	kindAction
	kindBranch
	kindCall
	kindSet
	kindEnd
	kindGoto
)

var kindNames = [...]string{"", "ask", "say", "action", "branch", "call", "set", "end", "goto"}

// String returns the kind's name as written in dialogs files.
func (k nodeKind) String() string { return kindNames[k] }

type dialogDef struct {
	name  string
	file  string
	line  int
	start *node
	nodes map[string]*node
	order []*node // by line
	// startRaw and startLine locate the start: field, if any.
	startRaw  string
	startLine int
}

// target is a resolved destination: a node, possibly in another dialog.
type target struct {
	raw  string
	line int
	node *node // nil until resolved, or when unknown
}

// set reports whether the target was given.
func (t target) set() bool { return t.raw != "" }

type button struct {
	Button
	line int
	next target
}

type branchCase struct {
	line   int
	cond   *cond // nil for else
	isElse bool
	to     target
}

type condOp uint8

const (
	opEq condOp = iota + 1
	opNe
	opIn
	opSet
	opGt
	opGte
	opLt
	opLte
	opAll
	opAny
)

var opNames = [...]string{"", "eq", "ne", "in", "set", "gt", "gte", "lt", "lte", "all", "any"}

type cond struct {
	line int
	op   condOp
	v    string // var name
	arg  string
	args []string
	num  float64
	flag bool
	sub  []*cond
}

type node struct {
	name   string
	dialog *dialogDef
	line   int
	kind   nodeKind

	// ask
	ask        string
	expect     string
	buttons    []button
	shown      []Button // buttons as shown
	shownBack  []Button // buttons as shown with Back
	hasMin     bool
	hasMax     bool
	min, max   float64
	invalid    string // hint when a typed answer is invalid
	allButtons bool   // every button has its own next

	save string // ask, action

	say  []string
	data map[string]string // say, ask

	action string
	params map[string]string

	branch []branchCase

	call   string
	callee *dialogDef

	setKey, setValue string

	next target // ask, say, action, call, set; goto target for goto nodes
}
