package kb_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/yol-project/yol/bot/kb"
)

func ids(ms []kb.Match) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Pathway.ID
	}
	return out
}

func docIDs(ds []*kb.Document) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.ID
	}
	return out
}

func has(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// TestEvaluateEveryCombination walks every combination of answers (including
// "unknown" and a skipped question): nothing panics, the result is never
// empty, ends with the fallback, every result has a next step, the order is
// deterministic and the checklist resolves.
func TestEvaluateEveryCombination(t *testing.T) {
	b := loadReal(t)
	qs := b.Questions()
	answers := map[string]string{}
	combos := 0
	var walk func(i int)
	walk = func(i int) {
		if i == len(qs) {
			combos++
			got := b.Evaluate(answers)
			if len(got) == 0 {
				t.Fatalf("Evaluate(%v): empty", answers)
			}
			if last := got[len(got)-1].Pathway; !last.Fallback {
				t.Fatalf("Evaluate(%v): last is %s, want the fallback", answers, last.ID)
			}
			seen := map[string]bool{}
			var pids []string
			for _, m := range got {
				p := m.Pathway
				if seen[p.ID] {
					t.Fatalf("Evaluate(%v): %s twice", answers, p.ID)
				}
				seen[p.ID] = true
				if len(p.Steps) == 0 || len(p.ApplyAt) == 0 {
					t.Fatalf("Evaluate(%v): %s has no next step", answers, p.ID)
				}
				if len(m.Reasons) == 0 {
					t.Fatalf("Evaluate(%v): %s has no reason", answers, p.ID)
				}
				pids = append(pids, p.ID)
			}
			if again := ids(b.Evaluate(answers)); !reflect.DeepEqual(again, pids) {
				t.Fatalf("Evaluate(%v) not deterministic: %v then %v", answers, pids, again)
			}
			for _, d := range b.Checklist(pids, answers) {
				if d == nil || d.Title == "" {
					t.Fatalf("Checklist(%v): bad document", pids)
				}
			}
			return
		}
		q := qs[i]
		for _, a := range q.Answers {
			answers[q.ID] = a.ID
			walk(i + 1)
		}
		delete(answers, q.ID) // skipped question
		walk(i + 1)
	}
	walk(0)
	want := 1
	for _, q := range qs {
		want *= len(q.Answers) + 1
	}
	if combos != want {
		t.Errorf("combinations: got %d, want %d", combos, want)
	}
}

func TestEvaluateIgnoresBadInput(t *testing.T) {
	b := loadReal(t)
	for _, in := range []map[string]string{
		nil,
		{},
		{"passport": "VALID "},
		{"passport": "nonsense", "nosuchquestion": "x"},
	} {
		got := b.Evaluate(in)
		if len(got) == 0 || !got[len(got)-1].Pathway.Fallback {
			t.Errorf("Evaluate(%v) = %v, want a result ending with the fallback", in, ids(got))
		}
	}
	if got := b.Normalize(map[string]string{"passport": " Valid"})["passport"]; got != "valid" {
		t.Errorf("Normalize: got %q, want %q", got, "valid")
	}
}

type persona struct {
	name     string
	answers  map[string]string
	first    string   // the top pathway
	want     []string // pathways that must be in the result
	not      []string // pathways that must not
	reasons  []string // reasons that must be given (any pathway)
	docs     []string // documents that must be in the checklist of all results
	notDocs  []string
	docFirst []string // the checklist must start with these
}

// answers builds a full answer set; unspecified questions are "no"/"none".
func answers(kv ...string) map[string]string {
	a := map[string]string{
		"passport": "valid", "family": "none", "work": "none", "study": "none",
		"years": "1to5", "stateless": "no", "danger": "none", "minor_alone": "no",
	}
	for i := 0; i+1 < len(kv); i += 2 {
		a[kv[i]] = kv[i+1]
	}
	return a
}

func TestPersonas(t *testing.T) {
	b := loadReal(t)
	personas := []persona{
		{
			name:     "Uzbek man, expired passport, 3 years in Baku, works informally, no family",
			answers:  answers("passport", "expired", "work", "working_informally", "years", "1to5"),
			first:    "passport_first",
			want:     []string{"trp_work", "legalize_at_sms", "leave_in_order", "talk_to_person"},
			not:      []string{"asylum", "trp_family_citizen"},
			reasons:  []string{"reason.passport.expired", "reason.work.informal"},
			docs:     []string{"work_permit", "passport_copy"},
			docFirst: []string{"new_passport"},
		},
		{
			name:    "Russian woman married to a citizen, valid passport, overstayed her visa",
			answers: answers("family", "citizen_spouse"),
			first:   "trp_family_citizen",
			not:     []string{"legalize_at_sms", "leave_in_order", "passport_first"},
			reasons: []string{"reason.family.citizen_spouse"},
			docs:    []string{"passport_copy", "marriage_certificate", "relationship_proof", "relative_id_copy", "medical_certificate", "fee_receipt"},
			notDocs: []string{"new_passport"},
		},
		{
			name:    "Afghan family fleeing the Taliban, no passport",
			answers: answers("passport", "none", "danger", "fear_return", "years", "lt1"),
			first:   "asylum",
			not:     []string{"passport_first", "leave_in_order"},
			reasons: []string{"reason.danger.fear_return", "reason.asylum.no_passport"},
			docs:    []string{"asylum_application"},
			notDocs: []string{"new_passport"},
		},
		{
			name:    "Iranian man afraid to return, valid passport, works informally",
			answers: answers("danger", "fear_return", "work", "working_informally"),
			first:   "asylum",
			want:    []string{"trp_work", "legalize_at_sms"},
			not:     []string{"leave_in_order"},
		},
		{
			name:    "Stateless woman with an old Soviet passport, here since the 1980s",
			answers: answers("passport", "expired", "stateless", "yes", "years", "before1992"),
			want:    []string{"stateless_help", "citizenship_check"},
			not:     []string{"passport_first", "leave_in_order"},
			reasons: []string{"reason.years.before1992", "reason.stateless.yes"},
			docs:    []string{"identity_evidence"},
			notDocs: []string{"passport_copy", "new_passport"},
		},
		{
			name:    "Nepali worker whose employer took his passport and does not pay him",
			answers: answers("passport", "lost", "work", "working_informally", "danger", "exploited"),
			first:   "trafficking_victim",
			want:    []string{"passport_first", "trp_work"},
			not:     []string{"leave_in_order", "asylum"},
			reasons: []string{"reason.danger.exploited", "reason.trafficking.informal_work"},
		},
		{
			name:    "16-year-old Afghan boy alone, afraid to go back",
			answers: answers("passport", "none", "danger", "fear_return", "minor_alone", "yes", "years", "lt1"),
			first:   "child_alone",
			want:    []string{"asylum"},
			not:     []string{"leave_in_order", "passport_first"},
		},
		{
			name:    "Turkish student whose visa expired",
			answers: answers("study", "enrolled", "years", "lt1"),
			first:   "trp_study",
			not:     []string{"legalize_at_sms", "leave_in_order"},
			docs:    []string{"study_certificate", "passport_copy"},
		},
		{
			name:    "Georgian mother of an Azerbaijani child, 10 years here",
			answers: answers("family", "citizen_child", "years", "gt5"),
			first:   "trp_family_citizen",
			reasons: []string{"reason.family.citizen_child", "reason.years.long_prp"},
			docs:    []string{"relationship_proof"},
			notDocs: []string{"marriage_certificate"},
		},
		{
			name:    "Someone who answers 'I don't know' to everything",
			answers: answers("passport", "unknown", "family", "unknown", "work", "unknown", "study", "unknown", "years", "unknown", "stateless", "unknown", "danger", "unknown", "minor_alone", "unknown"),
			first:   "legalize_at_sms",
			want:    []string{"talk_to_person"},
			not:     []string{"leave_in_order", "asylum"},
			reasons: []string{"reason.talk.unknowns"},
		},
		{
			name:    "Someone who skips every question",
			answers: map[string]string{},
			first:   "legalize_at_sms",
			want:    []string{"talk_to_person"},
			not:     []string{"leave_in_order"},
		},
		{
			name:    "Kazakh man with a valid passport and a job offer",
			answers: answers("work", "offer", "years", "lt1"),
			first:   "trp_work",
			not:     []string{"legalize_at_sms", "leave_in_order"},
			reasons: []string{"reason.work.offer"},
			docs:    []string{"work_permit"},
		},
		{
			name:    "Wife of a foreign engineer who has a residence permit",
			answers: answers("family", "resident_family"),
			first:   "trp_family_resident",
			not:     []string{"legalize_at_sms", "trp_family_citizen"},
			docs:    []string{"marriage_certificate", "relative_id_copy"},
		},
		{
			name:     "Chinese trader who lost his passport, no family",
			answers:  answers("passport", "lost"),
			first:    "passport_first",
			want:     []string{"legalize_at_sms", "leave_in_order"},
			reasons:  []string{"reason.passport.lost"},
			docFirst: []string{"loss_report", "new_passport"},
		},
		{
			name:    "Refugee who fears return and is also exploited",
			answers: answers("danger", "both", "work", "working_informally"),
			first:   "asylum",
			want:    []string{"trafficking_victim", "trp_work"},
			not:     []string{"leave_in_order", "passport_first"},
		},
		{
			name:    "Person from Soviet times, unsure of citizenship, no passport",
			answers: answers("passport", "none", "stateless", "unknown", "years", "before1992"),
			want:    []string{"citizenship_check", "stateless_help", "passport_first"},
			not:     []string{"leave_in_order"},
			reasons: []string{"reason.stateless.maybe", "reason.stateless.citizenship"},
		},
		{
			name:    "Syrian with a valid passport, afraid to return, married to a citizen",
			answers: answers("danger", "fear_return", "family", "citizen_spouse"),
			first:   "asylum",
			want:    []string{"trp_family_citizen"},
			not:     []string{"legalize_at_sms"},
		},
		{
			name:    "Ukrainian with a valid passport, 2 years here, no ground",
			answers: answers(),
			first:   "legalize_at_sms",
			want:    []string{"leave_in_order"},
			not:     []string{"passport_first", "asylum"},
			reasons: []string{"reason.passport.valid", "reason.legalize.no_ground"},
		},
		{
			name:    "Tajik builder, expired passport, forced to work without pay",
			answers: answers("passport", "expired", "work", "working_informally", "danger", "exploited", "years", "gt5"),
			first:   "trafficking_victim",
			want:    []string{"passport_first", "trp_work", "legalize_at_sms"},
			not:     []string{"leave_in_order"},
		},
		{
			name:    "Stateless child alone",
			answers: answers("passport", "none", "stateless", "yes", "minor_alone", "yes"),
			first:   "child_alone",
			want:    []string{"stateless_help"},
			not:     []string{"passport_first", "leave_in_order"},
		},
		{
			name:     "Indian student who lost his passport",
			answers:  answers("passport", "lost", "study", "enrolled"),
			first:    "passport_first",
			want:     []string{"trp_study"},
			docFirst: []string{"loss_report", "new_passport"},
			docs:     []string{"study_certificate"},
		},
		{
			name:     "Pakistani husband of a citizen, expired passport",
			answers:  answers("passport", "expired", "family", "citizen_spouse"),
			first:    "passport_first",
			want:     []string{"trp_family_citizen"},
			docFirst: []string{"new_passport"},
			docs:     []string{"marriage_certificate"},
		},
		{
			name:    "Egyptian man who did not say whether he is in danger",
			answers: answers("danger", "unknown"),
			first:   "legalize_at_sms",
			not:     []string{"leave_in_order", "asylum"},
			reasons: []string{"reason.talk.unknowns"},
		},
		{
			name:    "Father of an Azerbaijani child, working without a permit",
			answers: answers("family", "citizen_child", "work", "working_informally"),
			first:   "trp_family_citizen",
			want:    []string{"trp_work"},
			not:     []string{"legalize_at_sms", "leave_in_order"},
		},
		{
			name:    "Adult child of a citizen, living here since Soviet times",
			answers: answers("family", "citizen_parent", "years", "before1992"),
			first:   "trp_family_citizen",
			want:    []string{"citizenship_check"},
			not:     []string{"leave_in_order"},
			notDocs: []string{"marriage_certificate"},
		},
		{
			name:    "Bangladeshi worker with a valid passport, less than a year, works informally",
			answers: answers("work", "working_informally", "years", "lt1"),
			first:   "trp_work",
			want:    []string{"legalize_at_sms", "leave_in_order"},
			not:     []string{"passport_first"},
		},
		{
			name:    "Stateless man with no papers who fears the country he lived in",
			answers: answers("passport", "none", "stateless", "yes", "danger", "fear_return"),
			first:   "asylum",
			want:    []string{"stateless_help"},
			not:     []string{"passport_first"},
			reasons: []string{"reason.asylum.stateless"},
			notDocs: []string{"new_passport"},
		},
		{
			name:     "Teenager living here with his parents, no passport",
			answers:  answers("passport", "none", "years", "gt5"),
			first:    "passport_first",
			want:     []string{"legalize_at_sms"},
			not:      []string{"child_alone"},
			docFirst: []string{"new_passport"},
		},
	}
	if len(personas) < 25 {
		t.Fatalf("got %d personas, want at least 25", len(personas))
	}
	for _, p := range personas {
		t.Run(p.name, func(t *testing.T) {
			got := b.Evaluate(p.answers)
			gotIDs := ids(got)
			if p.first != "" && gotIDs[0] != p.first {
				t.Errorf("first pathway: got %s, want %s (all: %v)", gotIDs[0], p.first, gotIDs)
			}
			for _, w := range p.want {
				if !has(gotIDs, w) {
					t.Errorf("got %v, want it to include %s", gotIDs, w)
				}
			}
			for _, n := range p.not {
				if has(gotIDs, n) {
					t.Errorf("got %v, want it not to include %s", gotIDs, n)
				}
			}
			var reasons []string
			for _, m := range got {
				reasons = append(reasons, m.Reasons...)
			}
			for _, r := range p.reasons {
				if !has(reasons, r) {
					t.Errorf("reasons: got %v, want %s", reasons, r)
				}
			}
			docs := docIDs(b.Checklist(gotIDs, p.answers))
			for _, d := range p.docs {
				if !has(docs, d) {
					t.Errorf("checklist: got %v, want %s", docs, d)
				}
			}
			for _, d := range p.notDocs {
				if has(docs, d) {
					t.Errorf("checklist: got %v, want no %s", docs, d)
				}
			}
			if len(p.docFirst) > 0 && (len(docs) < len(p.docFirst) || !reflect.DeepEqual(docs[:len(p.docFirst)], p.docFirst)) {
				t.Errorf("checklist: got %v, want it to start with %v", docs, p.docFirst)
			}
		})
	}
}

func TestChecklistUnknownPathwaysAndDuplicates(t *testing.T) {
	b := loadReal(t)
	a := answers("family", "citizen_spouse")
	got := docIDs(b.Checklist([]string{"nosuch", "trp_family_citizen", "trp_family_citizen", "trp_work"}, a))
	seen := map[string]bool{}
	for _, d := range got {
		if seen[d] {
			t.Errorf("checklist %v: %s twice", got, d)
		}
		seen[d] = true
	}
	if !has(got, "work_permit") || !has(got, "marriage_certificate") {
		t.Errorf("checklist: got %v, want documents of both pathways", got)
	}
	if got := b.Checklist(nil, nil); len(got) != 0 {
		t.Errorf("Checklist(nil): got %v, want none", docIDs(got))
	}
}

func TestFixtureEvaluate(t *testing.T) {
	b := loadFixture(t)
	tests := []struct {
		answers map[string]string
		want    string
	}{
		{map[string]string{"passport": "lost", "family": "citizen_spouse"}, "passport_first family person"},
		{map[string]string{"family": "citizen_spouse"}, "family person"},
		{nil, "person"},
	}
	for _, tt := range tests {
		if got := strings.Join(ids(b.Evaluate(tt.answers)), " "); got != tt.want {
			t.Errorf("Evaluate(%v): got %q, want %q", tt.answers, got, tt.want)
		}
	}
	got := docIDs(b.Checklist([]string{"family"}, map[string]string{"passport": "lost"}))
	if want := []string{"new_passport", "passport_copy"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Checklist: got %v, want %v", got, want)
	}
}

func TestConcurrentUse(t *testing.T) {
	b := loadReal(t)
	done := make(chan struct{})
	for g := 0; g < 8; g++ {
		go func(g int) {
			defer func() { done <- struct{}{} }()
			for i := 0; i < 200; i++ {
				a := answers("passport", []string{"valid", "lost", "expired"}[(g+i)%3], "danger", []string{"none", "fear_return"}[i%2])
				ms := b.Evaluate(a)
				b.Checklist(ids(ms), a)
				b.Nearest(40.4, 49.8, 3)
				b.SearchArticles("штраф", "ru")
			}
		}(g)
	}
	for g := 0; g < 8; g++ {
		<-done
	}
}
