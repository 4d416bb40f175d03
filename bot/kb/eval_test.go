package kb_test

import (
	"reflect"
	"strings"
	"sync"
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

// reasonRequires says what each reason text asserts about the person, read
// from the English text, independently of the conditions in pathways.yaml:
// a reason may only be shown when this holds of the answers. A reason the
// table does not know fails the test, so a new reason gets its entry.
var reasonRequires = map[string]func(a map[string]string) bool{
	"reason.danger.fear_return":        in("danger", "fear_return", "both"),
	"reason.asylum.stateless":          in("stateless", "yes"),
	"reason.asylum.no_passport":        in("passport", "expired", "lost", "taken", "none"),
	"reason.minor_alone.yes":           in("minor_alone", "yes"),
	"reason.danger.exploited":          in("danger", "exploited", "both"),
	"reason.passport.taken":            in("passport", "taken"),
	"reason.passport.taken_first":      in("passport", "taken"),
	"reason.trafficking.informal_work": in("work", "working_informally"),
	"reason.passport.expired":          in("passport", "expired"),
	"reason.passport.lost":             in("passport", "lost"),
	"reason.passport.none":             in("passport", "none"),
	"reason.passport.valid":            in("passport", "valid"),
	"reason.stateless.yes":             in("stateless", "yes"),
	"reason.stateless.maybe":           func(a map[string]string) bool { return a["stateless"] == kb.Unknown && a["passport"] == "none" },
	"reason.stateless.citizenship":     in("stateless", "yes", kb.Unknown),
	"reason.years.before1992":          in("years", "before1992"),
	"reason.years.long":                in("years", "gt5", "before1992"),
	"reason.years.long_prp":            in("years", "gt5", "before1992"),
	"reason.family.citizen_spouse":     in("family", "citizen_spouse"),
	"reason.family.citizen_child":      in("family", "citizen_child"),
	"reason.family.citizen_parent":     in("family", "citizen_parent"),
	"reason.family.resident_family":    in("family", "resident_family"),
	"reason.work.offer":                in("work", "offer"),
	"reason.work.informal":             in("work", "working_informally"),
	"reason.study.enrolled":            in("study", "enrolled"),
	"reason.study.ended":               in("study", "ended"),
	"reason.study.ended_permit":        func(a map[string]string) bool { return a["study"] == "ended" && a["stay"] == "permit_valid" },
	"reason.stay.permit_valid":         in("stay", "permit_valid"),
	"reason.stay.permit_ended":         in("stay", "permit_ended"),
	"reason.stay.visa_valid":           in("stay", "visa_valid"),
	"reason.legalize.no_ground": func(a map[string]string) bool {
		return !in("family", "citizen_spouse", "citizen_child", "citizen_parent", "resident_family")(a) && a["work"] != "offer" && a["study"] != "enrolled"
	},
	"reason.leave.option": func(a map[string]string) bool { return a["danger"] == "none" && a["minor_alone"] == "no" },
	"reason.talk.always":  func(map[string]string) bool { return true },
	"reason.talk.unknowns": func(a map[string]string) bool {
		for _, v := range a {
			if v == kb.Unknown {
				return true
			}
		}
		return false
	},
}

func in(q string, answers ...string) func(map[string]string) bool {
	return func(a map[string]string) bool { return has(answers, a[q]) }
}

// protected: a child alone or a person asking for protection.
func protected(a map[string]string) bool {
	return a["minor_alone"] == "yes" || a["danger"] == "fear_return" || a["danger"] == "both"
}

// legalStay: a stay that still runs.
func legalStay(a map[string]string) bool {
	return a["stay"] == "permit_valid" || a["stay"] == "visa_valid"
}

// TestEvaluateEveryCombination walks every combination of answers
// (including "unknown"; a skipped question is the same as "unknown", see
// TestEvaluateIgnoresBadInput): nothing panics, the result is never empty,
// holds the fallback first or last, every result has a next step for this
// person, every reason shown is true of the answers (reasonRequires), the
// safety rules of pathways.yaml hold, the order is deterministic and the
// checklist resolves.
func TestEvaluateEveryCombination(t *testing.T) {
	b := loadReal(t)
	qs := b.Questions()
	want := 1
	for _, q := range qs {
		want *= len(q.Answers)
	}
	var mu sync.Mutex
	combos := 0
	// One parallel part per answer of the first question: the walk is long.
	t.Run("all", func(t *testing.T) {
		for _, first := range qs[0].Answers {
			t.Run(first.ID, func(t *testing.T) {
				t.Parallel()
				answers := map[string]string{qs[0].ID: first.ID}
				n := 0
				var walk func(i int)
				walk = func(i int) {
					if i == len(qs) {
						n++
						checkCombination(t, b, answers, n%101 == 0)
						return
					}
					q := qs[i]
					for _, a := range q.Answers {
						answers[q.ID] = a.ID
						walk(i + 1)
					}
				}
				walk(1)
				mu.Lock()
				combos += n
				mu.Unlock()
			})
		}
	})
	if combos != want {
		t.Errorf("combinations: got %d, want %d", combos, want)
	}
}

// checkCombination checks one answer set; again also evaluates it a second
// time for determinism (a sample: the walk is long).
func checkCombination(t *testing.T, b *kb.Base, answers map[string]string, again bool) {
	got := b.Evaluate(answers)
	if len(got) == 0 {
		t.Fatalf("Evaluate(%v): empty", answers)
	}
	fallbacks := 0
	for i, m := range got {
		if m.Pathway.Fallback {
			fallbacks++
			if i != 0 && i != len(got)-1 {
				t.Fatalf("Evaluate(%v): the fallback is at %d, want first or last", answers, i)
			}
		}
	}
	if fallbacks != 1 {
		t.Fatalf("Evaluate(%v): %d fallbacks, want 1", answers, fallbacks)
	}
	seen := map[string]bool{}
	var pids []string
	for _, m := range got {
		p := m.Pathway
		if seen[p.ID] {
			t.Fatalf("Evaluate(%v): %s twice", answers, p.ID)
		}
		seen[p.ID] = true
		if len(p.StepsFor(answers)) == 0 || len(p.ApplyAt) == 0 {
			t.Fatalf("Evaluate(%v): %s has no next step for this person", answers, p.ID)
		}
		if len(m.Reasons) == 0 {
			t.Fatalf("Evaluate(%v): %s has no reason", answers, p.ID)
		}
		for _, r := range m.Reasons {
			ok, known := reasonRequires[r]
			if !known {
				t.Fatalf("reason %s: add what it asserts to reasonRequires", r)
			}
			if !ok(answers) {
				t.Fatalf("Evaluate(%v): %s shows %s, which is not true of these answers", answers, p.ID, r)
			}
		}
		if protected(answers) || legalStay(answers) {
			if p.Kind == kb.KindLeave || p.ID == "legalize_at_sms" {
				t.Fatalf("Evaluate(%v): %s offered to a child alone, a person asking for protection or a person with a legal stay", answers, p.ID)
			}
			for _, f := range p.FeesFor(answers) {
				// No fine at all for a child alone or a person asking for
				// protection; no fine for the stay when the stay is legal.
				if strings.HasPrefix(f.Label, "fine.") && (protected(answers) || f.Label == "fine.stay_violation") {
					t.Fatalf("Evaluate(%v): %s shows the fine %s", answers, p.ID, f.Label)
				}
			}
			if has(p.StepsFor(answers), "pathway.trp.step_violation") {
				t.Fatalf("Evaluate(%v): %s says the stay is not legal", answers, p.ID)
			}
		}
		if p.Kind == kb.KindLeave && (answers["stay"] == "permit_ended" || answers["study"] == "ended" || answers["passport"] == "taken") {
			t.Fatalf("Evaluate(%v): leaving offered to a former resident or a person whose passport someone keeps", answers)
		}
		pids = append(pids, p.ID)
	}
	if again {
		if second := ids(b.Evaluate(answers)); !reflect.DeepEqual(second, pids) {
			t.Fatalf("Evaluate(%v) not deterministic: %v then %v", answers, pids, second)
		}
	}
	for _, d := range b.Checklist(pids, answers) {
		if d == nil || d.Title == "" {
			t.Fatalf("Checklist(%v): bad document", pids)
		}
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
		if len(got) == 0 || !got[0].Pathway.Fallback {
			t.Errorf("Evaluate(%v) = %v, want a person first (nothing is known)", in, ids(got))
		}
	}
	if got := b.Normalize(map[string]string{"passport": " Valid"})["passport"]; got != "valid" {
		t.Errorf("Normalize: got %q, want %q", got, "valid")
	}
	// A skipped question is the same as "I don't know".
	skipped := answers("danger", "unknown")
	delete(skipped, "danger")
	if got, want := ids(b.Evaluate(skipped)), ids(b.Evaluate(answers("danger", "unknown"))); !reflect.DeepEqual(got, want) {
		t.Errorf("skipped danger: got %v, want %v (as unknown)", got, want)
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

// answers builds a full answer set; unspecified questions are "no"/"none"
// (the stay: ended, the most common case of the people Yol serves).
func answers(kv ...string) map[string]string {
	a := map[string]string{
		"passport": "valid", "stay": "visa_ended", "family": "none", "work": "none", "study": "none",
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
			want:    []string{"trp_work"},
			not:     []string{"leave_in_order", "legalize_at_sms"},
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
			answers: answers("passport", "unknown", "stay", "unknown", "family", "unknown", "work", "unknown", "study", "unknown", "years", "unknown", "stateless", "unknown", "danger", "unknown", "minor_alone", "unknown"),
			first:   "talk_to_person",
			want:    []string{"legalize_at_sms"},
			not:     []string{"leave_in_order", "asylum"},
			reasons: []string{"reason.talk.unknowns"},
		},
		{
			name:    "Someone who skips every question",
			answers: map[string]string{},
			first:   "talk_to_person",
			want:    []string{"legalize_at_sms"},
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
			first:   "talk_to_person",
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
	personas = append(personas, []persona{
		{
			name:    "Indian engineer with a valid residence permit, 6 years here",
			answers: answers("stay", "permit_valid", "work", "offer", "years", "gt5"),
			first:   "renew_permit",
			want:    []string{"trp_work"},
			not:     []string{"leave_in_order", "legalize_at_sms"},
			reasons: []string{"reason.stay.permit_valid", "reason.years.long_prp"},
			docs:    []string{"stay_right_copy"},
		},
		{
			name:    "Turkish graduate, permit still valid, studies ended",
			answers: answers("stay", "permit_valid", "study", "ended"),
			first:   "renew_permit",
			not:     []string{"leave_in_order", "legalize_at_sms", "trp_study"},
			reasons: []string{"reason.study.ended_permit"},
		},
		{
			name:    "Russian visitor in her 60 visa-free days",
			answers: answers("stay", "visa_valid", "years", "lt1"),
			first:   "extend_stay",
			not:     []string{"leave_in_order", "legalize_at_sms"},
			reasons: []string{"reason.stay.visa_valid"},
			docs:    []string{"registration_confirmation"},
		},
		{
			name:    "Georgian whose residence permit ended a year ago, works informally",
			answers: answers("stay", "permit_ended", "work", "working_informally", "years", "gt5"),
			first:   "trp_work",
			want:    []string{"legalize_at_sms"},
			not:     []string{"leave_in_order"},
			reasons: []string{"reason.stay.permit_ended"},
		},
		{
			name:    "Former student whose studies and permit ended",
			answers: answers("stay", "permit_ended", "study", "ended"),
			first:   "legalize_at_sms",
			not:     []string{"leave_in_order", "trp_study"},
			reasons: []string{"reason.stay.permit_ended", "reason.study.ended"},
		},
		{
			name:    "Uzbek builder whose employer keeps his passport, says he is not in danger",
			answers: answers("passport", "taken", "work", "working_informally"),
			first:   "trafficking_victim",
			want:    []string{"passport_first"},
			not:     []string{"leave_in_order"},
			reasons: []string{"reason.passport.taken", "reason.passport.taken_first"},
			notDocs: []string{"loss_report"},
		},
		{
			name:    "Child alone who studies, overstayed: protection first, no fine route",
			answers: answers("minor_alone", "yes", "study", "enrolled", "passport", "none"),
			first:   "child_alone",
			want:    []string{"trp_study"},
			not:     []string{"leave_in_order", "legalize_at_sms"},
		},
		{
			name:    "Afghan asylum seeker with a job offer",
			answers: answers("danger", "fear_return", "work", "offer", "passport", "none"),
			first:   "asylum",
			want:    []string{"trp_work"},
			not:     []string{"leave_in_order", "legalize_at_sms", "passport_first"},
		},
		{
			name:    "Someone unsure about most things but afraid to go back",
			answers: answers("passport", "unknown", "stay", "unknown", "family", "unknown", "work", "unknown", "study", "unknown", "danger", "fear_return"),
			first:   "asylum",
			not:     []string{"leave_in_order", "legalize_at_sms"},
		},
	}...)
	if len(personas) < 35 {
		t.Fatalf("got %d personas, want at least 35", len(personas))
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
