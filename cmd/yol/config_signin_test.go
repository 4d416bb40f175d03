package main

import (
	"strings"
	"testing"
	"time"
)

// YOL_SIGNIN_RETENTION_DAYS: 90 days unless set, 1 to 3650, and it reaches
// the janitor's retention periods.
func TestSignInRetentionSetting(t *testing.T) {
	for _, tt := range []struct {
		value string
		want  time.Duration
		err   bool
	}{
		{"", 90 * 24 * time.Hour, false},
		{"30", 30 * 24 * time.Hour, false},
		{"0", 0, true},
		{"3651", 0, true},
		{"ninety", 0, true},
	} {
		c, errs := loadWith(map[string]string{"YOL_SIGNIN_RETENTION_DAYS": tt.value}, nil)
		if tt.err {
			if len(errs) != 1 || !strings.Contains(errs[0].Error(), "YOL_SIGNIN_RETENTION_DAYS") {
				t.Errorf("%q: errors %v, want one naming YOL_SIGNIN_RETENTION_DAYS", tt.value, errs)
			}
			continue
		}
		if len(errs) != 0 || c.SignInRetention != tt.want {
			t.Errorf("%q: got %v (errors %v), want %v", tt.value, c.SignInRetention, errs, tt.want)
		}
		if got := retention(c).SignIns; got != tt.want {
			t.Errorf("%q: the janitor's sign-in retention = %v, want %v", tt.value, got, tt.want)
		}
	}
}
