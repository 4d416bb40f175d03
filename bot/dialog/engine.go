package dialog

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Names of the vars the engine itself sets.
const (
	VarCampaign = "campaign"  // the /start payload, when it is a valid campaign code
	VarFreeText = "free_text" // the question a person typed, for the free_text dialog
)

// JourneyResult begins an action result that sends the person on to a
// journey: "journey:office" is handled as if the person had sent /office
// (the stack is cleared and the command's dialog starts). Free-text help
// uses it for a clear intent.
const JourneyResult = "journey:"

// Start begins a conversation: like Resume with an Input of kind
// InputStart (whatever in.Kind says), so in.Payload may carry a /start
// payload. The stack is cleared; vars are kept.
func (s *Set) Start(sess *Session, in Input, events []Event) []Event {
	in.Kind = InputStart
	return s.Resume(sess, in, events)
}

// Resume applies one input to the session, updates the session in place
// and appends the resulting events to events, which it returns. It never
// panics and, for any input, leaves the session waiting for an answer, for
// an action result, or ended after the menu dialog ended.
//
// How each input is handled:
//   - InputStart, and InputCommand "start": a valid Payload is saved in
//     var campaign; then the start command's dialog (or the menu) starts.
//   - InputCommand: the stack is cleared and the command's dialog starts.
//     An unknown command says the unknown-command hint and re-asks.
//   - On an ended conversation, anything else starts the menu.
//   - While waiting for an action result: InputActionResult's Value is the
//     result (a JourneyResult starts that command's dialog instead); any
//     other input counts as the result "error" and is otherwise dropped.
//   - While waiting for an answer: see FORMAT.md ("How answers are read").
func (s *Set) Resume(sess *Session, in Input, events []Event) []Event {
	r := runner{set: s, sess: sess, ev: events}
	r.input(in)
	return r.ev
}

type runner struct {
	set        *Set
	sess       *Session
	ev         []Event
	steps      int
	recovering bool
}

// emit records an event for the caller.
func (r *runner) emit(e Event) { r.ev = append(r.ev, e) }

// top returns the frame on top of the dialog stack.
func (r *runner) top() *Frame { return &r.sess.Stack[len(r.sess.Stack)-1] }

// lookup finds the node a frame is at, or nil.
func (r *runner) lookup(f *Frame) *node {
	d := r.set.dialogs[f.Dialog]
	if d == nil {
		return nil
	}
	return d.nodes[f.Node]
}

// input handles one input: a command, an action's result or an answer to
// the question the conversation waits on. A conversation whose state no
// longer fits the dialogs fails.
func (r *runner) input(in Input) {
	switch in.Kind {
	case InputStart:
		r.command("start", in.Payload)
		return
	case InputCommand:
		r.command(in.Value, in.Payload)
		return
	}
	sess := r.sess
	if len(sess.Stack) == 0 {
		sess.Wait = WaitNone
		r.startDialog(r.set.menu)
		return
	}
	f := r.top()
	n := r.lookup(f)
	switch {
	case len(sess.Stack) > MaxDepth:
		r.fail(f.Dialog, f.Node, fmt.Sprintf("the conversation had more than %d dialogs on its stack", MaxDepth))
	case n == nil:
		r.fail(f.Dialog, f.Node, fmt.Sprintf("the conversation was at node %q of dialog %q, which no longer exists", f.Node, f.Dialog))
	case sess.Wait == WaitAction && n.kind == kindAction:
		result := "error"
		if in.Kind == InputActionResult {
			if command, ok := strings.CutPrefix(in.Value, JourneyResult); ok {
				// The action sends the person on to a journey, as if they
				// had sent its command.
				r.command(command, "")
				return
			}
			result = in.Value
		}
		if n.save != "" {
			r.setVar(n.save, result, n)
		}
		r.next(n, n.next.node)
	case sess.Wait == WaitAnswer && n.kind == kindAsk:
		r.answer(f, n, in)
	default:
		r.fail(f.Dialog, f.Node, fmt.Sprintf("the conversation was waiting for %q at node %q of dialog %q, which is now a %s node", sess.Wait, f.Node, f.Dialog, n.kind))
	}
}

// validPayload reports whether a /start payload is a campaign code.
func validPayload(p string) bool {
	if p == "" || len(p) > MaxPayload {
		return false
	}
	for i := 0; i < len(p); i++ {
		if !isNameChar(p[i], true) {
			return false
		}
	}
	return true
}

// command starts the dialog of a command afresh (start and menu fall back
// to the menu). An unknown command is answered as such; then the question
// the conversation waits on is asked again, or else the menu starts.
func (r *runner) command(name, payload string) {
	if name == "start" && validPayload(payload) {
		r.setVar(VarCampaign, payload, nil)
	}
	d, ok := r.set.commands[name]
	if !ok && (name == "start" || name == "menu") {
		d, ok = r.set.menu, true
	}
	if !ok {
		r.emit(Event{Type: EventSay, MessageID: r.set.msgs.UnknownCommand})
		if r.sess.Wait == WaitAnswer && len(r.sess.Stack) > 0 && len(r.sess.Stack) <= MaxDepth {
			if n := r.lookup(r.top()); n != nil && n.kind == kindAsk {
				r.ask(n)
				return
			}
		}
		d = r.set.menu
	}
	r.sess.Stack = r.sess.Stack[:0]
	r.sess.Wait = WaitNone
	r.startDialog(d)
}

// startDialog pushes a frame for dialog name and runs it.
func (r *runner) startDialog(name string) {
	d := r.set.dialogs[name]
	if d == nil || d.start == nil {
		r.fail(name, "", fmt.Sprintf("dialog %q does not exist", name))
		return
	}
	r.sess.Stack = append(r.sess.Stack, Frame{Dialog: d.name, Node: d.start.name})
	r.run(d.start)
}

// fail reports a content error, apologises and starts the menu. If the
// menu itself fails, the conversation ends.
func (r *runner) fail(dialog, node, msg string) {
	r.emit(Event{Type: EventContentError, Dialog: dialog, Node: node, Err: msg})
	r.emit(Event{Type: EventSay, MessageID: r.set.msgs.Sorry})
	clear(r.sess.Stack)
	r.sess.Stack = r.sess.Stack[:0]
	r.sess.Wait = WaitNone
	if r.recovering {
		r.emit(Event{Type: EventEnd, Dialog: dialog, Node: node})
		return
	}
	r.recovering = true
	r.steps = 0
	r.startDialog(r.set.menu)
}

// move makes to the current node: in the same frame when it is in the same
// dialog, else replacing the frame (goto).
func (r *runner) move(to *node) {
	f := r.top()
	if f.Dialog == to.dialog.name {
		f.Node = to.name
		return
	}
	*f = Frame{Dialog: to.dialog.name, Node: to.name}
}

// next moves on from n to to and runs from there.
func (r *runner) next(n, to *node) {
	if to == nil {
		r.fail(n.dialog.name, n.name, fmt.Sprintf("node %q has nowhere to go", n.name))
		return
	}
	r.move(to)
	r.run(to)
}

// setVar sets a session var (an empty value deletes it) and emits the
// change; at is the node that set it, if any.
func (r *runner) setVar(key, value string, at *node) {
	e := Event{Type: EventSet, Key: key, Value: value}
	if at != nil {
		e.Dialog, e.Node = at.dialog.name, at.name
	}
	if value == "" {
		delete(r.sess.Vars, key)
	} else {
		if r.sess.Vars == nil {
			r.sess.Vars = make(map[string]string, 8)
		}
		r.sess.Vars[key] = value
	}
	r.emit(e)
}

// ask asks node n's question, with the Back button when the frame has
// somewhere to go back to, and waits for the answer.
func (r *runner) ask(n *node) {
	buttons := n.shown
	if len(r.top().Back) > 0 {
		buttons = n.shownBack
	}
	r.sess.Wait = WaitAnswer
	r.emit(Event{Type: EventAsk, Dialog: n.dialog.name, Node: n.name, MessageID: n.ask, Data: n.data, Buttons: buttons, Expect: n.expect})
}

// run executes nodes from n (the current node) until one waits.
func (r *runner) run(n *node) {
	for {
		r.steps++
		if r.steps > MaxSteps {
			r.fail(n.dialog.name, n.name, fmt.Sprintf("more than %d steps without a question (a loop?) at node %q", MaxSteps, n.name))
			return
		}
		var to *node
		switch n.kind {
		case kindAsk:
			r.ask(n)
			return
		case kindAction:
			r.sess.Wait = WaitAction
			r.emit(Event{Type: EventAction, Dialog: n.dialog.name, Node: n.name, Action: n.action, Params: n.params})
			return
		case kindSay:
			for _, id := range n.say {
				r.emit(Event{Type: EventSay, Dialog: n.dialog.name, Node: n.name, MessageID: id, Data: n.data})
			}
			to = n.next.node
		case kindSet:
			r.setVar(n.setKey, n.setValue, n)
			to = n.next.node
		case kindGoto:
			to = n.next.node
		case kindBranch:
			to = r.choose(n)
		case kindCall:
			c := n.callee
			switch {
			case c == nil || c.start == nil:
				r.fail(n.dialog.name, n.name, fmt.Sprintf("node %q calls dialog %q, which does not exist", n.name, n.call))
				return
			case len(r.sess.Stack) >= MaxDepth:
				r.fail(n.dialog.name, n.name, fmt.Sprintf("calls nested more than %d deep at node %q", MaxDepth, n.name))
				return
			}
			r.sess.Stack = append(r.sess.Stack, Frame{Dialog: c.name, Node: c.start.name})
			n = c.start
			continue
		case kindEnd:
			r.emit(Event{Type: EventEnd, Dialog: n.dialog.name, Node: n.name})
			r.sess.Stack[len(r.sess.Stack)-1] = Frame{}
			r.sess.Stack = r.sess.Stack[:len(r.sess.Stack)-1]
			if len(r.sess.Stack) == 0 {
				if n.dialog.name == r.set.menu {
					r.sess.Wait = WaitNone
					return
				}
				r.startDialog(r.set.menu)
				return
			}
			f := r.top()
			caller := r.lookup(f)
			switch {
			case caller == nil:
				r.fail(f.Dialog, f.Node, fmt.Sprintf("returned to node %q of dialog %q, which no longer exists", f.Node, f.Dialog))
				return
			case caller.kind == kindAsk:
				// Back from the free_text dialog: ask again.
				r.ask(caller)
				return
			case caller.kind != kindCall:
				r.fail(f.Dialog, f.Node, fmt.Sprintf("returned to node %q of dialog %q, which is not a call", f.Node, f.Dialog))
				return
			}
			n, to = caller, caller.next.node
		default:
			r.fail(n.dialog.name, n.name, fmt.Sprintf("node %q has nothing to do", n.name))
			return
		}
		if to == nil {
			r.fail(n.dialog.name, n.name, fmt.Sprintf("node %q has nowhere to go", n.name))
			return
		}
		r.move(to)
		n = to
	}
}

// choose returns where a branch node goes: the first case whose condition
// holds.
func (r *runner) choose(n *node) *node {
	for i := range n.branch {
		c := &n.branch[i]
		if c.isElse || c.cond != nil && r.eval(c.cond) {
			return c.to.node
		}
	}
	return nil
}

// eval reports whether condition c holds for the session vars.
func (r *runner) eval(c *cond) bool {
	v, has := r.sess.Vars[c.v]
	switch c.op {
	case opEq:
		return v == c.arg
	case opNe:
		return v != c.arg
	case opIn:
		return slices.Contains(c.args, v)
	case opSet:
		return (has && v != "") == c.flag
	case opGt, opGte, opLt, opLte:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return false
		}
		switch c.op {
		case opGt:
			return f > c.num
		case opGte:
			return f >= c.num
		case opLt:
			return f < c.num
		default:
			return f <= c.num
		}
	case opAll:
		for _, s := range c.sub {
			if !r.eval(s) {
				return false
			}
		}
		return true
	case opAny:
		for _, s := range c.sub {
			if r.eval(s) {
				return true
			}
		}
		return false
	}
	return false
}

// answer handles an input to question n.
func (r *runner) answer(f *Frame, n *node, in Input) {
	if in.Kind == InputButton && in.Value == BackValue {
		if k := len(f.Back); k > 0 {
			prev := f.Back[k-1]
			f.Back = f.Back[:k-1]
			if p := n.dialog.nodes[prev]; p != nil && p.kind == kindAsk {
				f.Node = p.name
				r.ask(p)
				return
			}
		}
		r.ask(n)
		return
	}
	if in.Kind == InputActionResult {
		// A late result of an action that no longer waits: the person is
		// not at fault, so ask again without a hint.
		r.ask(n)
		return
	}
	value, to, ok := r.accept(n, in)
	if ok {
		pushBack(f, n.name)
		if n.save != "" {
			r.setVar(n.save, value, n)
		}
		r.next(n, to)
		return
	}
	if ft := r.set.freeText; in.Kind == InputText && ft != "" && looksLikeQuestion(in.Text) && !r.inStack(ft) && len(r.sess.Stack) < MaxDepth {
		if d := r.set.dialogs[ft]; d != nil && d.start != nil {
			r.setVar(VarFreeText, in.Text, n)
			r.sess.Stack = append(r.sess.Stack, Frame{Dialog: d.name, Node: d.start.name})
			r.run(d.start)
			return
		}
	}
	if in.Kind == InputButton {
		// A button of an earlier message. A way somewhere (a button of
		// the menu, or the menu itself) still works; an answer to an
		// earlier question gets a short note and the question again.
		if r.navigate(in) {
			return
		}
		r.emit(Event{Type: EventSay, Dialog: n.dialog.name, Node: n.name, MessageID: r.set.msgs.OldButton})
		r.ask(n)
		return
	}
	hint := n.invalid
	if hint == "" {
		hint = r.set.msgs.InvalidChoice
	}
	r.emit(Event{Type: EventSay, Dialog: n.dialog.name, Node: n.name, MessageID: hint})
	r.ask(n)
}

// MenuValue is the value of a "main menu" button: pressed on any old
// message, it opens the menu.
const MenuValue = "menu"

// navigate handles a button pressed on an old message that the current
// question does not offer: the menu button, or a button of the menu's
// question, leaves what the person was doing and goes there, as if pressed
// in the menu. It reports whether it did.
func (r *runner) navigate(in Input) bool {
	d := r.set.dialogs[r.set.menu]
	if d == nil || d.start == nil || d.start.kind != kindAsk {
		return false
	}
	if in.Value == MenuValue {
		r.sess.Stack = r.sess.Stack[:0]
		r.sess.Wait = WaitNone
		r.startDialog(d.name)
		return true
	}
	for i := range d.start.buttons {
		if d.start.buttons[i].Value == in.Value {
			r.sess.Stack = append(r.sess.Stack[:0], Frame{Dialog: d.name, Node: d.start.name})
			r.answer(&r.sess.Stack[0], d.start, in)
			return true
		}
	}
	return false
}

// inStack reports whether the named dialog is on the stack.
func (r *runner) inStack(dialog string) bool {
	for i := range r.sess.Stack {
		if r.sess.Stack[i].Dialog == dialog {
			return true
		}
	}
	return false
}

// pushBack remembers question name for the Back button.
func pushBack(f *Frame, name string) {
	if k := len(f.Back); k > 0 && f.Back[k-1] == name {
		return
	}
	if len(f.Back) >= MaxBack {
		k := copy(f.Back, f.Back[len(f.Back)-MaxBack+1:])
		f.Back = f.Back[:k]
	}
	f.Back = append(f.Back, name)
}

// accept reads an answer to question n: the value to save and where to go.
func (r *runner) accept(n *node, in Input) (string, *node, bool) {
	switch in.Kind {
	case InputButton:
		for i := range n.buttons {
			if b := &n.buttons[i]; b.Value == in.Value {
				if b.next.node != nil {
					return b.Value, b.next.node, true
				}
				return b.Value, n.next.node, true
			}
		}
		if n.expect == "yesno" {
			for _, b := range r.set.yesNo {
				if b.Value == in.Value {
					return b.Value, n.next.node, true
				}
			}
		}
	case InputText:
		var v string
		ok := false
		switch n.expect {
		case "text":
			v, ok = trimText(in.Text)
		case "number":
			v, ok = parseNumber(in.Text, n)
		case "date":
			v, ok = parseDate(in.Text)
		case "phone":
			v, ok = parsePhone(in.Text)
		}
		if ok {
			return v, n.next.node, true
		}
	case InputLocation:
		if n.expect == "location" {
			if v, ok := formatLocation(in.Lat, in.Lng); ok {
				return v, n.next.node, true
			}
		}
	case InputContact:
		if n.expect == "contact" {
			if v, ok := parsePhone(in.Phone); ok {
				return v, n.next.node, true
			}
			if v, ok := trimText(in.Phone); ok {
				return v, n.next.node, true
			}
		}
	}
	return "", nil, false
}
