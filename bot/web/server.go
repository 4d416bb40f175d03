// Package web serves Yol over HTTP: health and metrics for operators, the
// staff console and the browser simulator. It uses the standard library's
// ServeMux patterns and html/template.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/yol-project/yol/bot/metrics"
)

// Readier reports whether the service can take work (database reachable,
// schema current).
type Readier interface {
	Ready(ctx context.Context) error
}

// Server holds what the handlers need. Fields are set before Handler is called.
type Server struct {
	Log     *slog.Logger
	Metrics *metrics.Metrics
	Ready   Readier
	Version string

	mux *http.ServeMux
}

// Handler returns the routed, wrapped handler.
func (s *Server) Handler() http.Handler {
	s.mux = http.NewServeMux()
	s.route("GET /healthz", s.handleHealthz)
	s.route("GET /readyz", s.handleReadyz)
	s.mux.Handle("GET /metrics", promhttp.HandlerFor(s.Metrics.Registry, promhttp.HandlerOpts{}))
	return securityHeaders(s.mux)
}

// route registers h on pattern and counts its responses by pattern.
func (s *Server) route(pattern string, h http.HandlerFunc) {
	s.mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, code: http.StatusOK}
		h(rec, r)
		s.Metrics.HTTPRequests.WithLabelValues(pattern, strconv.Itoa(rec.code)).Inc()
	}))
}

type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.code = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// securityHeaders sets the headers every response carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
		next.ServeHTTP(w, r)
	})
}
