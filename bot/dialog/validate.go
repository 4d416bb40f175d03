package dialog

import (
	"slices"
	"sort"
	"strings"

	"github.com/yol-project/yol/bot/problem"
)

// finish resolves names across files and checks the set as a whole.
func (l *loader) finish() {
	s := l.set
	if l.refused {
		l.sortAll()
		return
	}
	for _, d := range s.order {
		l.file = d.file
		if d.startRaw != "" && len(d.order) > 0 {
			d.start = d.nodes[d.startRaw]
			if d.start == nil {
				l.errorAt(d.startLine, "dialog %q starts at unknown node %q", d.name, d.startRaw)
			}
		} else if len(d.order) > 0 {
			d.start = d.order[0]
		}
	}
	for _, d := range s.order {
		l.file = d.file
		for _, n := range d.order {
			l.resolveNode(n)
		}
	}
	l.checkTop()
	l.checkDeadEnds()
	l.checkReachable()
	l.checkLoops()
	if s.dialogs[s.menu] != nil {
		l.checkUnused()
	}
	l.engineMessages()
	l.buildButtons()
	l.sortAll()
}

// sortAll sorts the set's message and action references and the problems
// by place.
func (l *loader) sortAll() {
	s := l.set

	sort.SliceStable(s.messages, func(i, j int) bool {
		return refLess(s.messages[i].File, s.messages[i].Line, s.messages[j].File, s.messages[j].Line)
	})
	sort.SliceStable(s.actions, func(i, j int) bool {
		return refLess(s.actions[i].File, s.actions[i].Line, s.actions[j].File, s.actions[j].Line)
	})
	sortProblems(l.problems)
}

// sortProblems sorts problems by file, line and message.
func sortProblems(ps []problem.Problem) { slices.SortStableFunc(ps, problem.Compare) }

// refLess reports whether place f1:l1 comes before f2:l2.
func refLess(f1 string, l1 int, f2 string, l2 int) bool {
	if f1 != f2 {
		return f1 < f2
	}
	return l1 < l2
}

// resolve finds the node a target names: a node of dialog d, another
// dialog (its start) or "dialog.node".
func (l *loader) resolve(d *dialogDef, from *node, t *target) {
	if !t.set() {
		return
	}
	if dn, nn, ok := strings.Cut(t.raw, "."); ok {
		other := l.set.dialogs[dn]
		switch {
		case other == nil:
			l.errorAt(t.line, "node %q goes to unknown dialog %q", from.name, dn)
		case other.nodes[nn] == nil:
			l.errorAt(t.line, "node %q goes to unknown node %q in dialog %q", from.name, nn, dn)
		default:
			t.node = other.nodes[nn]
		}
		return
	}
	if n := d.nodes[t.raw]; n != nil {
		t.node = n
		return
	}
	if other := l.set.dialogs[t.raw]; other != nil {
		t.node = other.start
		if other.start == nil {
			l.errorAt(t.line, "node %q goes to dialog %q, which has no start node", from.name, t.raw)
		}
		return
	}
	l.errorAt(t.line, "node %q goes to unknown node %q", from.name, t.raw)
}

// resolveNode resolves node n's targets and the dialog it calls.
func (l *loader) resolveNode(n *node) {
	d := n.dialog
	l.resolve(d, n, &n.next)
	for i := range n.buttons {
		l.resolve(d, n, &n.buttons[i].next)
	}
	for i := range n.branch {
		l.resolve(d, n, &n.branch[i].to)
	}
	if n.kind == kindCall && n.call != "" {
		n.callee = l.set.dialogs[n.call]
		if n.callee == nil {
			l.errorAt(n.line, "node %q calls unknown dialog %q", n.name, n.call)
		}
	}
}

// checkTop checks that the menu, free_text and commands go to dialogs that
// exist, and that there is a menu.
func (l *loader) checkTop() {
	s := l.set
	if s.menu == "" {
		at := place{l.firstFile, 1}
		if l.commandsAt.file != "" {
			at = l.commandsAt
		}
		if l.menuAt.file == "" {
			l.problemAt(at, problem.Error, "no menu: add \"menu: <dialog>\" to one file (the dialog people return to when a dialog ends)")
		}
	} else if s.dialogs[s.menu] == nil {
		l.problemAt(l.menuAt, problem.Error, "menu goes to unknown dialog %q", s.menu)
	}
	if s.freeText != "" && s.dialogs[s.freeText] == nil {
		l.problemAt(l.freeTextAt, problem.Error, "free_text goes to unknown dialog %q", s.freeText)
	}
	for _, c := range l.commands {
		if s.dialogs[c.dialog] == nil {
			l.problemAt(c.at, problem.Error, "command %q goes to unknown dialog %q", c.name, c.dialog)
		}
	}
}

// checkDeadEnds reports nodes that have no next and do not end their
// dialog.
func (l *loader) checkDeadEnds() {
	for _, d := range l.set.order {
		l.file = d.file
		for _, n := range d.order {
			switch n.kind {
			case kindAsk, kindSay, kindAction, kindCall, kindSet:
				if !n.next.set() && !n.allButtons {
					l.errorAt(n.line, "node %q has no next; add next: (or end: true to end the dialog)", n.name)
				}
			case kindGoto:
				// goto always has a target when the field was given.
			}
		}
	}
}

// successors calls f for every node n can move to within the graph of
// transitions (buttons, next, branch cases, goto); calls are not followed.
func successors(n *node, f func(*node)) {
	if n.next.node != nil {
		f(n.next.node)
	}
	for _, b := range n.buttons {
		if b.next.node != nil {
			f(b.next.node)
		}
	}
	for _, c := range n.branch {
		if c.to.node != nil {
			f(c.to.node)
		}
	}
}

// checkReachable reports the nodes reached neither from their dialog's
// start nor from another dialog.
func (l *loader) checkReachable() {
	entries := make(map[*node]bool)
	for _, d := range l.set.order {
		for _, n := range d.order {
			successors(n, func(m *node) {
				if m.dialog != d {
					entries[m] = true
				}
			})
		}
	}
	for _, d := range l.set.order {
		if d.start == nil {
			continue
		}
		seen := map[*node]bool{d.start: true}
		queue := []*node{d.start}
		for _, n := range d.order {
			if entries[n] && !seen[n] {
				seen[n] = true
				queue = append(queue, n)
			}
		}
		for len(queue) > 0 {
			n := queue[0]
			queue = queue[1:]
			successors(n, func(m *node) {
				if m.dialog == d && !seen[m] {
					seen[m] = true
					queue = append(queue, m)
				}
			})
		}
		l.file = d.file
		for _, n := range d.order {
			if !seen[n] {
				l.errorAt(n.line, "node %q is never reached from the start of dialog %q", n.name, d.name)
			}
		}
	}
}

// checkLoops finds cycles that a person could go round without being
// asked anything: the engine would stop them at MaxSteps.
func (l *loader) checkLoops() {
	// finishes[d]: dialog d can end without asking a question, so a call
	// to it can move straight on to the call's next.
	finishes := make(map[*dialogDef]bool)
	for changed := true; changed; {
		changed = false
		for _, d := range l.set.order {
			if !finishes[d] && d.start != nil && canFinish(d.start, finishes) {
				finishes[d] = true
				changed = true
			}
		}
	}
	edges := func(n *node, f func(*node)) {
		if n.kind == kindAsk {
			return
		}
		if n.kind == kindCall {
			if n.callee != nil && n.callee.start != nil {
				f(n.callee.start)
			}
			if n.callee == nil || !finishes[n.callee] {
				return
			}
		}
		successors(n, func(m *node) {
			if m.kind != kindAsk {
				f(m)
			}
		})
	}
	var all []*node
	for _, d := range l.set.order {
		for _, n := range d.order {
			if n.kind != kindAsk {
				all = append(all, n)
			}
		}
	}
	for _, scc := range stronglyConnected(all, edges) {
		first := scc[0]
		selfLoop := false
		edges(first, func(m *node) { selfLoop = selfLoop || m == first })
		if len(scc) == 1 && !selfLoop {
			continue
		}
		in := make(map[*node]bool, len(scc))
		for _, n := range scc {
			in[n] = true
		}
		path := cyclePath(first, in, edges)
		names := make([]string, len(path))
		for i, n := range path {
			names[i] = n.name
			if n.dialog != first.dialog {
				names[i] = n.dialog.name + "." + n.name
			}
		}
		l.problemAt(place{first.dialog.file, first.line}, problem.Error,
			"loop without a question: %s; a person would go round it forever, so add a question to it or change a next",
			strings.Join(names, " → "))
	}
}

// canFinish reports whether a dialog can end from n without asking.
func canFinish(start *node, finishes map[*dialogDef]bool) bool {
	seen := map[*node]bool{start: true}
	stack := []*node{start}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		switch n.kind {
		case kindEnd:
			return true
		case kindAsk, kindNone:
			continue
		case kindCall:
			if n.callee == nil || !finishes[n.callee] {
				continue
			}
		}
		successors(n, func(m *node) {
			if !seen[m] {
				seen[m] = true
				stack = append(stack, m)
			}
		})
	}
	return false
}

// stronglyConnected returns the strongly connected components of the
// graph (Tarjan), each sorted by file and line, ordered by their first node.
func stronglyConnected(nodes []*node, edges func(*node, func(*node))) [][]*node {
	index := make(map[*node]int, len(nodes))
	low := make(map[*node]int, len(nodes))
	onStack := make(map[*node]bool)
	var stack []*node
	var out [][]*node
	next := 0
	var visit func(v *node)
	visit = func(v *node) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		onStack[v] = true
		edges(v, func(w *node) {
			if _, ok := index[w]; !ok {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], index[w])
			}
		})
		if low[v] == index[v] {
			var scc []*node
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				scc = append(scc, w)
				if w == v {
					break
				}
			}
			sort.Slice(scc, func(i, j int) bool { return nodeLess(scc[i], scc[j]) })
			out = append(out, scc)
		}
	}
	for _, n := range nodes {
		if _, ok := index[n]; !ok {
			visit(n)
		}
	}
	sort.Slice(out, func(i, j int) bool { return nodeLess(out[i][0], out[j][0]) })
	return out
}

// nodeLess orders nodes by file and line, then by dialog and node name.
func nodeLess(a, b *node) bool {
	if a.dialog.file != b.dialog.file {
		return a.dialog.file < b.dialog.file
	}
	if a.line != b.line {
		return a.line < b.line
	}
	return a.dialog.name+"."+a.name < b.dialog.name+"."+b.name
}

// cyclePath returns a shortest cycle from start back to start inside in,
// as the list of nodes with start at both ends.
func cyclePath(start *node, in map[*node]bool, edges func(*node, func(*node))) []*node {
	parent := map[*node]*node{}
	queue := []*node{start}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		found := false
		edges(n, func(m *node) {
			if found || !in[m] {
				return
			}
			if m == start {
				parent[start] = n
				found = true
				return
			}
			if _, ok := parent[m]; !ok {
				parent[m] = n
				queue = append(queue, m)
			}
		})
		if found {
			break
		}
	}
	path := []*node{start}
	for n := parent[start]; n != nil && n != start && len(path) <= len(in); n = parent[n] {
		path = append(path, n)
	}
	path = append(path, start)
	for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
		path[i], path[j] = path[j], path[i]
	}
	return path
}

// checkUnused warns about dialogs nothing leads to.
func (l *loader) checkUnused() {
	s := l.set
	used := map[string]bool{s.menu: true, s.freeText: true}
	for _, c := range l.commands {
		used[c.dialog] = true
	}
	for _, d := range s.order {
		for _, n := range d.order {
			if n.callee != nil && n.callee != d {
				used[n.callee.name] = true
			}
			successors(n, func(m *node) {
				if m.dialog != d {
					used[m.dialog.name] = true
				}
			})
		}
	}
	for _, d := range s.order {
		if !used[d.name] {
			l.problemAt(place{d.file, d.line}, problem.Warning, "dialog %q is never used: no command, menu, call or goto leads to it", d.name)
		}
	}
}

// engineMessages records the engine's own message IDs as used where they
// are set (or where the menu is set, for defaults).
func (l *loader) engineMessages() {
	at := l.messagesAt
	if at.file == "" {
		at = l.menuAt
	}
	if at.file == "" {
		at = place{l.firstFile, 1}
	}
	m := &l.set.msgs
	ids := []*string{&m.Sorry, &m.InvalidChoice, &m.OldButton, &m.Back, &m.UnknownCommand}
	if l.usesYesNo {
		ids = append(ids, &m.Yes, &m.No)
	}
	for _, id := range ids {
		if !l.msgSet[id] {
			l.set.messages = append(l.set.messages, MessageRef{ID: *id, File: at.file, Line: at.line})
		}
	}
}

// buildButtons prepares the button lists shown by each question, with and
// without Back, so that asking allocates nothing.
func (l *loader) buildButtons() {
	s := l.set
	back := Button{Value: BackValue, Label: s.msgs.Back}
	s.backOnly = []Button{back}
	s.yesNo = []Button{{Value: "yes", Label: s.msgs.Yes}, {Value: "no", Label: s.msgs.No}}
	s.yesNoBack = []Button{s.yesNo[0], s.yesNo[1], back}
	for _, d := range s.order {
		for _, n := range d.order {
			if n.kind != kindAsk {
				continue
			}
			switch {
			case n.expect == "yesno":
				n.shown, n.shownBack = s.yesNo, s.yesNoBack
			case len(n.buttons) > 0:
				// Exact capacities: a host appending to an event's
				// buttons must copy, not write into the shared array.
				n.shown = make([]Button, len(n.buttons))
				for i, b := range n.buttons {
					n.shown[i] = b.Button
				}
				n.shownBack = append(n.shown[:len(n.shown):len(n.shown)], back)
				n.shownBack = n.shownBack[:len(n.shownBack):len(n.shownBack)]
			default:
				n.shownBack = s.backOnly
			}
		}
	}
}
