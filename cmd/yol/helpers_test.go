package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

func pgtestPool(t *testing.T, url string) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// firstAdminPassword is the password the first admin chooses in tests.
const firstAdminPassword = "the first admin's own password"

// firstAdmin signs in to the console of r as the first admin, as a person
// would: with the password r printed once, which lands on the password
// page, where it chooses firstAdminPassword and goes on. It returns the signed-in
// client and a function that posts a form there (failing the test on a 4xx
// or 5xx) and returns the page it ends on (redirects followed).
func firstAdmin(t *testing.T, r *running) (hc *http.Client, post func(path string, form url.Values) string) {
	t.Helper()
	m := regexp.MustCompile(`login "([^"]+)", password "([^"]+)"`).FindStringSubmatch(r.stderr.String())
	if m == nil {
		t.Fatalf("no first admin account printed:\n%s", r.stderr)
	}
	jar, _ := cookiejar.New(nil)
	hc = &http.Client{Jar: jar}
	base := "http://" + r.addr
	var landed string
	post = func(path string, form url.Values) string {
		t.Helper()
		req, _ := http.NewRequest("POST", base+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.Header.Set("Origin", base)
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode >= 400 {
			t.Fatalf("POST %s = %d: %s", path, resp.StatusCode, b)
		}
		landed = resp.Request.URL.Path
		return string(b)
	}
	post("/console/login", url.Values{"login": {m[1]}, "password": {m[2]}})
	if landed != "/console/password" {
		t.Fatalf("the first admin's sign-in landed on %s, want /console/password", landed)
	}
	mine := firstAdminPassword
	if page := post("/console/password", url.Values{"current": {m[2]}, "new": {mine}, "again": {mine}}); landed != "/console/password" || !strings.Contains(page, `href="/console"`) {
		t.Fatalf("the first admin chose a password and landed on %s:\n%.1000s", landed, page)
	}
	return hc, post
}

// adminOnFirstCase signs in to the console of r as the first admin
// (firstAdmin) and returns its post function and the path of the first
// case in the admin's queue.
func adminOnFirstCase(t *testing.T, r *running) (post func(path string, form url.Values) string, casePath string) {
	t.Helper()
	hc, post := firstAdmin(t, r)
	resp, err := hc.Get("http://" + r.addr + "/console/cases")
	if err != nil {
		t.Fatal(err)
	}
	queue, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	id := regexp.MustCompile(`/console/cases/(\d+)`).FindStringSubmatch(string(queue))
	if id == nil {
		t.Fatalf("no case in the admin's queue:\n%s", queue)
	}
	return post, "/console/cases/" + id[1]
}
