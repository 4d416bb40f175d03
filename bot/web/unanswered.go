package web

import (
	"net/http"

	"github.com/yol-project/yol/bot/redact"
	"github.com/yol-project/yol/bot/staff"
)

// handleUnanswered lists the free-text questions that found no good answer,
// redacted and grouped with counts, so editors grow the content where
// people need it. Nothing on the page links a question to a person. The
// texts were redacted for editors when they were recorded; they are
// redacted again here, so that what the page shows never depends on how
// (or by which version) a row was written.
func (s *Server) handleUnanswered(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	qs, err := s.Store.Unanswered(r.Context(), 200)
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	for i := range qs {
		qs[i].Text = redact.ForEditors(qs[i].Text)
	}
	s.render(w, r, http.StatusOK, "unanswered", page{Title: "console.title.unanswered", Nav: "unanswered", Account: a, Data: qs})
}
