package dialog_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/yol-project/yol/bot/dialog"
)

func TestMessageIDsAndActions(t *testing.T) {
	set := loadValid(t)
	ids := make(map[string]string)
	for _, m := range set.MessageIDs() {
		ids[m.ID] = m.File + ":" + strconv.Itoa(m.Line)
	}
	for id, want := range map[string]string{
		"elig.q.passport":           "valid/eligibility.yaml:7",
		"common.dont_know":          "valid/eligibility.yaml:11",
		"elig.invalid.years":        "valid/eligibility.yaml:19",
		"common.invalid.date":       "valid/eligibility.yaml:33",
		"common.sorry_back_to_menu": "valid/main.yaml:11",
		"common.yes":                "valid/main.yaml:10",
	} {
		if got := ids[id]; got != want {
			t.Errorf("message %s used at %q, want %q", id, got, want)
		}
	}
	var actions []string
	for _, a := range set.Actions() {
		actions = append(actions, a.Name+"@"+a.File+":"+strconv.Itoa(a.Line))
	}
	want := "evaluate_eligibility@valid/eligibility.yaml:44 nearest_offices@valid/eligibility.yaml:81 forget_me@valid/main.yaml:89 answer_free_text@valid/main.yaml:97"
	if got := strings.Join(actions, " "); got != want {
		t.Errorf("Actions() = %s\nwant %s", got, want)
	}
}

func TestCheck(t *testing.T) {
	set := loadValid(t)
	problems := set.Check(dialog.Known{
		Languages:  []string{"en", "fa", "ar"},
		HasMessage: func(lang, id string) bool { return lang == "en" || id != "elig.q.passport" },
		HasAction:  func(name string) bool { return name != "nearest_offices" },
	})
	var got []string
	for _, p := range problems {
		got = append(got, p.String())
	}
	want := []string{
		`valid/eligibility.yaml:7: message "elig.q.passport" is missing in fa, ar`,
		`valid/eligibility.yaml:81: unknown action "nearest_offices": the program provides no such action`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Check:\ngot  %q\nwant %q", got, want)
	}
}

func TestMermaid(t *testing.T) {
	set := loadValid(t)
	got, err := set.Mermaid("eligibility")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"flowchart TD\n",
		`start(("eligibility")) --> n_q_passport`,
		`n_q_years(["q_years: elig.q.years (number)"])`,
		`n_evaluate[["evaluate: action evaluate_eligibility"]]`,
		`n_family_route -->|"(family = yes and years ≥ 1)"| n_q_spouse_born`,
		`n_route -->|"else"| n_office`,
		`x_find_office__q_where{{"goto find_office"}}`,
		`n_office -.->|"call"| x_find_office__q_where`,
		`n_done(("done: end"))`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Mermaid output lacks %q:\n%s", want, got)
		}
	}
	if _, err := set.Mermaid("nope"); err == nil {
		t.Error("Mermaid(nope) = nil error, want an error")
	}
}

func TestCommands(t *testing.T) {
	set := loadValid(t)
	var got []string
	for _, c := range set.Commands() {
		got = append(got, c[0]+"="+c[1])
	}
	want := "forget=forget_me help=help language=choose_language menu=main_menu start=onboarding"
	if strings.Join(got, " ") != want {
		t.Errorf("Commands() = %v, want %s", got, want)
	}
}
