package web

import (
	"context"
	"net/http"
	"time"
)

// handleHealthz answers as long as the process serves HTTP.
func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

// handleReadyz answers 200 when the database is reachable and its schema is
// current, 503 otherwise. The reason is logged, not shown.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := s.Ready.Ready(ctx); err != nil {
		s.Log.Warn("not ready", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("not ready\n"))
		return
	}
	w.Write([]byte("ready\n"))
	// A replica that could not switch to the live content still serves
	// the content it has: ready, and it says so.
	if s.ContentStatus != nil {
		if why := s.ContentStatus(); why != "" {
			w.Write([]byte("content: the live version is not in use: " + why + "\n"))
		}
	}
}
