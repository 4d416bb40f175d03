package problem_test

import (
	"slices"
	"testing"

	"github.com/yol-project/yol/bot/problem"
)

func TestString(t *testing.T) {
	for _, tc := range []struct {
		p    problem.Problem
		want string
	}{
		{problem.Problem{File: "dialogs/main.yaml", Line: 7, Message: "unknown node"}, "dialogs/main.yaml:7: unknown node"},
		{problem.Problem{File: "knowledge/pathways.yaml", Message: "cannot read the file"}, "knowledge/pathways.yaml: cannot read the file"},
		{problem.Problem{File: "dialogs/x.yaml", Line: 3, Severity: problem.Warning, Message: "never used"}, "dialogs/x.yaml:3: warning: never used"},
	} {
		if got := tc.p.String(); got != tc.want {
			t.Errorf("String() = %q, want %q", got, tc.want)
		}
	}
	if got := (problem.Problem{File: "a.yaml", Line: 12}).Where(); got != "a.yaml:12" {
		t.Errorf("Where() = %q", got)
	}
	if problem.Error.String() != "error" || problem.Warning.String() != "warning" {
		t.Errorf("severities: %s, %s", problem.Error, problem.Warning)
	}
}

func TestHasErrorsAndOrder(t *testing.T) {
	w := problem.Problem{File: "b.yaml", Line: 2, Severity: problem.Warning, Message: "w"}
	e := problem.Problem{File: "a.yaml", Line: 10, Message: "e"}
	if problem.HasErrors([]problem.Problem{w}) || !problem.HasErrors([]problem.Problem{w, e}) {
		t.Error("HasErrors: a warning is not an error; an error is")
	}
	ps := []problem.Problem{w, {File: "a.yaml", Line: 10, Message: "d"}, e, {File: "a.yaml", Line: 9, Message: "z"}}
	slices.SortStableFunc(ps, problem.Compare)
	var got []string
	for _, p := range ps {
		got = append(got, p.Where()+" "+p.Message)
	}
	want := []string{"a.yaml:9 z", "a.yaml:10 d", "a.yaml:10 e", "b.yaml:2 w"}
	if !slices.Equal(got, want) {
		t.Errorf("sorted = %v, want %v (file, then line, then message)", got, want)
	}
}
