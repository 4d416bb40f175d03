package dialog

import (
	"fmt"
	"strconv"
	"strings"
)

// Mermaid returns a Mermaid flowchart of one dialog, for editors
// (`yol check --graph DIALOG`). Questions are rounded, actions and calls
// are boxes with side bars, branches are diamonds; edges carry button
// values and branch conditions; other dialogs appear as hexagons.
func (s *Set) Mermaid(dialog string) (string, error) {
	d := s.dialogs[dialog]
	if d == nil {
		return "", fmt.Errorf("dialog: no dialog %q", dialog)
	}
	var b strings.Builder
	b.WriteString("flowchart TD\n")
	if d.start != nil {
		fmt.Fprintf(&b, "  start((%s)) --> %s\n", mermaidLabel(dialog), mermaidID(d, d.start))
	}
	external := make(map[string]bool)
	edge := func(from *node, to *node, label string, dotted bool) {
		if to == nil {
			return
		}
		id := mermaidID(d, to)
		if to.dialog != d && !external[id] {
			external[id] = true
			name := to.dialog.name
			if to != to.dialog.start {
				name += "." + to.name
			}
			fmt.Fprintf(&b, "  %s{{%s}}\n", id, mermaidLabel("goto "+name))
		}
		arrow := "-->"
		if dotted {
			arrow = "-.->"
		}
		if label != "" {
			fmt.Fprintf(&b, "  %s %s|%s| %s\n", mermaidID(d, from), arrow, mermaidLabel(label), id)
		} else {
			fmt.Fprintf(&b, "  %s %s %s\n", mermaidID(d, from), arrow, id)
		}
	}
	for _, n := range d.order {
		id := mermaidID(d, n)
		switch n.kind {
		case kindAsk:
			text := n.name + ": " + n.ask
			if n.expect != "" {
				text += " (" + n.expect + ")"
			}
			fmt.Fprintf(&b, "  %s([%s])\n", id, mermaidLabel(text))
		case kindSay:
			fmt.Fprintf(&b, "  %s[%s]\n", id, mermaidLabel(n.name+": say "+strings.Join(n.say, ", ")))
		case kindAction:
			fmt.Fprintf(&b, "  %s[[%s]]\n", id, mermaidLabel(n.name+": action "+n.action))
		case kindBranch:
			fmt.Fprintf(&b, "  %s{%s}\n", id, mermaidLabel(n.name))
		case kindCall:
			fmt.Fprintf(&b, "  %s[[%s]]\n", id, mermaidLabel(n.name+": call "+n.call))
		case kindSet:
			fmt.Fprintf(&b, "  %s[%s]\n", id, mermaidLabel(n.name+": set "+n.setKey+" = "+n.setValue))
		case kindEnd:
			fmt.Fprintf(&b, "  %s((%s))\n", id, mermaidLabel(n.name+": end"))
		default:
			fmt.Fprintf(&b, "  %s[%s]\n", id, mermaidLabel(n.name))
		}
	}
	for _, n := range d.order {
		for _, bt := range n.buttons {
			if bt.next.node != nil {
				edge(n, bt.next.node, bt.Value, false)
			}
		}
		for _, c := range n.branch {
			label := "else"
			if !c.isElse && c.cond != nil {
				label = condText(c.cond)
			}
			edge(n, c.to.node, label, false)
		}
		if n.kind == kindCall && n.callee != nil && n.callee.start != nil {
			edge(n, n.callee.start, "call", true)
		}
		edge(n, n.next.node, "", false)
	}
	return b.String(), nil
}

// mermaidID returns the Mermaid node ID of n as drawn in the chart of
// dialog from; nodes of other dialogs get their dialog's name in theirs.
func mermaidID(from *dialogDef, n *node) string {
	id := "n_" + n.name
	if n.dialog != from {
		id = "x_" + n.dialog.name + "__" + n.name
	}
	return strings.ReplaceAll(id, "-", "_h_")
}

// mermaidLabel quotes text for a Mermaid node or edge label.
func mermaidLabel(s string) string {
	s = strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;", "|", "#124;").Replace(s)
	return `"` + s + `"`
}

// condText writes a condition for people.
func condText(c *cond) string {
	switch c.op {
	case opEq:
		return c.v + " = " + c.arg
	case opNe:
		return c.v + " ≠ " + c.arg
	case opIn:
		return c.v + " in " + strings.Join(c.args, ", ")
	case opSet:
		if c.flag {
			return c.v + " is set"
		}
		return c.v + " is not set"
	case opGt, opGte, opLt, opLte:
		sym := map[condOp]string{opGt: ">", opGte: "≥", opLt: "<", opLte: "≤"}[c.op]
		return c.v + " " + sym + " " + strconv.FormatFloat(c.num, 'f', -1, 64)
	case opAll, opAny:
		join := " and "
		if c.op == opAny {
			join = " or "
		}
		parts := make([]string, len(c.sub))
		for i, s := range c.sub {
			parts[i] = condText(s)
		}
		return "(" + strings.Join(parts, join) + ")"
	}
	return "?"
}
