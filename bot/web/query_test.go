package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/staff"
)

// TestNumericQueryParameters: a number too large for the database, a
// negative one or no number at all in a numeric query parameter gives the
// page with the value clamped into its range, never a 5xx.
func TestNumericQueryParameters(t *testing.T) {
	e := newEnv(t)
	ref := e.referral(bot.ChannelTelegram, 5001, "baku_dept", "en")
	e.account("boss", staff.RoleAdmin)
	admin := e.signIn("boss")
	newest := e.count("SELECT max(id) FROM audit_log")
	for _, tc := range []struct {
		path     string
		showsRef bool // the referral made just now is in the page
	}{
		{"/console/cases?age=2147483648", false},
		{"/console/cases?age=9223372036854775807", false},
		{"/console/cases?age=99999999999999999999999", false},
		{"/console/cases?age=3651", false},
		{"/console/cases?age=-5", true},
		{"/console/cases?age=-9223372036854775808", true},
		{"/console/cases?age=1e3", true},
		{"/console/cases?age=abc", true},
		{"/console/cases?age=", true},
		{"/console/cases?age=0&age=99999999999", true},
	} {
		r := admin.get(tc.path)
		if r.code != http.StatusOK {
			t.Errorf("GET %s: got %d, want 200", tc.path, r.code)
			continue
		}
		if got := strings.Contains(r.body, ref.Code); got != tc.showsRef {
			t.Errorf("GET %s: shows the new case = %v, want %v", tc.path, got, tc.showsRef)
		}
	}
	for _, before := range []string{"9223372036854775807", "2147483648", "-1", "-9223372036854775808", "1e9", "x", "0"} {
		r := admin.get("/console/audit?before=" + before)
		if r.code != http.StatusOK {
			t.Errorf("GET /console/audit?before=%s: got %d, want 200", before, r.code)
			continue
		}
		// Before a number larger than any id (or none at all) is the newest page.
		if want := "<td>" + strconv.Itoa(newest) + "</td>"; !strings.Contains(r.body, want) {
			t.Errorf("GET /console/audit?before=%s: the newest entry %d is not shown", before, newest)
		}
	}
}

// TestQueryTextMustBeText: a NUL or a byte that is not UTF-8 in a query
// parameter is a 400 (PostgreSQL's text cannot hold them); a filter that is
// not one of its choices is ignored.
func TestQueryTextMustBeText(t *testing.T) {
	e := newEnv(t)
	ref := e.referral(bot.ChannelTelegram, 5101, "baku_dept", "en")
	e.account("boss", staff.RoleAdmin)
	admin := e.signIn("boss")
	for _, tc := range []struct {
		query string
		want  int
	}{
		{"language=%00", http.StatusBadRequest},
		{"department=baku%00dept", http.StatusBadRequest},
		{"status=%FF", http.StatusBadRequest},
		{"%FF=1", http.StatusBadRequest},
		{"language=xx", http.StatusOK},
		{"department=nowhere&language=en", http.StatusOK},
	} {
		r := admin.get("/console/cases?" + tc.query)
		if r.code != tc.want {
			t.Errorf("GET /console/cases?%s: got %d, want %d", tc.query, r.code, tc.want)
		}
		if r.code == http.StatusOK && !strings.Contains(r.body, ref.Code) {
			t.Errorf("GET /console/cases?%s: an unknown filter hid the case", tc.query)
		}
	}
}
