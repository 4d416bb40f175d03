package editor_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/editor"
	"github.com/yol-project/yol/bot/kb"
)

// ptr returns a pointer to v.
func ptr[T any](v T) *T { return &v }

// factOf finds the fact with key in files.
func factOf(t *testing.T, files map[string][]byte, key string) editor.Fact {
	t.Helper()
	facts, err := editor.Facts(files)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range facts {
		if f.Key == key {
			return f
		}
	}
	t.Fatalf("no fact %s", key)
	return editor.Fact{}
}

// keyOfLabel is the key of the fact with label (a fee) or text (a term).
func keyOfLabel(t *testing.T, files map[string][]byte, label string) string {
	t.Helper()
	facts, err := editor.Facts(files)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range facts {
		if f.Label == label {
			return f.Key
		}
	}
	t.Fatalf("no fact %s", label)
	return ""
}

// officeOf is the office with id in c.
func officeOf(c *bot.Content, id string) *kb.Office {
	for _, o := range c.KB.Offices() {
		if o.ID == id {
			return o
		}
	}
	return nil
}

// feeOf is the fee with label of pathway id in c.
func feeOf(c *bot.Content, id, label string) *kb.Fee {
	for _, p := range c.KB.Pathways() {
		if p.ID != id {
			continue
		}
		for i := range p.Fees {
			if p.Fees[i].Label == label {
				return &p.Fees[i]
			}
		}
	}
	return nil
}

// trimmed is lines with their leading and trailing spaces cut.
func trimmed(lines []string) []string {
	var out []string
	for _, l := range lines {
		out = append(out, strings.TrimSpace(l))
	}
	return out
}

// TestSetFactMarks: setting and clearing the unconfirmed mark (in a fee
// written on one line, in a deadline's block mapping, in an office's list
// of unconfirmed fields) and editing a lunch break change exactly the
// lines meant, in that one file, the pack still loads, and the bot's
// knowledge says the new state.
func TestSetFactMarks(t *testing.T) {
	files := realPack(t)
	student := keyOfLabel(t, files, "fee.trp_student.1y_20d")
	extension := keyOfLabel(t, files, "fee.extension.30d_3d")
	validity := keyOfLabel(t, files, "term.trp.validity")
	const studentLine = `{label: fee.trp_student.1y_20d, amount: 40, currency: AZN, legal_basis: "Law on State Duty (full-time students)", sources: [azernews_student_fees_2019]`
	const studentNote = `note: "From the May 2019 bill; adoption of the package reported on 30 May 2019 (caucasus_processing_2019) but this line was not seen in the final text."`
	const extensionLine = `- {label: fee.extension.30d_3d, amount: 30, currency: AZN, legal_basis: "Law on State Duty (extension of the period of temporary stay), as listed by the State Migration Service", sources: [sms_state_fees, metbuat_extension_fees_2020]`
	hours := "mon: 09:00-18:00\ntue: 09:00-18:00\nwed: 09:00-18:00\nthu: 09:00-18:00\nfri: 09:00-18:00"
	baku := func(in editor.FactInput) editor.FactInput {
		in.Hours, in.Sources, in.VerifiedOn = hours, []string{"azerbaijans_sms", "angloinfo_registration", "wikipedia_sms_en", "oneclick_sms", "sms_baku_permits_2020"}, "2026-12-01"
		return in
	}
	tests := []struct {
		name, file, key string
		in              editor.FactInput
		removed, added  []string // the file's lines, spaces trimmed
		lines           int      // how many lines the file gains (negative: loses)
		check           func(t *testing.T, c *bot.Content)
	}{
		{"clear a fee's mark, keep its note", "pathways.yaml", student,
			editor.FactInput{Amount: "40", Sources: []string{"azernews_student_fees_2019"}, VerifiedOn: "2026-12-02", Unconfirmed: ptr(false)},
			[]string{"- " + studentLine + ", unconfirmed: true, " + studentNote + "}"},
			[]string{"- " + studentLine + ", " + studentNote + ", verified_on: 2026-12-02}"}, 0,
			func(t *testing.T, c *bot.Content) {
				if f := feeOf(c, "trp_study", "fee.trp_student.1y_20d"); f == nil || f.Unconfirmed || f.Note == "" {
					t.Errorf("fee after clearing: %+v", f)
				}
			}},
		{"clear a fee's mark and its note", "pathways.yaml", student,
			editor.FactInput{Amount: "40", Sources: []string{"azernews_student_fees_2019"}, VerifiedOn: "2026-12-02", Unconfirmed: ptr(false), Note: ptr("  ")},
			[]string{"- " + studentLine + ", unconfirmed: true, " + studentNote + "}"},
			[]string{"- " + studentLine + ", verified_on: 2026-12-02}"}, 0,
			func(t *testing.T, c *bot.Content) {
				if f := feeOf(c, "trp_study", "fee.trp_student.1y_20d"); f == nil || f.Unconfirmed || f.Note != "" {
					t.Errorf("fee after clearing: %+v", f)
				}
			}},
		{"set a fee's mark with a note", "pathways.yaml", extension,
			editor.FactInput{Amount: "30", Sources: []string{"sms_state_fees", "metbuat_extension_fees_2020"}, VerifiedOn: "2026-11-30", Unconfirmed: ptr(true), Note: ptr("The 2020\nlist may be out of date.")},
			[]string{extensionLine + "}"},
			[]string{extensionLine + `, unconfirmed: true, note: "The 2020 list may be out of date.", verified_on: 2026-11-30}`}, 0,
			func(t *testing.T, c *bot.Content) {
				if f := feeOf(c, "extend_stay", "fee.extension.30d_3d"); f == nil || !f.Unconfirmed || f.Note != "The 2020 list may be out of date." {
					t.Errorf("fee after setting: %+v", f)
				}
			}},
		{"clear a deadline's mark", "pathways.yaml", validity,
			editor.FactInput{Sources: []string{"trend_trp_fees_2019", "sms_application_periods"}, VerifiedOn: "2026-12-02", Unconfirmed: ptr(false)},
			[]string{"sources: [trend_trp_fees_2019, caucasus_trp_fees_2019, sms_application_periods]", "unconfirmed: true"},
			[]string{"sources: [trend_trp_fees_2019, sms_application_periods]", "verified_on: 2026-12-02"}, 0,
			func(t *testing.T, c *bot.Content) {
				for _, p := range c.KB.Pathways() {
					if p.Validity != nil && p.Validity.Text == "term.trp.validity" && p.Validity.Unconfirmed {
						t.Errorf("%s: the validity is still unconfirmed", p.ID)
					}
				}
			}},
		{"set an office's hours mark", "offices.yaml", "hours/offices.yaml/baku_central/hours",
			baku(editor.FactInput{Unconfirmed: ptr(true)}),
			[]string{"unconfirmed: [coordinates]", "verified_on: 2026-11-28"},
			[]string{"unconfirmed: [coordinates, hours]", "verified_on: 2026-12-01"}, 0,
			func(t *testing.T, c *bot.Content) {
				if o := officeOf(c, "baku_central"); !o.IsUnconfirmed("hours") || !o.IsUnconfirmed("coordinates") {
					t.Errorf("baku_central unconfirmed %v", o.Unconfirmed)
				}
			}},
		{"clear an office's hours mark", "offices.yaml", "hours/offices.yaml/ganja_regional/hours",
			editor.FactInput{Sources: []string{"metbuat_regional_phones_2020"}, VerifiedOn: "2026-12-02", Unconfirmed: ptr(false)},
			[]string{"unconfirmed: [address, hours, districts, name_en, name_ru]", "verified_on: 2026-11-28"},
			[]string{"unconfirmed: [address, districts, name_en, name_ru]", "verified_on: 2026-12-02"}, 0,
			func(t *testing.T, c *bot.Content) {
				if o := officeOf(c, "ganja_regional"); o.IsUnconfirmed("hours") || !o.IsUnconfirmed("address") {
					t.Errorf("ganja_regional unconfirmed %v", o.Unconfirmed)
				}
			}},
		{"change the lunch break", "offices.yaml", "hours/offices.yaml/baku_central/hours",
			baku(editor.FactInput{Lunch: ptr(" 12:30 - 13:30 ")}),
			[]string{`lunch: "13:00-14:00"`, "verified_on: 2026-11-28"},
			[]string{`lunch: "12:30-13:30"`, "verified_on: 2026-12-01"}, 0,
			func(t *testing.T, c *bot.Content) {
				if o := officeOf(c, "baku_central"); o.Lunch != "12:30-13:30" {
					t.Errorf("lunch %q", o.Lunch)
				}
			}},
		{"no lunch break", "offices.yaml", "hours/offices.yaml/baku_central/hours",
			baku(editor.FactInput{Lunch: ptr("")}),
			[]string{`lunch: "13:00-14:00"`, "verified_on: 2026-11-28"},
			[]string{"verified_on: 2026-12-01"}, -1,
			func(t *testing.T, c *bot.Content) {
				if o := officeOf(c, "baku_central"); o.Lunch != "" {
					t.Errorf("lunch %q", o.Lunch)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, probs, err := editor.SetFact(files, tc.key, tc.in, factsNow)
			if err != nil || len(probs) > 0 {
				t.Fatalf("SetFact: %v %v", probs, err)
			}
			p := "knowledge/" + tc.file
			for q := range files {
				if q != p && !bytes.Equal(got[q], files[q]) {
					t.Errorf("%s changed", q)
				}
			}
			d := editor.Diff(files, got)
			if len(d.Files) != 1 || d.Files[0].Path != p || len(d.Texts) != 0 {
				t.Fatalf("changes %+v, want %s alone", d, p)
			}
			if r, a := trimmed(d.Files[0].Removed), trimmed(d.Files[0].Added); !slices.Equal(r, tc.removed) || !slices.Equal(a, tc.added) {
				t.Errorf("removed\n%q\nadded\n%q\nwant\n%q\n%q", r, a, tc.removed, tc.added)
			}
			if n := bytes.Count(got[p], []byte("\n")) - bytes.Count(files[p], []byte("\n")); n != tc.lines {
				t.Errorf("the file gains %d lines, want %d", n, tc.lines)
			}
			c, lp := bot.LoadPack(bot.PackFS(got))
			if c == nil {
				t.Fatalf("the edited pack does not load: %v", lp)
			}
			tc.check(t, c)
			// The approver sees the mark change by name.
			was, now := factOf(t, files, tc.key).Unconfirmed, factOf(t, got, tc.key).Unconfirmed
			var marks []string
			for _, m := range d.Marks {
				marks = append(marks, m.Fact.Key)
				if m.Set != now {
					t.Errorf("mark change %+v, want set %v", m, now)
				}
			}
			if want := was != now; (len(marks) == 1 && marks[0] == tc.key) != want || len(marks) > 1 {
				t.Errorf("mark changes %v, want %s: %v", marks, tc.key, want)
			}
		})
	}
}

// TestSetFactMarkRoundTrips: setting a mark and clearing it again, or
// dropping a lunch break and adding it again, gives back the file as it
// was; the last field of an office's unconfirmed list cleared drops the
// list's line.
func TestSetFactMarkRoundTrips(t *testing.T) {
	files := realPack(t)
	p := "knowledge/offices.yaml"
	hours := "mon: 09:00-18:00\ntue: 09:00-18:00\nwed: 09:00-18:00\nthu: 09:00-18:00\nfri: 09:00-18:00"
	src := []string{"azerbaijans_sms", "angloinfo_registration", "wikipedia_sms_en", "oneclick_sms", "sms_baku_permits_2020"}
	key := "hours/offices.yaml/baku_central/hours"
	steps := func(t *testing.T, start map[string][]byte, ins ...editor.FactInput) map[string][]byte {
		t.Helper()
		cur := start
		for i, in := range ins {
			next, probs, err := editor.SetFact(cur, key, in, factsNow)
			if err != nil || len(probs) > 0 {
				t.Fatalf("step %d: %v %v", i, probs, err)
			}
			cur = next
		}
		return cur
	}
	at := func(in editor.FactInput) editor.FactInput {
		in.Hours, in.Sources, in.VerifiedOn = hours, src, "2026-11-28"
		return in
	}
	t.Run("lunch", func(t *testing.T) {
		got := steps(t, files, at(editor.FactInput{Lunch: ptr("")}), at(editor.FactInput{Lunch: ptr("13:00-14:00")}))
		if string(got[p]) != string(files[p]) {
			t.Errorf("lunch dropped and added back: the file differs\n%+v", editor.Diff(files, got).Files)
		}
	})
	t.Run("mark", func(t *testing.T) {
		// Clearing on the day the fact was last verified is allowed when it is today.
		got := steps(t, files, at(editor.FactInput{Unconfirmed: ptr(true)}))
		in := at(editor.FactInput{Unconfirmed: ptr(false)})
		in.VerifiedOn = "2026-12-02"
		got = steps(t, got, in)
		want := bytes.Replace(files[p], []byte("verified_on: 2026-11-28\n\n  - id: baku_regional"), []byte("verified_on: 2026-12-02\n\n  - id: baku_regional"), 1)
		if string(got[p]) != string(want) {
			t.Errorf("marked and cleared: the file differs\n%+v", editor.Diff(map[string][]byte{p: want}, got).Files)
		}
	})
	t.Run("last field", func(t *testing.T) {
		only := map[string][]byte{}
		for k, b := range files {
			only[k] = b
		}
		only[p] = bytes.Replace(files[p], []byte("    unconfirmed: [coordinates]\n"), []byte("    unconfirmed: [hours]\n"), 1)
		in := at(editor.FactInput{Unconfirmed: ptr(false)})
		in.VerifiedOn = "2026-12-01"
		got := steps(t, only, in)
		d := editor.Diff(only, got)
		if len(d.Files) != 1 || !slices.Equal(trimmed(d.Files[0].Removed), []string{"unconfirmed: [hours]", "verified_on: 2026-11-28"}) || !slices.Equal(trimmed(d.Files[0].Added), []string{"verified_on: 2026-12-01"}) {
			t.Errorf("changes %+v", d.Files)
		}
		if c, lp := bot.LoadPack(bot.PackFS(got)); c == nil || len(officeOf(c, "baku_central").Unconfirmed) != 0 {
			t.Errorf("the pack after: %v", lp)
		}
	})
}

// TestSetFactRefusesMarkChanges: clearing the mark without a known source
// or the day of the check, setting it on a fee without a note, marking a
// help number, and a lunch break that is no time range or lies outside
// the opening hours are refused, each with its message, and no files.
func TestSetFactRefusesMarkChanges(t *testing.T) {
	files := realPack(t)
	student := keyOfLabel(t, files, "fee.trp_student.1y_20d")
	extension := keyOfLabel(t, files, "fee.extension.30d_3d")
	clear := func(sources []string, date string) editor.FactInput {
		return editor.FactInput{Amount: "40", Sources: sources, VerifiedOn: date, Unconfirmed: ptr(false)}
	}
	ganja := func(sources []string, date string) editor.FactInput {
		return editor.FactInput{Sources: sources, VerifiedOn: date, Unconfirmed: ptr(false)}
	}
	hours := func(lunch string) editor.FactInput {
		return editor.FactInput{Hours: "mon: 09:00-18:00\nsat: 10:00-14:00", Lunch: ptr(lunch), Sources: []string{"azerbaijans_sms"}, VerifiedOn: "2026-12-01"}
	}
	tests := []struct {
		name, key string
		in        editor.FactInput
		want      string
	}{
		{"clear without a source", student, clear(nil, "2026-12-01"), "console.facts.problem.clear_source"},
		{"clear with an unknown source", student, clear([]string{"a_friend_said"}, "2026-12-01"), "console.facts.problem.clear_source"},
		{"clear without a date", student, clear([]string{"azernews_student_fees_2019"}, ""), "console.facts.problem.clear_date"},
		{"clear with a malformed date", student, clear([]string{"azernews_student_fees_2019"}, "yesterday"), "console.facts.problem.clear_date"},
		{"clear with a future date", student, clear([]string{"azernews_student_fees_2019"}, "2026-12-05"), "console.facts.problem.clear_date"},
		{"clear with the old date", "hours/offices.yaml/ganja_regional/hours", ganja([]string{"metbuat_regional_phones_2020"}, "2026-11-28"), "console.facts.problem.clear_date"},
		{"clear with an older date", "hours/offices.yaml/ganja_regional/hours", ganja([]string{"metbuat_regional_phones_2020"}, "2026-10-01"), "console.facts.problem.clear_date"},
		{"clear an office field without a source", "hours/offices.yaml/ganja_regional/hours", ganja(nil, "2026-12-01"), "console.facts.problem.clear_source"},
		{"set without a note", extension, editor.FactInput{Amount: "30", Sources: []string{"sms_state_fees"}, VerifiedOn: "2026-12-01", Unconfirmed: ptr(true)}, "console.facts.problem.note"},
		{"set with a blank note", extension, editor.FactInput{Amount: "30", Sources: []string{"sms_state_fees"}, VerifiedOn: "2026-12-01", Unconfirmed: ptr(true), Note: ptr(" \n ")}, "console.facts.problem.note"},
		{"drop the note of a marked fee", student, editor.FactInput{Amount: "40", Sources: []string{"azernews_student_fees_2019"}, VerifiedOn: "2026-12-01", Note: ptr("")}, "console.facts.problem.note"},
		{"lunch not a range", "hours/offices.yaml/baku_central/hours", hours("1pm"), "console.facts.problem.lunch"},
		{"lunch backwards", "hours/offices.yaml/baku_central/hours", hours("14:00-13:00"), "console.facts.problem.lunch"},
		{"lunch after a day's closing", "hours/offices.yaml/baku_central/hours", hours("13:30-14:30"), "console.facts.problem.lunch"},
		{"lunch without hours", "hours/offices.yaml/baku_central/hours", editor.FactInput{Lunch: ptr("13:00-14:00"), Sources: []string{"azerbaijans_sms"}, VerifiedOn: "2026-12-01"}, "console.facts.problem.lunch"},
		{"the kept lunch outside new hours", "hours/offices.yaml/baku_central/hours", editor.FactInput{Hours: "mon: 09:00-12:00", Sources: []string{"azerbaijans_sms"}, VerifiedOn: "2026-12-01"}, "console.facts.problem.lunch"},
		{"hours backwards", "hours/offices.yaml/baku_central/hours", editor.FactInput{Hours: "mon: 18:00-09:00", Sources: []string{"azerbaijans_sms"}, VerifiedOn: "2026-12-01"}, "console.facts.problem.hours"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, probs, err := editor.SetFact(files, tc.key, tc.in, factsNow)
			if err != nil || got != nil || !slices.Contains(probs, tc.want) {
				t.Errorf("got files %v, problems %v, err %v; want problem %s", got != nil, probs, err, tc.want)
			}
		})
	}
	// A lunch inside every open day's hours is fine, and so is today's date for a clearing.
	if _, probs, err := editor.SetFact(files, "hours/offices.yaml/baku_central/hours", hours("12:00-13:00"), factsNow); err != nil || len(probs) > 0 {
		t.Errorf("a lunch inside the hours: %v %v", probs, err)
	}
	if _, probs, err := editor.SetFact(files, student, clear([]string{"azernews_student_fees_2019"}, "2026-12-02"), factsNow); err != nil || len(probs) > 0 {
		t.Errorf("clearing today: %v %v", probs, err)
	}
}

// A help number is marked and cleared like an office's field: the file
// gains and loses its unconfirmed list, and the bot's view follows.
func TestHelpNumberMark(t *testing.T) {
	files := realPack(t)
	const key = "phone/offices.yaml/police/number"
	if f := factOf(t, files, key); f.Mark != editor.MarkField || f.Unconfirmed {
		t.Fatalf("police number: mark %q, unconfirmed %v; want a field mark, confirmed", f.Mark, f.Unconfirmed)
	}
	marked, probs, err := editor.SetFact(files, key, editor.FactInput{Phones: []string{"102"}, Sources: []string{"trend_102_anama"},
		VerifiedOn: "2026-12-01", Unconfirmed: ptr(true)}, factsNow)
	if err != nil || len(probs) > 0 {
		t.Fatalf("mark: %v %v", probs, err)
	}
	if f := factOf(t, marked, key); !f.Unconfirmed {
		t.Errorf("after marking: the fact reads as confirmed")
	}
	c, lprobs := bot.LoadPack(bot.PackFS(marked))
	if c == nil {
		t.Fatalf("the marked pack does not load: %v", lprobs)
	}
	for _, h := range c.KB.Hotlines() {
		if got, want := slices.Contains(h.Unconfirmed, "number"), h.ID == "police"; got != want {
			t.Errorf("hotline %s: number unconfirmed %v, want %v", h.ID, got, want)
		}
	}
	cleared, probs, err := editor.SetFact(marked, key, editor.FactInput{Phones: []string{"102"}, Sources: []string{"trend_102_anama"},
		VerifiedOn: "2026-12-02", Unconfirmed: ptr(false)}, factsNow)
	if err != nil || len(probs) > 0 {
		t.Fatalf("clear: %v %v", probs, err)
	}
	if f := factOf(t, cleared, key); f.Unconfirmed {
		t.Errorf("after clearing: the fact still reads as unconfirmed")
	}
	if strings.Count(string(cleared["knowledge/offices.yaml"]), "\n") != strings.Count(string(files["knowledge/offices.yaml"]), "\n") {
		t.Errorf("mark set and cleared: the file's line count changed")
	}
}
