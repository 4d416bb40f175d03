// Package problem is the one shape of a mistake in a content pack: a file,
// a line, a severity and a message, from the loaders (bot/dialog, bot/kb,
// bot/locale) through bot's whole-pack checks to `yol check`'s output.
//
// It is a package of its own, and a leaf (it imports nothing but strconv),
// because the loaders that make problems may not import each other: the
// dependency rule keeps bot/dialog and bot/kb on the standard library and a
// YAML parser. A Problem defined in one of them would have to be copied, or
// flattened to text, to reach the others; defined here, every part makes
// and reads the same value.
package problem

import "strconv"

// Severity says whether a Problem stops content from being used.
type Severity int

// The severities.
const (
	Error   Severity = iota // the content cannot be used
	Warning                 // the content works, but something looks wrong
)

// String returns "error" or "warning".
func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Problem is one thing wrong with a content pack, at a place in a file.
type Problem struct {
	File     string // as the pack names it, e.g. "knowledge/pathways.yaml"
	Line     int    // 1-based; 0 when the problem is about the file or the whole pack
	Severity Severity
	Message  string
}

// Where returns "file:line", or "file" when the line is unknown.
func (p Problem) Where() string {
	if p.Line > 0 {
		return p.File + ":" + strconv.Itoa(p.Line)
	}
	return p.File
}

// String formats the problem as "file:line: message", with "warning: "
// before the message of a warning.
func (p Problem) String() string {
	if p.Severity == Warning {
		return p.Where() + ": warning: " + p.Message
	}
	return p.Where() + ": " + p.Message
}

// HasErrors reports whether any of the problems is an error.
func HasErrors(ps []Problem) bool {
	for _, p := range ps {
		if p.Severity == Error {
			return true
		}
	}
	return false
}

// Compare orders problems by file, then line, then message, for
// slices.SortStableFunc: -1 when a comes first, 1 when b does, else 0.
func Compare(a, b Problem) int {
	switch {
	case a.File != b.File:
		return order(a.File < b.File)
	case a.Line != b.Line:
		return order(a.Line < b.Line)
	case a.Message != b.Message:
		return order(a.Message < b.Message)
	}
	return 0
}

// order returns -1 when first is true, else 1, for Compare.
func order(first bool) int {
	if first {
		return -1
	}
	return 1
}
