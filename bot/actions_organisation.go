package bot

// Actions of choosing who reads a case: the State Migration Service
// department of the person's place, or, where admins added one that serves
// it, a free legal aid organisation or a protection partner (bot/org).

import (
	"context"
	"errors"
	"math"
	"slices"
	"time"

	"github.com/yol-project/yol/bot/dialog"
	"github.com/yol-project/yol/bot/org"
)

// Vars of the choice: the organisation chosen, and the one of each other
// kind that the person was offered.
const (
	varOrganisation = "organisation"
	varOrgLegalAid  = "org_legal_aid"
	varOrgProtect   = "org_protection"
)

// dangers reads what the person said that calls for protection first.
func (t *turn) dangers() []org.Danger {
	v := t.vars()
	var out []org.Danger
	if v["danger"] == "fear_return" || v["danger"] == "both" {
		out = append(out, org.Asylum)
	}
	if v["danger"] == "exploited" || v["danger"] == "both" || v["passport"] == "taken" {
		out = append(out, org.Trafficking)
	}
	if v["minor_alone"] == "yes" {
		out = append(out, org.Child)
	}
	return out
}

// organisations lists every organisation a case may go to: the pack's
// departments and those admins added (read once per message).
func (t *turn) organisations() ([]org.Organisation, error) {
	if t.orgs != nil {
		return t.orgs, nil
	}
	var all []org.Organisation
	for _, o := range t.content.KB.Offices() {
		if isDepartment(o) {
			all = append(all, org.Organisation{ID: o.ID, Kind: org.Department, FromPack: true})
		}
	}
	stored, err := t.tx.Organisations(t.ctx)
	if err != nil {
		return nil, err
	}
	t.orgs = append(all, stored...)
	return t.orgs, nil
}

// areaCity is the city the person is in, as far as Yol knows: the one they
// chose, else the city of the department for their place.
func (t *turn) areaCity(department string) string {
	if c := t.vars()["city"]; c != "" {
		return c
	}
	if o := t.office(department); o != nil {
		return o.City
	}
	return ""
}

// choices returns the organisations the person may choose, protection
// partners for their dangers first; the department is always among them.
func (t *turn) choices() ([]org.Organisation, error) {
	all, err := t.organisations()
	if err != nil {
		return nil, err
	}
	// Of one kind, an organisation of the person's city before one of the
	// whole country (Choices keeps this order within a kind).
	local := slices.Clone(all)
	slices.SortStableFunc(local, func(a, b org.Organisation) int {
		return min(len(b.Cities), 1) - min(len(a.Cities), 1)
	})
	dept := t.department()
	out := org.Choices(local, dept, t.areaCity(dept), t.dangers())
	return out, nil
}

// actChooseOrganisation finds who may read the case and says which choice
// the dialog offers: "department" (the department only), "legal_aid",
// "protection" or "both" (the department and one or two others). The
// department is chosen until the person picks another.
func (t *turn) actChooseOrganisation(e *dialog.Event) (string, error) {
	choices, err := t.choices()
	if err != nil {
		return "", err
	}
	v := t.vars()
	v[varOrganisation], v[varOrgLegalAid], v[varOrgProtect] = t.department(), "", ""
	for _, o := range choices {
		switch {
		case o.Kind == org.LegalAid && v[varOrgLegalAid] == "":
			v[varOrgLegalAid] = o.ID
		case o.Kind == org.Protection && v[varOrgProtect] == "":
			v[varOrgProtect] = o.ID
		}
	}
	switch {
	case v[varOrgLegalAid] != "" && v[varOrgProtect] != "":
		return "both", nil
	case v[varOrgProtect] != "":
		return "protection", nil
	case v[varOrgLegalAid] != "":
		return "legal_aid", nil
	}
	return "department", nil
}

// actSetOrganisation takes the person's choice (var org_kind: department,
// legal_aid or protection) among those actChooseOrganisation offered.
func (t *turn) actSetOrganisation(e *dialog.Event) (string, error) {
	v := t.vars()
	kind := org.Kind(v["org_kind"])
	switch kind {
	case org.LegalAid:
		v[varOrganisation] = v[varOrgLegalAid]
	case org.Protection:
		v[varOrganisation] = v[varOrgProtect]
	default:
		v[varOrganisation] = t.department()
	}
	if v[varOrganisation] == "" {
		v[varOrganisation] = t.department()
		return "department", nil
	}
	return string(kind), nil
}

// organisation returns who reads the case: the organisation the person
// chose, while it still takes cases and serves their place, else the
// department.
func (t *turn) organisation() (org.Organisation, error) {
	dept := org.Organisation{ID: t.department(), Kind: org.Department, FromPack: true}
	id := t.vars()[varOrganisation]
	if id == "" || id == dept.ID {
		return dept, nil
	}
	choices, err := t.choices()
	if err != nil {
		return dept, err
	}
	for _, o := range choices {
		if o.ID == id {
			return o, nil
		}
	}
	return dept, nil
}

// orgName renders an organisation's name in the person's language: a
// department's from the pack, another's as the admins wrote it (in the
// pack's source language where they gave none in the person's).
func (t *turn) orgName(o org.Organisation) string {
	if o.FromPack {
		if of := t.office(o.ID); of != nil {
			return t.render(of.Name, nil, nil)
		}
		return t.render("referral.recipient", nil, nil)
	}
	return o.Name(t.lang(), t.content.Texts.Source())
}

// lazyText is a template value rendered only when a text uses it.
type lazyText func() string

// String renders the value.
func (f lazyText) String() string { return f() }

// orgTemplateData adds the organisation values texts may use
// (bot/ACTIONS.md): organisation_name and organisation_kind of the chosen
// one, legal_aid_name and protection_name of those offered.
func (t *turn) orgTemplateData(td map[string]any) {
	named := func(varName string) lazyText {
		return func() string {
			all, err := t.organisations()
			if err != nil {
				return ""
			}
			for _, o := range all {
				if o.ID == t.vars()[varName] {
					return t.orgName(o)
				}
			}
			return ""
		}
	}
	set := func(k string, v lazyText) {
		if _, ok := td[k]; !ok {
			td[k] = v
		}
	}
	set("organisation_name", func() string {
		o, _ := t.organisation()
		return t.orgName(o)
	})
	set("organisation_kind", func() string {
		o, _ := t.organisation()
		return t.render("referral.kind."+string(o.Kind), nil, nil)
	})
	set("legal_aid_name", named(varOrgLegalAid))
	set("protection_name", named(varOrgProtect))
}

// HandoverButton starts the data of the buttons under a handover question
// (staff handed a case to an organisation of another kind): "yes" or "no"
// follows. They are service buttons, answered whatever the person is doing.
const HandoverButton = "!handover:"

// handoverTx is what answering a handover needs of the store.
type handoverTx interface {
	// AnswerHandover records the person's answer and returns the
	// organisation the case is with afterwards (ErrNotFound: none waits).
	AnswerHandover(ctx context.Context, c *Conversation, agree bool) (string, error)
}

// answerHandover takes the person's answer to a handover question.
func (t *turn) answerHandover(answer string) error {
	ht, ok := t.tx.(handoverTx)
	if !ok || !t.conv.Consented() {
		t.say("referral.handover.none", nil)
		return nil
	}
	agree := answer == "yes"
	to, err := ht.AnswerHandover(t.ctx, t.conv, agree)
	switch {
	case errors.Is(err, ErrNotFound):
		t.say("referral.handover.none", nil)
		return nil
	case err != nil:
		return err
	case !agree:
		t.say("referral.handover.kept", nil)
		return t.event("handover_declined", nil)
	}
	all, err := t.organisations()
	if err != nil {
		return err
	}
	name := t.render("referral.recipient", nil, nil)
	for _, o := range all {
		if o.ID == to {
			name = t.orgName(o)
		}
	}
	t.say("referral.handover.agreed", map[string]string{"name": name})
	return t.event("handover_agreed", map[string]string{"department": to})
}

// waitTx is what telling the usual wait needs of the store.
type waitTx interface {
	// UsualWait returns the median time to a first answer of an
	// organisation's recent cases, and false when too few to tell.
	UsualWait(ctx context.Context, organisation string, now time.Time) (time.Duration, bool, error)
}

// actTellWait tells the person, after a referral is sent, when the
// organisation works (when its hours are known) and how soon it usually
// answered in the last 30 days (when enough cases tell it). It says
// nothing it does not know.
func (t *turn) actTellWait(e *dialog.Event) (string, error) {
	reader, err := t.organisation()
	if err != nil {
		return "", err
	}
	hours := reader.Hours
	if reader.FromPack {
		if o := t.office(reader.ID); o != nil {
			hours = t.officeHours(o)
		}
	}
	if hours != "" {
		t.say("referral.wait.hours", map[string]string{"hours": hours})
	}
	wt, ok := t.tx.(waitTx)
	if !ok {
		return "ok", nil
	}
	wait, known, err := wt.UsualWait(t.ctx, reader.ID, t.now)
	if err != nil || !known {
		return "ok", err
	}
	if days := int(math.Ceil(wait.Hours() / 24)); days > 1 {
		t.say("referral.wait.usual_days", map[string]string{"days": t.render("common.days", map[string]any{"count": days}, days)})
	} else {
		t.say("referral.wait.usual_day", nil)
	}
	return "ok", nil
}
