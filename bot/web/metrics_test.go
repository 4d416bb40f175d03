package web_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestMetricsNotOnTheConsole: the console's handler does not serve /metrics;
// MetricsHandler serves it, behind MetricsToken when one is set.
func TestMetricsNotOnTheConsole(t *testing.T) {
	e := newEnv(t)
	if r := e.client().get("/metrics"); r.code != http.StatusNotFound || strings.Contains(r.body, "yol_") {
		t.Errorf("GET /metrics on the console: got %d, want 404 without series", r.code)
	}
	get := func(h http.Handler, auth string) (int, string) {
		req := httptest.NewRequest("GET", "/metrics", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}
	if code, body := get(e.srv.MetricsHandler(), ""); code != http.StatusOK || !strings.Contains(body, "yol_referrals_total") {
		t.Errorf("MetricsHandler without a token: got %d, want 200 with the series", code)
	}
	const token = "0123456789abcdef-metrics"
	e.srv.MetricsToken = token
	h := e.srv.MetricsHandler()
	for _, tc := range []struct {
		auth string
		want int
	}{
		{"", http.StatusUnauthorized},
		{"Bearer", http.StatusUnauthorized},
		{"Bearer wrong", http.StatusUnauthorized},
		{"Bearer " + token + "x", http.StatusUnauthorized},
		{"Basic " + token, http.StatusUnauthorized},
		{"Bearer " + token, http.StatusOK},
		{"bearer " + token, http.StatusOK},
	} {
		code, body := get(h, tc.auth)
		if code != tc.want {
			t.Errorf("Authorization %q: got %d, want %d", tc.auth, code, tc.want)
		}
		if code != http.StatusOK && strings.Contains(body, "yol_") {
			t.Errorf("Authorization %q: series shown without the token", tc.auth)
		}
	}
}
