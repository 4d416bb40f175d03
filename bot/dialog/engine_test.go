package dialog_test

import (
	"strings"
	"testing"

	"github.com/yol-project/yol/bot/dialog"
)

// toMenu plays the onboarding up to the main menu.
var toMenu = []step{
	{start(""), []string{"say onboarding.hello", "ask lang.q [en,ru,fa]"}},
	{btn("en"), []string{"set lang=en", "say lang.ok", "end choose_language", "ask onboarding.q.consent [yes,no] expect=yesno"}},
	{btn("yes"), []string{"set consent=yes", "ask menu.q [eligibility,office,help,bye]"}},
}

func concat(parts ...[]step) []step {
	var out []step
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func TestJourneys(t *testing.T) {
	set := loadValid(t)
	tests := []struct {
		name  string
		steps []step
		vars  map[string]string // checked at the end when not nil
	}{
		{"full eligibility journey", concat(toMenu, []step{
			{btn("eligibility"), []string{"ask elig.q.passport [valid,expired,unknown]"}},
			{btn("valid"), []string{"set passport=valid", "ask elig.q.years [back] expect=number"}},
			{text("abc"), []string{"say elig.invalid.years", "ask elig.q.years [back] expect=number"}},
			{text("81"), []string{"say elig.invalid.years", "ask elig.q.years [back] expect=number"}},
			{text("5"), []string{"set years=5", "ask elig.q.family [yes,no,back] expect=yesno"}},
			{btn("back"), []string{"ask elig.q.years [back] expect=number"}},
			{text("۷"), []string{"set years=7", "ask elig.q.family [yes,no,back] expect=yesno"}},
			{btn("yes"), []string{"set family=yes", "ask elig.q.spouse_born [back] expect=date"}},
			{text("31.02.2000"), []string{"say common.invalid.date", "ask elig.q.spouse_born [back] expect=date"}},
			{text("29/02/2000"), []string{"set spouse_born=2000-02-29", "ask elig.q.phone [back] expect=phone"}},
			{text("+994 50 123-45-67"), []string{"set phone=+994501234567", "action evaluate_eligibility"}},
			{result("match"), []string{"set result=match", "say elig.result.intro", "say elig.result.next", "ask office.q.where [baku,ganja] expect=location"}},
			{loc(40.4093, 49.8671), []string{"set where=40.4093,49.8671", "action nearest_offices"}},
			{result("ok"), []string{"end find_office", "set eligibility_done=yes", "end eligibility", "ask menu.q [eligibility,office,help,bye]"}},
		}), map[string]string{
			"lang": "en", "consent": "yes", "passport": "valid", "years": "7", "family": "yes",
			"spouse_born": "2000-02-29", "phone": "+994501234567", "result": "match",
			"where": "40.4093,49.8671", "eligibility_done": "yes",
		}},
		{"branch else and no match", concat(toMenu, []step{
			{btn("eligibility"), nil},
			{btn("expired"), nil},
			{text("0"), nil},
			{btn("no"), []string{"set family=no", "ask elig.q.phone [back] expect=phone"}},
			{text("0501234567"), []string{"set phone=0501234567", "action evaluate_eligibility"}},
			{result("none"), []string{"set result=none", "say elig.result.intro", "say elig.result.next", "say elig.result.none", "end eligibility", "ask menu.q [eligibility,office,help,bye]"}},
		}), nil},
		{"consent refused ends onboarding then menu", []step{
			{start(""), nil},
			{btn("ru"), nil},
			{btn("no"), []string{"set consent=no", "say onboarding.bye", "end onboarding", "ask menu.q [eligibility,office,help,bye]"}},
			{btn("bye"), []string{"end main_menu"}},
			{text("hello"), []string{"ask menu.q [eligibility,office,help,bye]"}},
		}, nil},
		{"global command from the middle of a dialog", concat(toMenu, []step{
			{btn("eligibility"), nil},
			{btn("valid"), nil},
			{cmd("help"), []string{"say help.intro", "say help.commands", "end help", "ask menu.q [eligibility,office,help,bye]"}},
			{cmd("language"), []string{"ask lang.q [en,ru,fa]"}},
			{btn("fa"), []string{"set lang=fa", "say lang.ok", "end choose_language", "ask menu.q [eligibility,office,help,bye]"}},
			{cmd("menu"), []string{"ask menu.q [eligibility,office,help,bye]"}},
		}), nil},
		{"unknown command re-asks", concat(toMenu, []step{
			{cmd("nope"), []string{"say common.unknown_command", "ask menu.q [eligibility,office,help,bye]"}},
		}), nil},
		{"start with valid payload", []step{
			{start("fb_2024-spring"), []string{"set campaign=fb_2024-spring", "say onboarding.hello", "ask lang.q [en,ru,fa]"}},
		}, map[string]string{"campaign": "fb_2024-spring"}},
		{"start with invalid payload", []step{
			{start("bad payload!"), []string{"say onboarding.hello", "ask lang.q [en,ru,fa]"}},
		}, map[string]string{}},
		{"start command with payload", []step{
			{dialog.Input{Kind: dialog.InputCommand, Value: "start", Payload: "tg1"}, []string{"set campaign=tg1", "say onboarding.hello", "ask lang.q [en,ru,fa]"}},
		}, map[string]string{"campaign": "tg1"}},
		{"free text on a button question re-asks with hint", concat(toMenu, []step{
			{text("hi"), []string{"say common.invalid.choice", "ask menu.q [eligibility,office,help,bye]"}},
		}), nil},
		{"question on a button question calls free text help", concat(toMenu, []step{
			{btn("eligibility"), nil},
			{text("what is a passport?"), []string{"set free_text=what is a passport?", "action answer_free_text"}},
			{result("found"), []string{"set free_text_result=found", "end free_text_help", "ask elig.q.passport [valid,expired,unknown]"}},
			{btn("valid"), []string{"set passport=valid", "ask elig.q.years [back] expect=number"}},
			{text("how long do I need to stay"), []string{"set free_text=how long do I need to stay", "action answer_free_text"}},
			{result("nothing"), []string{"set free_text_result=nothing", "say free_text.not_found", "end free_text_help", "ask elig.q.years [back] expect=number"}},
		}), nil},
		{"stale button and stray input", concat(toMenu, []step{
			{btn("eligibility"), nil},
			// An answer button of an earlier question: a note, the question again.
			{btn("ru"), []string{"say common.invalid.old_button", "ask elig.q.passport [valid,expired,unknown]"}},
			{loc(1, 2), []string{"say common.invalid.choice", "ask elig.q.passport [valid,expired,unknown]"}},
			{result("x"), []string{"ask elig.q.passport [valid,expired,unknown]"}},
			{btn("back"), []string{"ask elig.q.passport [valid,expired,unknown]"}},
		}), nil},
		{"a menu button on an old message still goes there, mid-questionnaire", concat(toMenu, []step{
			{btn("eligibility"), nil},
			{btn("valid"), nil},
			{btn("office"), []string{"ask office.q.where [baku,ganja] expect=location"}},
			{btn("menu"), []string{"ask menu.q [eligibility,office,help,bye]"}},
		}), nil},
		{"action interrupted by other input fails with error", []step{
			{cmd("forget"), []string{"ask forget.q.sure [yes,no] expect=yesno"}},
			{btn("yes"), []string{"set forget_sure=yes", "action forget_me"}},
			{text("hello"), []string{"end forget_me", "ask menu.q [eligibility,office,help,bye]"}},
		}, nil},
		{"an action result sends the person on to a journey", []step{
			{cmd("forget"), nil},
			{btn("yes"), []string{"set forget_sure=yes", "action forget_me"}},
			{result("journey:help"), []string{"say help.intro", "say help.commands", "end help", "ask menu.q [eligibility,office,help,bye]"}},
		}, nil},
		{"command while waiting for an action", []step{
			{cmd("forget"), nil},
			{btn("yes"), []string{"set forget_sure=yes", "action forget_me"}},
			{cmd("menu"), []string{"ask menu.q [eligibility,office,help,bye]"}},
		}, nil},
		{"location and contact validation", concat(toMenu, []step{
			{btn("office"), []string{"ask office.q.where [baku,ganja] expect=location"}},
			{loc(91, 0), []string{"say common.invalid.location", "ask office.q.where [baku,ganja] expect=location"}},
			{contact("+994501234567"), []string{"say common.invalid.location", "ask office.q.where [baku,ganja] expect=location"}},
			{btn("ganja"), []string{"set where=ganja", "action nearest_offices"}},
		}), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sess := play(t, set, nil, tt.steps)
			for k, want := range tt.vars {
				if got := sess.Vars[k]; got != want {
					t.Errorf("var %s = %q, want %q", k, got, want)
				}
			}
			if tt.vars != nil && len(sess.Vars) != len(tt.vars) {
				t.Errorf("vars = %v, want %v", sess.Vars, tt.vars)
			}
		})
	}
}

func TestStartKeepsVars(t *testing.T) {
	set := loadValid(t)
	sess := dialog.Session{
		Stack: []dialog.Frame{{Dialog: "eligibility", Node: "q_years"}},
		Vars:  map[string]string{"lang": "ru"},
		Wait:  dialog.WaitAnswer,
	}
	got := summary(set.Start(&sess, dialog.Input{Kind: dialog.InputText, Payload: "ad7"}, nil))
	want := []string{"set campaign=ad7", "say onboarding.hello", "ask lang.q [en,ru,fa]"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Start: got %q, want %q", got, want)
	}
	if sess.Vars["lang"] != "ru" || len(sess.Stack) != 2 {
		t.Errorf("session after Start = %+v, want lang kept and onboarding calling choose_language", sess)
	}
}

// TestConcurrentUse runs many conversations on one Set at once; run with
// -race to check the Set is never written.
func TestConcurrentUse(t *testing.T) {
	set := loadValid(t)
	inputs := []dialog.Input{start("x"), btn("en"), btn("yes"), btn("eligibility"), btn("valid"), text("3"), btn("back"), text("4"), btn("no"), text("+994501234567"), result("match"), btn("baku"), result("ok")}
	done := make(chan []string)
	for range 8 {
		go func() {
			var sess dialog.Session
			var events []dialog.Event
			for _, in := range inputs {
				events = set.Resume(&sess, in, events)
			}
			done <- summary(events)
		}()
	}
	first := <-done
	for range 7 {
		if got := <-done; strings.Join(got, "\n") != strings.Join(first, "\n") {
			t.Errorf("conversations differ:\n%q\n%q", got, first)
		}
	}
}
