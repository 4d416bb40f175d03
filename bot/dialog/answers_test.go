package dialog_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/yol-project/yol/bot/dialog"
)

const answersContent = `spec: 1
menu: m
commands: {number: number, date: date, phone: phone, yesno: yesno, text: text, contact: contact, branch: branch, set: set_it, jump: jump}
dialogs:
  m:
    nodes:
      q:
        ask: menu.q
        buttons:
          - {value: a, label: menu.a}
        next: q
  number:
    nodes:
      q: {ask: q.number, expect: number, min: -5, max: 100, save: v, next: done}
      done: {end: true}
  date:
    nodes:
      q: {ask: q.date, expect: date, save: v, next: done}
      done: {end: true}
  phone:
    nodes:
      q: {ask: q.phone, expect: phone, save: v, next: done}
      done: {end: true}
  yesno:
    nodes:
      q: {ask: q.yesno, expect: yesno, save: v, next: done}
      done: {end: true}
  text:
    nodes:
      q: {ask: q.text, expect: text, save: v, next: done}
      done: {end: true}
  contact:
    nodes:
      q: {ask: q.contact, expect: contact, save: v, next: done}
      done: {end: true}
  jump:
    nodes:
      s: {say: j.s, next: g}
      g: {goto: text.q}
  set_it:
    nodes:
      s: {set: {key: v, value: "on"}, next: clear}
      clear: {set: {key: v, value: ""}, next: done}
      done: {end: true}
  branch:
    nodes:
      q: {ask: q.text, expect: text, save: x, next: route}
      route:
        branch:
          - if: {var: x, eq: a}
            goto: eq
          - if: {var: x, in: [b, c]}
            goto: in
          - if: {all: [{var: x, gte: 10}, {var: x, lt: 20}]}
            goto: range
          - if: {any: [{var: x, gt: 100}, {var: x, lte: -1}]}
            goto: outside
          - if: {var: x, ne: d}
            goto: ne
          - if: {var: nothing, set: false}
            goto: unset
          - else: true
            goto: else
      eq: {say: r.eq, next: done}
      in: {say: r.in, next: done}
      range: {say: r.range, next: done}
      outside: {say: r.outside, next: done}
      ne: {say: r.ne, next: done}
      unset: {say: r.unset, next: done}
      else: {say: r.else, next: done}
      done: {end: true}
`

func loadAnswers(t *testing.T) *dialog.Set {
	t.Helper()
	set, problems := dialog.Load(fstest.MapFS{"d/a.yaml": {Data: []byte(answersContent)}}, "d")
	if set == nil {
		t.Fatalf("problems: %v", problems)
	}
	return set
}

// TestAnswers checks how typed answers are read: the value saved, or the
// invalid hint.
func TestAnswers(t *testing.T) {
	set := loadAnswers(t)
	tests := []struct {
		dialog string
		in     dialog.Input
		want   string // the saved value, or "" for an invalid answer
	}{
		{"number", text("42"), "42"},
		{"number", text(" 007 "), "7"},
		{"number", text("2,5"), "2.5"},
		{"number", text("-5"), "-5"},
		{"number", text("+3.25"), "3.25"},
		{"number", text("٤٢"), "42"},
		{"number", text("۱۰"), "10"},
		{"number", text("101"), ""},
		{"number", text("-6"), ""},
		{"number", text("1e3"), ""},
		{"number", text("NaN"), ""},
		{"number", text("3."), ""},
		{"number", text("1 000"), ""},
		{"number", text(""), ""},
		{"number", btn("no_such_button"), ""},
		{"date", text("2024-02-29"), "2024-02-29"},
		{"date", text("29.02.2024"), "2024-02-29"},
		{"date", text("1/2/2003"), "2003-02-01"},
		{"date", text("01-02-2003"), "2003-02-01"},
		{"date", text("۲۹/۰۲/۲۰۲۴"), "2024-02-29"},
		{"date", text("29.02.2023"), ""},
		{"date", text("31/04/2020"), ""},
		{"date", text("2020-13-01"), ""},
		{"date", text("01.02/2003"), ""},
		{"date", text("1899-12-31"), ""},
		{"date", text("tomorrow"), ""},
		{"phone", text("+994 50 123-45-67"), "+994501234567"},
		{"phone", text("(050) 123.45.67"), "0501234567"},
		{"phone", text("1234567"), "1234567"},
		{"phone", text("123456"), ""},
		{"phone", text("+1234567890123456"), ""},
		{"phone", text("12+34567"), ""},
		{"phone", text("call me"), ""},
		{"yesno", btn("yes"), "yes"},
		{"yesno", btn("no"), "no"},
		{"yesno", text("yes"), ""},
		{"yesno", btn("maybe"), ""},
		{"text", text("  Baku  "), "Baku"},
		{"text", text("   "), ""},
		{"contact", contact("994501234567"), "994501234567"},
		{"contact", contact("+994 50 123 45 67"), "+994501234567"},
		{"contact", contact("ext. 5"), "ext. 5"},
		{"contact", contact(""), ""},
		{"contact", text("+994501234567"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.dialog+"/"+string(tt.in.Kind)+"/"+tt.in.Text+tt.in.Value+tt.in.Phone, func(t *testing.T) {
			var sess dialog.Session
			set.Resume(&sess, cmd(tt.dialog), nil)
			events := set.Resume(&sess, tt.in, nil)
			got := summary(events)
			if tt.want == "" {
				if len(got) != 2 || !strings.HasPrefix(got[0], "say common.invalid.") || !strings.HasPrefix(got[1], "ask q.") {
					t.Errorf("events = %q, want an invalid hint and the question again", got)
				}
				return
			}
			if len(got) == 0 || got[0] != "set v="+tt.want {
				t.Errorf("events = %q, want first \"set v=%s\"", got, tt.want)
			}
		})
	}
}

func TestBranchConditions(t *testing.T) {
	set := loadAnswers(t)
	tests := []struct{ answer, want string }{
		{"a", "r.eq"},
		{"b", "r.in"},
		{"c", "r.in"},
		{"10", "r.range"},
		{"19.5", "r.range"},
		{"20", "r.ne"},
		{"101", "r.outside"},
		{"-1", "r.outside"},
		{"d", "r.unset"},
	}
	for _, tt := range tests {
		t.Run(tt.answer, func(t *testing.T) {
			var sess dialog.Session
			set.Resume(&sess, cmd("branch"), nil)
			got := summary(set.Resume(&sess, text(tt.answer), nil))
			if len(got) < 2 || got[1] != "say "+tt.want {
				t.Errorf("events = %q, want %q second", got, "say "+tt.want)
			}
		})
	}
}

func TestSetNode(t *testing.T) {
	set := loadAnswers(t)
	var sess dialog.Session
	got := summary(set.Resume(&sess, cmd("set"), nil))
	want := []string{"set v=on", "set v=", "end set_it", "ask menu.q [a]"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events = %q, want %q", got, want)
	}
	if _, ok := sess.Vars["v"]; ok {
		t.Errorf("var v = %q after setting it to \"\", want it removed", sess.Vars["v"])
	}
}

// TestGotoAcrossDialogs checks that goto replaces the current dialog, so
// that ending the target does not come back.
func TestGotoAcrossDialogs(t *testing.T) {
	set := loadAnswers(t)
	steps := []step{
		{cmd("jump"), []string{"say j.s", "ask q.text expect=text"}},
		{text("hi"), []string{"set v=hi", "end text", "ask menu.q [a]"}},
	}
	sess := play(t, set, nil, steps)
	if len(sess.Stack) != 1 || sess.Stack[0].Dialog != "m" {
		t.Errorf("stack = %v, want only the menu", sess.Stack)
	}
}

func TestBackHistoryIsBounded(t *testing.T) {
	set := loadValid(t)
	sess := dialog.Session{
		Stack: []dialog.Frame{{Dialog: "eligibility", Node: "q_years", Back: strings.Fields("a b c d e f g h i j k l q_passport")}},
		Wait:  dialog.WaitAnswer,
	}
	set.Resume(&sess, text("5"), nil)
	back := sess.Stack[0].Back
	if len(back) != dialog.MaxBack || back[len(back)-1] != "q_years" || back[len(back)-2] != "q_passport" {
		t.Errorf("back = %q, want the last %d questions ending with q_passport, q_years", back, dialog.MaxBack)
	}
	got := summary(set.Resume(&sess, btn("back"), nil))
	if want := "ask elig.q.years [back] expect=number"; len(got) != 1 || got[0] != want {
		t.Errorf("after back: %q, want %q", got, want)
	}
}
