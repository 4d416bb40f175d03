package staff

import "github.com/yol-project/yol/bot/referral"

// StageRegularized is the funnel's last stage: referrals that reached the
// status regularized. The stages before it are analytics event names.
const StageRegularized = string(referral.StatusRegularized)

// Stages are the funnel's stages, in order.
var Stages = []string{"started", "consented", "eligibility_done", "referral_created", StageRegularized}

// FunnelRow is the count of people (or referrals, for StageRegularized) at
// each stage, for one group (a language, a department, a week, a campaign).
type FunnelRow struct {
	Group  string
	Counts []int64 // by Stages
}
