package editor_test

import (
	"errors"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/editor"
)

// factsNow is the day the facts tests edit on.
var factsNow = time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)

// realPack reads the shipped pack's files.
func realPack(t *testing.T) map[string][]byte {
	t.Helper()
	files, err := bot.PackFiles(os.DirFS("../.."))
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// changedLines returns the lines of a that b does not have at the same
// place, assuming the same number of lines, or false when the counts
// differ.
func changedLines(a, b []byte) ([]int, bool) {
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	if len(la) != len(lb) {
		return nil, false
	}
	var out []int
	for i := range la {
		if la[i] != lb[i] {
			out = append(out, i+1)
		}
	}
	return out, true
}

// TestFactsListsEveryKind: the shipped pack has facts of every kind, each
// with sources and a date, and an aliased fee list once.
func TestFactsListsEveryKind(t *testing.T) {
	facts, err := editor.Facts(realPack(t))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	keys := map[string]bool{}
	for _, f := range facts {
		seen[f.Kind]++
		if keys[f.Key] {
			t.Errorf("fact %s listed twice", f.Key)
		}
		keys[f.Key] = true
		if len(f.Sources) == 0 || f.VerifiedOn == "" {
			t.Errorf("fact %s: sources %v, verified %q", f.Key, f.Sources, f.VerifiedOn)
		}
	}
	// The temporary residence fees are written once (an anchor) and used by three pathways.
	var shared editor.Fact
	for _, f := range facts {
		if f.Label == "fee.trp.1y_20d" {
			if shared.Key != "" {
				t.Errorf("the shared fee is listed twice: %s and %s", shared.Key, f.Key)
			}
			shared = f
		}
	}
	if len(shared.AlsoIn) < 2 {
		t.Errorf("fee.trp.1y_20d: also in %v, want the pathways that alias it", shared.AlsoIn)
	}
	for _, k := range editor.FactKinds {
		if seen[k] == 0 {
			t.Errorf("no fact of kind %s", k)
		}
	}
	for _, k := range []string{"fee/pathways.yaml/trp_work/0", "phone/offices.yaml/baku_central/phones", "phone/offices.yaml/police/number", "hours/offices.yaml/baku_central/hours"} {
		if !keys[k] {
			t.Errorf("fact %s not listed", k)
		}
	}
}

// TestSetFactEditsOneNode: a phone, a fee (with its own date added), a
// fine's range, a help number and opening hours each change only their
// lines, and the pack still loads and says the new value.
// A pathway that shares another's fees (an alias) still lists its own
// deadlines, and a shared deadline is listed once, where it is written.
func TestFactsOfAPathwayWithSharedFees(t *testing.T) {
	files := realPack(t)
	name := "knowledge/pathways.yaml"
	src := string(files[name])
	const shared = "    fees: *trp_fees\n    processing: *trp_processing\n"
	if !strings.Contains(src, shared) {
		t.Fatalf("%s no longer has a pathway sharing fees and processing; update the test", name)
	}
	own := "    fees: *trp_fees\n    processing: {text: pathway.trp.processing, sources: [sms_faq_az], verified_on: 2026-12-01}\n"
	files[name] = []byte(strings.Replace(src, shared, own, 1))
	facts, err := editor.Facts(files)
	if err != nil {
		t.Fatal(err)
	}
	ownDeadline, anchored := false, 0
	for _, f := range facts {
		if f.Kind != editor.FactDeadline {
			continue
		}
		if f.VerifiedOn == "2026-12-01" {
			ownDeadline = true
		} else if f.TextID == "term.trp.processing" {
			anchored++
		}
	}
	if !ownDeadline {
		t.Errorf("the deadline of a pathway whose fees are shared is not listed")
	}
	if anchored != 1 {
		t.Errorf("the shared processing time (&trp_processing) is listed %d times, want once where it is written", anchored)
	}
}

func TestSetFactEditsOneNode(t *testing.T) {
	files := realPack(t)
	facts, err := editor.Facts(files)
	if err != nil {
		t.Fatal(err)
	}
	find := func(pred func(editor.Fact) bool) editor.Fact {
		for _, f := range facts {
			if pred(f) {
				return f
			}
		}
		t.Fatal("no such fact")
		return editor.Fact{}
	}
	fee := find(func(f editor.Fact) bool { return f.Kind == editor.FactFee && f.Label == "fee.extension.30d_3d" })
	fine := find(func(f editor.Fact) bool { return f.Kind == editor.FactFine && f.HasMax })
	tests := []struct {
		name, key string
		in        editor.FactInput
		lines     int // how many lines change
		check     func(t *testing.T, c *bot.Content)
	}{
		{"office phone", "phone/offices.yaml/ganja_regional/phones", editor.FactInput{Phones: []string{"+994 22 265 19 30", "+994 22 265 19 31"}, Sources: []string{"metbuat_regional_phones_2020", "sms_press_398"}, VerifiedOn: "2026-12-01"}, 3,
			func(t *testing.T, c *bot.Content) {
				for _, o := range c.KB.Offices() {
					if o.ID == "ganja_regional" && (!slices.Equal(o.Phones, []string{"+994 22 265 19 30", "+994 22 265 19 31"}) || o.VerifiedOn != "2026-12-01") {
						t.Errorf("ganja phones %v verified %s", o.Phones, o.VerifiedOn)
					}
				}
			}},
		{"fee", fee.Key, editor.FactInput{Amount: "35", Sources: []string{"sms_state_fees"}, VerifiedOn: "2026-12-02"}, 1, nil},
		{"fine range", fine.Key, editor.FactInput{Amount: "310", AmountMax: "410.5", Sources: fine.Sources, VerifiedOn: "2026-11-30"}, 1, nil},
		{"help number", "phone/offices.yaml/police/number", editor.FactInput{Phones: []string{"102"}, Sources: []string{"trend_102_anama"}, VerifiedOn: "2026-12-01"}, 2, nil},
		{"hours", "hours/offices.yaml/baku_central/hours", editor.FactInput{Hours: "mon: 09:00-17:00\ntue: 09:00-17:00\nwed: 09:00-17:00\nthu: 09:00-17:00\nfri: 09:00-17:00", Sources: []string{"azerbaijans_sms"}, VerifiedOn: "2026-12-01"}, 7, nil},
		{"address", "address/offices.yaml/baku_central/address", editor.FactInput{Sources: []string{"azerbaijans_sms"}, VerifiedOn: "2026-12-01"}, 2, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, probs, err := editor.SetFact(files, tc.key, tc.in, factsNow)
			if err != nil || len(probs) > 0 {
				t.Fatalf("SetFact: %v %v", probs, err)
			}
			changed := 0
			for p := range files {
				if string(got[p]) == string(files[p]) {
					continue
				}
				changed++
				ls, same := changedLines(files[p], got[p])
				if !same || len(ls) != tc.lines {
					t.Errorf("%s: changed lines %v (same count %v), want %d", p, ls, same, tc.lines)
				}
			}
			if changed != 1 || len(got) != len(files) {
				t.Errorf("changed files = %d, want 1", changed)
			}
			c, lp := bot.LoadPack(bot.PackFS(got))
			if c == nil {
				t.Fatalf("the edited pack does not load: %v", lp)
			}
			after, _ := editor.Facts(got)
			for _, f := range after {
				if f.Key == tc.key && (f.VerifiedOn != tc.in.VerifiedOn || !slices.Equal(f.Sources, tc.in.Sources) || (tc.in.Amount != "" && f.Amount != tc.in.Amount)) {
					t.Errorf("after the edit: %+v", f)
				}
			}
			if tc.check != nil {
				tc.check(t, c)
			}
		})
	}
}

// TestSetFactRefusesBadInput: every bad input comes back as a problem
// and no files.
func TestSetFactRefusesBadInput(t *testing.T) {
	files := realPack(t)
	ok := editor.FactInput{Phones: []string{"+994 22 265 19 29"}, Sources: []string{"metbuat_regional_phones_2020"}, VerifiedOn: "2026-12-01"}
	fee := editor.FactInput{Amount: "30", Sources: []string{"sms_state_fees"}, VerifiedOn: "2026-12-01"}
	phone := "phone/offices.yaml/ganja_regional/phones"
	facts, _ := editor.Facts(files)
	var feeKey string
	for _, f := range facts {
		if f.Label == "fee.extension.30d_3d" {
			feeKey = f.Key
		}
	}
	with := func(in editor.FactInput, f func(*editor.FactInput)) editor.FactInput { f(&in); return in }
	tests := []struct {
		name, key string
		in        editor.FactInput
		want      string
	}{
		{"future date", phone, with(ok, func(i *editor.FactInput) { i.VerifiedOn = "2026-12-03" }), "console.facts.problem.future"},
		{"malformed date", phone, with(ok, func(i *editor.FactInput) { i.VerifiedOn = "1.12.2026" }), "console.facts.problem.date"},
		{"empty source", phone, with(ok, func(i *editor.FactInput) { i.Sources = nil }), "console.facts.problem.no_source"},
		{"unknown source", phone, with(ok, func(i *editor.FactInput) { i.Sources = []string{"my_friend"} }), "console.facts.problem.unknown_source"},
		{"malformed phone", phone, with(ok, func(i *editor.FactInput) { i.Phones = []string{"call 012 44"} }), "console.facts.problem.phone"},
		{"non-numeric fee", feeKey, with(fee, func(i *editor.FactInput) { i.Amount = "thirty" }), "console.facts.problem.amount"},
		{"negative fee", feeKey, with(fee, func(i *editor.FactInput) { i.Amount = "-5" }), "console.facts.problem.amount"},
		{"bad hours", "hours/offices.yaml/baku_central/hours", editor.FactInput{Hours: "monday 9 to 5", Sources: []string{"azerbaijans_sms"}, VerifiedOn: "2026-12-01"}, "console.facts.problem.hours"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, probs, err := editor.SetFact(files, tc.key, tc.in, factsNow)
			if err != nil || got != nil || !slices.Contains(probs, tc.want) {
				t.Errorf("got files %v, problems %v, err %v; want problem %s", got != nil, probs, err, tc.want)
			}
		})
	}
	if _, _, err := editor.SetFact(files, "phone/offices.yaml/atlantis/phones", ok, factsNow); !errors.Is(err, editor.ErrNoFact) {
		t.Errorf("a made-up fact: %v, want ErrNoFact", err)
	}
}

// A draft that removes a fee and clears the mark of the one after it: the
// approver is told of the mark change, named by the right fee.
func TestMarkChangesFollowTheFeeNotItsPlace(t *testing.T) {
	parent := realPack(t)
	name := "knowledge/pathways.yaml"
	src := string(parent[name])
	first := `      - {label: fee.trp_student.1y_20d, amount: 40,`
	second := `      - {label: fee.trp_student.1y_15d, amount: 60, currency: AZN, legal_basis: "Law on State Duty (full-time students)", sources: [azernews_student_fees_2019], unconfirmed: true, note: "As above: bill text, single source."}`
	i := strings.Index(src, first)
	if i < 0 || !strings.Contains(src, second) {
		t.Fatalf("%s no longer has the student fees this test edits; update the test", name)
	}
	end := i + strings.Index(src[i:], "\n") + 1
	cleared := strings.Replace(second, "unconfirmed: true, note: \"As above: bill text, single source.\"", "verified_on: 2026-12-02", 1)
	draft := maps.Clone(parent)
	draft[name] = []byte(strings.Replace(src[:i]+src[end:], second, cleared, 1))
	marks := editor.Diff(parent, draft).Marks
	if len(marks) != 1 || marks[0].Fact.Label != "fee.trp_student.1y_15d" || marks[0].Set {
		t.Fatalf("marks: got %+v, want the mark of fee.trp_student.1y_15d cleared", marks)
	}
	// A confirmed fee added in front changes no mark, though every fee
	// after it moves down a place.
	added := `      - {label: fee.trp_student.new, amount: 10, currency: AZN, sources: [azernews_student_fees_2019], verified_on: 2026-12-02}` + "\n"
	draft[name] = []byte(src[:i] + added + src[i:])
	if marks := editor.Diff(parent, draft).Marks; len(marks) != 0 {
		t.Errorf("a fee added in front: got mark changes %+v, want none", marks)
	}
}
