package bot

import "errors"

// ErrReferralOpen is returned by Tx.CreateReferral when the conversation
// already has a referral that is not closed: one open referral per
// conversation. The referral passed in is then filled with the open one.
var ErrReferralOpen = errors.New("the conversation has an open referral")

// referralExists tells the dialog about the person's open referral (its
// code and status, for the "already open" text) and returns the action
// result "exists".
func (t *turn) referralExists(r *Referral) string {
	v := t.vars()
	v["referral_code"] = r.Code
	v["referral_status"] = t.text(r.Status.MessageID(), nil)
	if r.Department != "" {
		v["department"] = r.Department
	}
	return "exists"
}

// isReferralOpen reports whether err is ErrReferralOpen.
func isReferralOpen(err error) bool { return errors.Is(err, ErrReferralOpen) }

// isNotFound reports whether err is ErrNotFound.
func isNotFound(err error) bool { return errors.Is(err, ErrNotFound) }
