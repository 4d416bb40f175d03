package bot

// Actions of talking to a person: which department reads the case, the
// referral and its status.

import (
	"crypto/rand"
	"errors"
	"strings"

	"github.com/yol-project/yol/bot/dialog"
	"github.com/yol-project/yol/bot/referral"
)

// codeAlphabet has no 0, O, 1 or I, which are easy to confuse aloud.
const codeAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// NewReferralCode returns a code such as "K7M-4QX9".
func NewReferralCode() string {
	b := make([]byte, 7)
	rand.Read(b)
	out := make([]byte, 0, 8)
	for i, c := range b {
		if i == 3 {
			out = append(out, '-')
		}
		out = append(out, codeAlphabet[int(c)%len(codeAlphabet)])
	}
	return string(out)
}

// newCode returns a new referral code, from Service.NewCode when it is set.
func (t *turn) newCode() string {
	if t.svc.NewCode != nil {
		return t.svc.NewCode()
	}
	return NewReferralCode()
}

// department returns the office a referral goes to: the one in var
// department when it takes referrals, else the department nearest to the
// person's place, else the central office.
func (t *turn) department() string {
	if o := t.office(t.vars()["department"]); o != nil && isDepartment(o) {
		return o.ID
	}
	if lat, lng, _, ok := t.place(); ok {
		if d := t.nearestDepartment(lat, lng); d != "" {
			return d
		}
	}
	for _, o := range t.content.KB.Offices() {
		if o.Kind == "central" {
			return o.ID
		}
	}
	return ""
}

// actChooseDepartment sets var department, so that the person sees which
// department would read their case before they agree to send it.
func (t *turn) actChooseDepartment(e *dialog.Event) (string, error) {
	d := t.department()
	t.vars()["department"] = d
	if d == "" {
		return "none", nil
	}
	return "ok", nil
}

// actCreateReferral creates a referral to the person's department, or
// returns the existing open one. Its result is "ok", or "no_consent"
// without consent.
func (t *turn) actCreateReferral(e *dialog.Event) (string, error) {
	if !t.conv.Consented() {
		return "no_consent", nil
	}
	// One open referral per conversation: a second request gets the code of
	// the first (the store enforces it too, for requests that race).
	switch open, err := t.tx.OpenReferral(t.ctx, t.conv); {
	case err == nil:
		return t.referralExists(open), nil
	case !isNotFound(err):
		return "", err
	}
	v := t.vars()
	v["department"] = t.department()
	reader, err := t.organisation()
	if err != nil {
		return "", err
	}
	v[varOrganisation] = reader.ID
	r := &Referral{
		Code:          t.newCode(),
		Department:    reader.ID, // the organisation that reads it (a department, or one admins added)
		Language:      t.lang(),
		Pathway:       v["pathway"],
		Status:        referral.StatusNew,
		ContactMethod: "telegram",
		Campaign:      t.conv.Campaign,
		Summary:       t.referralSummary(t.content.Texts.Source()),
		Summaries:     map[string]string{},
	}
	for _, lang := range t.content.Settings.StaffLanguages {
		if t.content.Texts.Language(lang) != nil {
			r.Summaries[lang] = t.referralSummary(lang)
		}
	}
	if v["contact"] == "phone" && v["phone"] != "" {
		r.ContactMethod, r.Phone = "phone", v["phone"]
	}
	if err := t.tx.CreateReferral(t.ctx, t.conv, r); isReferralOpen(err) {
		return t.referralExists(r), nil
	} else if err != nil {
		return "", err
	}
	if t.svc.OnReferral != nil {
		if err := t.svc.OnReferral(t.ctx, t.tx, r); err != nil {
			return "", err
		}
	}
	if err := t.event("referral_created", map[string]string{"department": reader.ID, "kind": string(reader.Kind)}); err != nil {
		return "", err
	}
	v["referral_code"] = r.Code
	return "ok", nil
}

// referralSummary is what staff read, in language src (the pack's source
// language and each staff language): the answers, the pathway and the
// checklist ticks, or, when the person chose to share only that they need
// help (share_scope minimal), that alone.
func (t *turn) referralSummary(src string) string {
	if t.vars()["share_scope"] == "minimal" {
		// The person chose to share nothing but that they need help.
		return t.textIn(src, "summary.minimal") + "\n"
	}
	var b strings.Builder
	for _, q := range t.content.KB.Questions() {
		a := t.vars()[q.ID]
		if a == "" {
			continue
		}
		label := a
		for _, ans := range q.Answers {
			if ans.ID == a {
				label = t.textIn(src, ans.Label)
			}
		}
		b.WriteString(t.textIn(src, q.Text) + " — " + label + "\n")
	}
	if p := t.content.KB.Pathway(t.vars()["pathway"]); p != nil {
		b.WriteString(t.textIn(src, "summary.pathway") + " " + t.textIn(src, p.Title) + "\n")
	}
	var have []string
	for _, id := range t.ticks() {
		if d := t.content.KB.Document(id); d != nil {
			have = append(have, t.textIn(src, d.Title))
		}
	}
	if len(have) > 0 {
		b.WriteString(t.textIn(src, "summary.documents_at_hand") + " " + strings.Join(have, "; ") + "\n")
	}
	return b.String()
}

// actReferralStatus puts the code and status of the person's open referral
// in vars. Its result is "open", or "none" without one.
func (t *turn) actReferralStatus(e *dialog.Event) (string, error) {
	r, err := t.tx.OpenReferral(t.ctx, t.conv)
	if errors.Is(err, ErrNotFound) {
		return "none", nil
	}
	if err != nil {
		return "", err
	}
	v := t.vars()
	v["referral_code"] = r.Code
	v["referral_status"] = t.text(r.Status.MessageID(), nil)
	return "open", nil
}
