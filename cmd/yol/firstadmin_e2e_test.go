package main

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/yol-project/yol/bot/postgres/pgtest"
)

// TestServeFirstAdminChoosesPassword: the password `yol serve` prints on
// the first start only leads to the password page (firstAdmin checks
// that), says so, and no longer signs in once the admin chose its own.
func TestServeFirstAdminChoosesPassword(t *testing.T) {
	r := startServe(t, map[string]string{"DATABASE_URL": pgtest.URL(t), "YOL_DATA_KEY": testKey(t), "USER": "nigar"})
	printed := regexp.MustCompile(`login "([^"]+)", password "([^"]+)"`).FindStringSubmatch(r.stderr.String())
	if printed == nil || !strings.Contains(r.stderr.String(), "choose a password of your own") {
		t.Fatalf("the first start's message:\n%s", r.stderr)
	}
	firstAdmin(t, r)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tc := range []struct {
		password string
		want     int
	}{{printed[2], http.StatusUnauthorized}, {firstAdminPassword, http.StatusSeeOther}} {
		req, _ := http.NewRequest("POST", "http://"+r.addr+"/console/login", strings.NewReader(url.Values{"login": {printed[1]}, "password": {tc.password}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		resp, err := noFollow.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("sign-in with %q: got %d, want %d", tc.password, resp.StatusCode, tc.want)
		}
	}
}
