package web

import (
	"testing"

	"github.com/yol-project/yol/bot/referral"
)

// TestEveryStatusHasALabel: the console names every status of the workflow
// (and so has a flash banner for every change).
func TestEveryStatusHasALabel(t *testing.T) {
	for _, s := range referral.Statuses() {
		if _, ok := statusLabels[s]; !ok {
			t.Errorf("status %q has no console label", s)
		}
		if _, ok := flashMessages[statusFlash(s)]; !ok {
			t.Errorf("status %q has no flash banner", s)
		}
	}
	if len(statusLabels) != len(referral.Statuses()) {
		t.Errorf("%d labels for %d statuses", len(statusLabels), len(referral.Statuses()))
	}
	if got := statusLabel("not_eligible"); got != "Not eligible" {
		t.Errorf("label of a plain string: %q", got)
	}
}
