package dialog

import (
	"fmt"
	"strings"

	"github.com/yol-project/yol/bot/problem"
)

// Known describes what exists outside the dialogs, for [Set.Check]: the
// languages and their messages, and the actions the host provides. A nil
// function skips its check.
type Known struct {
	Languages  []string                   // language tags, in the order to list them
	HasMessage func(lang, id string) bool // whether language lang has message id
	HasAction  func(name string) bool     // whether the host provides action name
}

// Check verifies the parts of the content that live outside the dialog
// files: every message ID exists in every language, and every action is
// one the host provides. Problems come in file and line order, like
// `dialogs/x.yaml:12: message "elig.q.passport" is missing in fa, ar`.
func (s *Set) Check(k Known) []problem.Problem {
	var out []problem.Problem
	type key struct {
		id, file string
		line     int
	}
	seen := make(map[key]bool)
	if k.HasMessage != nil {
		for _, m := range s.messages {
			if seen[key{m.ID, m.File, m.Line}] {
				continue
			}
			seen[key{m.ID, m.File, m.Line}] = true
			var missing []string
			for _, lang := range k.Languages {
				if !k.HasMessage(lang, m.ID) {
					missing = append(missing, lang)
				}
			}
			if len(missing) > 0 {
				out = append(out, problem.Problem{File: m.File, Line: m.Line,
					Message: fmt.Sprintf("message %q is missing in %s", m.ID, strings.Join(missing, ", "))})
			}
		}
	}
	if k.HasAction != nil {
		for _, a := range s.actions {
			if !k.HasAction(a.Name) {
				out = append(out, problem.Problem{File: a.File, Line: a.Line,
					Message: fmt.Sprintf("unknown action %q: the program provides no such action", a.Name)})
			}
		}
	}
	sortProblems(out)
	return out
}
