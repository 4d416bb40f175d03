package main

import (
	"strings"
	"testing"
)

// YOL_PAID_BROADCAST: off unless "on"; anything else is named as an error.
func TestPaidBroadcastSetting(t *testing.T) {
	for _, tt := range []struct {
		value string
		want  bool
		err   bool
	}{
		{"", false, false},
		{"off", false, false},
		{"on", true, false},
		{"yes", false, true},
		{"ON ", false, true},
	} {
		c, errs := loadWith(map[string]string{"YOL_PAID_BROADCAST": tt.value}, nil)
		if tt.err {
			if len(errs) != 1 || !strings.Contains(errs[0].Error(), "YOL_PAID_BROADCAST") {
				t.Errorf("%q: errors %v, want one naming YOL_PAID_BROADCAST", tt.value, errs)
			}
			continue
		}
		if len(errs) != 0 || c.PaidBroadcast != tt.want {
			t.Errorf("%q: got %v (errors %v), want %v", tt.value, c.PaidBroadcast, errs, tt.want)
		}
	}
}
