package dialog_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/yol-project/yol/bot/dialog"
	"github.com/yol-project/yol/bot/problem"
)

// loadBroken loads testdata/broken/NAME.yaml alone, as dialogs/NAME.yaml.
func loadBroken(t *testing.T, name string) (*dialog.Set, []problem.Problem) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "broken", name+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{"dialogs/" + name + ".yaml": {Data: data}}
	return dialog.Load(fsys, "dialogs")
}

// TestBroken loads each fixture in testdata/broken alone and checks it
// gives exactly the expected problem.
func TestBroken(t *testing.T) {
	tests := []struct {
		fixture string
		want    string
	}{
		{"alias", "dialogs/alias.yaml:14: aliases (*x) are not supported; write the value out"},
		{"ask_without_answer", "dialogs/ask_without_answer.yaml:11: ask node \"x\" needs buttons or expect"},
		{"bad_command_name", "dialogs/bad_command_name.yaml:3: command name \"Help\" may only contain a-z, 0-9 and _ (at most 32)"},
		{"bad_dialog_name", "dialogs/bad_dialog_name.yaml:11: dialog name \"my.dialog\" may only contain letters, digits, _ and -"},
		{"bad_expect", "dialogs/bad_expect.yaml:13: node \"x\" expects unknown type \"num\"; use one of text, number, yesno, date, phone, location, contact"},
		{"bad_spec", "dialogs/bad_spec.yaml:1: spec must be a whole number, like \"spec: 1\""},
		{"bad_var", "dialogs/bad_var.yaml:14: save \"my-answer\" may only contain letters, digits and _"},
		{"branch_no_else", "dialogs/branch_no_else.yaml:13: branch of node \"x\" has no else; end it with \"- else: true\" and a goto"},
		{"buttons_not_a_list", "dialogs/buttons_not_a_list.yaml:13: buttons of node \"x\" must be a list"},
		{"call_unknown", "dialogs/call_unknown.yaml:11: node \"c\" calls unknown dialog \"nope\""},
		{"case_without_goto", "dialogs/case_without_goto.yaml:15: branch case of node \"x\" needs goto"},
		{"command_unknown", "dialogs/command_unknown.yaml:3: command \"help\" goes to unknown dialog \"helpme\""},
		{"condition_without_var", "dialogs/condition_without_var.yaml:13: the eq test needs a var"},
		{"dead_end", "dialogs/dead_end.yaml:11: node \"x\" has no next; add next: (or end: true to end the dialog)"},
		{"duplicate_button", "dialogs/duplicate_button.yaml:10: node \"q\" has two buttons with value \"a\" (first at line 9)"},
		{"duplicate_node", "dialogs/duplicate_node.yaml:11: duplicate node \"q\" (first at line 6)"},
		{"else_not_last", "dialogs/else_not_last.yaml:13: else must be the last case of the branch of node \"x\""},
		{"empty", "dialogs/empty.yaml:1: the file is empty; it needs at least \"spec: 1\""},
		{"end_false", "dialogs/end_false.yaml:12: end must be true (node \"x\")"},
		{"field_not_allowed", "dialogs/field_not_allowed.yaml:13: field \"min\" is not allowed on a say node (node \"x\")"},
		{"free_text_unknown", "dialogs/free_text_unknown.yaml:2: free_text goes to unknown dialog \"ask_llm\""},
		{"inline_text", "dialogs/inline_text.yaml:12: say \"Hello, how are you\" is not a message ID; put texts in locales/ and write their ID here, like elig.q.passport"},
		{"loop", "dialogs/loop.yaml:11: loop without a question: a → b → a; a person would go round it forever, so add a question to it or change a next"},
		{"loop_across_dialogs", "dialogs/loop_across_dialogs.yaml:11: loop without a question: z → other.s → z; a person would go round it forever, so add a question to it or change a next"},
		{"menu_unknown", "dialogs/menu_unknown.yaml:2: menu goes to unknown dialog \"main\""},
		{"min_greater_than_max", "dialogs/min_greater_than_max.yaml:15: max 5 is less than min 10 (node \"x\")"},
		{"min_without_number", "dialogs/min_without_number.yaml:11: min and max only work with expect: number (node \"x\")"},
		{"newer_spec", "dialogs/newer_spec.yaml:1: spec 2 is newer than this program understands (1); update yol"},
		{"no_kind", "dialogs/no_kind.yaml:11: node \"x\" has nothing to do; give it one of: ask, say, action, branch, call, set, end, goto"},
		{"no_menu", "dialogs/no_menu.yaml:1: no menu: add \"menu: <dialog>\" to one file (the dialog people return to when a dialog ends)"},
		{"no_nodes", "dialogs/no_nodes.yaml:13: dialog \"empty\" has no nodes"},
		{"no_spec", "dialogs/no_spec.yaml:1: spec is missing; add \"spec: 1\" as the first line"},
		{"not_a_mapping", "dialogs/not_a_mapping.yaml:1: the file must start with \"spec: 1\" and a dialogs: section"},
		{"syntax", "dialogs/syntax.yaml:5: not valid YAML: did not find expected ',' or '}'"},
		{"two_kinds", "dialogs/two_kinds.yaml:11: node \"x\" has two kinds (say and ask); split it into two nodes"},
		{"two_tests", "dialogs/two_tests.yaml:13: a condition has two tests (eq and ne); combine them with all:"},
		{"unknown_dialog", "dialogs/unknown_dialog.yaml:10: node \"q\" goes to unknown dialog \"nope\""},
		{"unknown_dialog_field", "dialogs/unknown_dialog_field.yaml:11: dialog \"m\" has unknown field \"title\"; known fields: start, nodes"},
		{"unknown_message_key", "dialogs/unknown_message_key.yaml:3: unknown message \"sory\" in messages; known: back, invalid_choice, no, old_button, sorry, unknown_command, yes"},
		{"unknown_node", "dialogs/unknown_node.yaml:13: node \"q_x\" goes to unknown node \"nope\""},
		{"unknown_node_field", "dialogs/unknown_node_field.yaml:11: node \"q\" has unknown field \"nxt\""},
		{"unknown_node_in_dialog", "dialogs/unknown_node_in_dialog.yaml:10: node \"q\" goes to unknown node \"nope\" in dialog \"m\""},
		{"unknown_start", "dialogs/unknown_start.yaml:5: dialog \"m\" starts at unknown node \"first\""},
		{"unknown_top_field", "dialogs/unknown_top_field.yaml:2: unknown field \"menus\" at the top of the file; known fields: spec, dialogs, commands, menu, free_text, messages"},
		{"unreachable", "dialogs/unreachable.yaml:11: node \"lost\" is never reached from the start of dialog \"m\""},
		{"unused_dialog", "dialogs/unused_dialog.yaml:11: warning: dialog \"orphan\" is never used: no command, menu, call or goto leads to it"},
		{"value_bad_chars", "dialogs/value_bad_chars.yaml:9: button value \"Yes Please\" may only contain a-z, 0-9, _ . and - (node \"q\")"},
		{"value_reserved", "dialogs/value_reserved.yaml:9: button value \"back\" is reserved for the Back button (node \"q\")"},
		{"value_too_long", "dialogs/value_too_long.yaml:9: button value \"a_very_long_value_key_that_will_not_fit_in_64\" is longer than 40 bytes (node \"q\")"},
		{"yesno_buttons", "dialogs/yesno_buttons.yaml:11: a yesno question gets its yes and no buttons automatically; remove buttons from node \"x\""},
	}
	seen := make(map[string]bool)
	for _, tt := range tests {
		seen[tt.fixture] = true
		t.Run(tt.fixture, func(t *testing.T) {
			set, problems := loadBroken(t, tt.fixture)
			var got []string
			for _, p := range problems {
				got = append(got, p.String())
			}
			if len(got) != 1 || got[0] != tt.want {
				t.Errorf("problems:\ngot  %q\nwant %q", got, tt.want)
			}
			if warn := strings.Contains(tt.want, ": warning: "); (set != nil) != warn {
				t.Errorf("Load returned set %v; want a set only when the problems are warnings", set != nil)
			}
		})
	}
	files, err := filepath.Glob("testdata/broken/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if name := strings.TrimSuffix(filepath.Base(f), ".yaml"); !seen[name] {
			t.Errorf("fixture %s has no expected problem in TestBroken", f)
		}
	}
}

// TestBrokenAcrossFiles checks the problems that need two files.
func TestBrokenAcrossFiles(t *testing.T) {
	const menu = "spec: 1\nmenu: m\ndialogs:\n  m:\n    nodes:\n      q:\n        ask: menu.q\n        buttons:\n          - {value: a, label: menu.a}\n        next: q\n"
	tests := []struct {
		name  string
		other string
		want  []string
	}{
		{"dialog defined twice", "spec: 1\ndialogs:\n  m:\n    nodes:\n      a:\n        end: true\n",
			[]string{`dialogs/b.yaml:3: dialog "m" is defined twice (also at dialogs/a.yaml:4)`}},
		{"menu set twice", "spec: 1\nmenu: m\n",
			[]string{`dialogs/b.yaml:2: menu is set twice (also at dialogs/a.yaml:2)`}},
		{"newer spec in one file", "spec: 3\ndialogs: {}\n",
			[]string{`dialogs/b.yaml:1: spec 3 is newer than this program understands (1); update yol`}},
		{"goto into another file's dialog node", "spec: 1\ncommands: {go: x}\ndialogs:\n  x:\n    nodes:\n      a:\n        goto: m.nope\n",
			[]string{`dialogs/b.yaml:7: node "a" goes to unknown node "nope" in dialog "m"`}},
		{"fine", "spec: 1\ncommands: {go: x}\ndialogs:\n  x:\n    nodes:\n      a:\n        goto: m.q\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"dialogs/a.yaml": {Data: []byte(menu)},
				"dialogs/b.yaml": {Data: []byte(tt.other)},
			}
			_, problems := dialog.Load(fsys, "dialogs")
			var got []string
			for _, p := range problems {
				got = append(got, p.String())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("problems:\ngot  %q\nwant %q", got, tt.want)
			}
		})
	}
}
