package dialog_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/yol-project/yol/bot/dialog"
)

const limitsContent = `spec: 1
menu: m
commands: {loop: loop, deep: deep, gone: gone}
dialogs:
  m:
    nodes:
      q:
        ask: menu.q
        buttons:
          - {value: a, label: menu.a}
        next: q
  loop:
    nodes:
      a:
        say: loop.a
        next: b
      b:
        goto: a
  deep:
    nodes:
      again:
        call: deep
        next: done
      done:
        end: true
  gone:
    nodes:
      a:
        goto: nowhere
`

func loadLimits(t *testing.T) *dialog.Set {
	t.Helper()
	set, problems := dialog.LoadUnchecked(fstest.MapFS{"dialogs/x.yaml": {Data: []byte(limitsContent)}}, "dialogs")
	if len(problems) == 0 {
		t.Fatal("the limits content should have problems")
	}
	return set
}

func TestLimits(t *testing.T) {
	set := loadLimits(t)
	sorryMenu := []string{"say common.sorry_back_to_menu", "ask menu.q [a]"}
	tests := []struct {
		name string
		in   dialog.Input
		want []string // the last events
	}{
		{"loop without a question ends politely", cmd("loop"), append([]string{"error loop.a"}, sorryMenu...)},
		{"call depth limit", cmd("deep"), append([]string{"error deep.again"}, sorryMenu...)},
		{"unknown target", cmd("gone"), append([]string{"error gone.a"}, sorryMenu...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sess dialog.Session
			events := set.Resume(&sess, tt.in, nil)
			got := summary(events)
			if len(got) < len(tt.want) || strings.Join(got[len(got)-len(tt.want):], "\n") != strings.Join(tt.want, "\n") {
				t.Fatalf("events end:\ngot  %q\nwant %q", got, tt.want)
			}
			if sess.Wait != dialog.WaitAnswer || len(sess.Stack) != 1 || sess.Stack[0].Dialog != "m" {
				t.Errorf("session = %+v, want waiting at the menu", sess)
			}
			for _, e := range events {
				if e.Type == dialog.EventContentError && e.Err == "" {
					t.Errorf("content error without a message: %+v", e)
				}
			}
		})
	}
}

func TestSteps(t *testing.T) {
	set := loadLimits(t)
	var sess dialog.Session
	events := set.Resume(&sess, cmd("loop"), nil)
	says := 0
	for _, e := range events {
		if e.Type == dialog.EventSay && e.MessageID == "loop.a" {
			says++
		}
	}
	if says > dialog.MaxSteps/2 || says == 0 {
		t.Errorf("the loop said loop.a %d times, want between 1 and %d", says, dialog.MaxSteps/2)
	}
}

// TestContentChanged resumes sessions saved against content that has
// since changed.
func TestContentChanged(t *testing.T) {
	set := loadValid(t)
	menu := []string{"say common.sorry_back_to_menu", "ask menu.q [eligibility,office,help,bye]"}
	tests := []struct {
		name string
		sess string
		in   dialog.Input
		want []string
	}{
		{"node removed", `{"stack":[{"dialog":"eligibility","node":"q_old"}],"wait":"answer"}`, btn("valid"),
			append([]string{"error eligibility.q_old"}, menu...)},
		{"dialog removed", `{"stack":[{"dialog":"old_dialog","node":"q"}],"wait":"answer"}`, text("5"),
			append([]string{"error old_dialog.q"}, menu...)},
		{"node changed kind", `{"stack":[{"dialog":"eligibility","node":"show"}],"wait":"answer"}`, text("5"),
			append([]string{"error eligibility.show"}, menu...)},
		{"caller removed", `{"stack":[{"dialog":"gone","node":"x"},{"dialog":"choose_language","node":"q_lang"}],"wait":"answer"}`, btn("en"),
			append([]string{"set lang=en", "say lang.ok", "end choose_language", "error gone.x"}, menu...)},
		{"back to a removed node", `{"stack":[{"dialog":"eligibility","node":"q_years","back":["q_old"]}],"wait":"answer"}`, btn("back"),
			[]string{"ask elig.q.years expect=number"}},
		{"stack too deep", `{"stack":[` + strings.Repeat(`{"dialog":"help","node":"show"},`, 11) + `{"dialog":"help","node":"show"}],"wait":"answer"}`, text("x"),
			append([]string{"error help.show"}, menu...)},
		{"ended session", `{"vars":{"lang":"fa"}}`, text("hello"), []string{"ask menu.q [eligibility,office,help,bye]"}},
		{"waiting for nothing", `{"stack":[{"dialog":"main_menu","node":"q_menu"}]}`, btn("help"),
			append([]string{"error main_menu.q_menu"}, menu...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sess dialog.Session
			if err := sess.UnmarshalJSON([]byte(tt.sess)); err != nil {
				t.Fatal(err)
			}
			got := summary(set.Resume(&sess, tt.in, nil))
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("events:\ngot  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestNewerSpecRefused(t *testing.T) {
	fsys := fstest.MapFS{"dialogs/main.yaml": {Data: []byte("spec: 2\nmenu: m\ndialogs: {}\n")}}
	set, problems := dialog.Load(fsys, "dialogs")
	if set != nil {
		t.Error("Load returned a set for a file with a newer spec")
	}
	want := `dialogs/main.yaml:1: spec 2 is newer than this program understands (1); update yol`
	if len(problems) != 1 || problems[0].String() != want {
		t.Errorf("problems = %q, want [%q]", problems, want)
	}
}
