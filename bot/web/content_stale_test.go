package web_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/yol-project/yol/bot/web"
)

// TestContentPageListsStaleFacts: the content page lists the live pack's
// facts verified longer ago than the server's StaleAge, in the staff
// language, and none when every date is recent enough.
func TestContentPageListsStaleFacts(t *testing.T) {
	verified := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC) // the test pack's dates
	for _, tc := range []struct {
		name, lang string
		age        time.Duration
		want       []string
		wantNot    string
	}{
		{"all stale", "en", time.Hour, []string{"Facts to check again", "<code>baku_dept</code>", "<code>knowledge/offices.yaml</code>", "office", "2026-11-28"}, "Every fact was verified recently."},
		{"all stale in Russian", "ru", time.Hour, []string{"Факты для повторной проверки", "учреждение"}, "Facts to check again"},
		{"none stale", "en", time.Since(verified) + 48*time.Hour, []string{"Every fact was verified recently."}, "<code>baku_dept</code>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newContentEnv(t, func(s *web.Server) { s.StaleAge = tc.age })
			c := e.signIn("eda")
			if r := c.post("/console/language", url.Values{"language": {tc.lang}}); r.code >= 400 {
				t.Fatalf("language: %d", r.code)
			}
			r := c.get("/console/content")
			for _, w := range tc.want {
				if !strings.Contains(r.body, w) {
					t.Errorf("content page lacks %q", w)
				}
			}
			if strings.Contains(r.body, tc.wantNot) {
				t.Errorf("content page has %q", tc.wantNot)
			}
		})
	}
}
