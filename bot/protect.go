package bot

// Sensitive replies: what an employer, a trafficker or a police check must
// not find forwarded or saved from the person's phone. The rule is the
// application's, not the channel's: eligibility results and a way's
// details (from the person's answers), the document checklist, what Yol
// holds about the person (/mydata), and every text that shows the
// person's referral code (the referral, /status). The office summary,
// meant to be shown at a counter, stays shareable.

import "strings"

// sensitive marks the pending texts: the reply they go out in is
// protected (Reply.Protect).
func (t *turn) sensitive() { t.protect = true }

// showsCode reports whether text shows the person's referral code (var
// referral_code): the reference code and the case status are sensitive
// wherever the content puts them.
func (t *turn) showsCode(text string) bool {
	code := t.conv.Session.Vars["referral_code"]
	return code != "" && strings.Contains(text, code)
}
