package web

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// MetricsHandler serves the Prometheus series (/metrics). They count
// referrals, conversations and traffic, so Handler does not serve them on
// the console's public address: the caller mounts this handler on an
// address of its own (YOL_METRICS_ADDR) or behind MetricsToken.
func (s *Server) MetricsHandler() http.Handler {
	s.init()
	h := promhttp.HandlerFor(s.Metrics.Registry, promhttp.HandlerOpts{})
	if s.MetricsToken == "" {
		return h
	}
	want := sha256.Sum256([]byte(s.MetricsToken))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		got := sha256.Sum256([]byte(strings.TrimSpace(token))) // same length whatever was sent
		if !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="yol metrics"`)
			http.Error(w, "A bearer token is required.", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}
