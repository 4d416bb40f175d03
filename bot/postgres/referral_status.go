package postgres

import "github.com/yol-project/yol/bot/referral"

// closedStatuses lists the statuses that end a case (from bot/referral), as
// the text the referrals table stores, for "status <> ALL(...)".
func closedStatuses() []string {
	var out []string
	for _, s := range referral.ClosedStatuses() {
		out = append(out, string(s))
	}
	return out
}
