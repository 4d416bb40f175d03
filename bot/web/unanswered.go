package web

import (
	"net/http"

	"github.com/yol-project/yol/bot"
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
	s.renderUnanswered(w, r, a, http.StatusOK, "", "")
}

// unansweredRow is a group of unanswered questions with the phrase the
// teaching form suggests.
type unansweredRow struct {
	bot.UnansweredQuestion
	Phrase string
}

// unansweredData is the unanswered page: the groups and what they may be
// taught to find.
type unansweredData struct {
	Rows    []unansweredRow
	Targets []teachTarget
}

// renderUnanswered renders the unanswered page with an error or a banner.
func (s *Server) renderUnanswered(w http.ResponseWriter, r *http.Request, a *staff.Account, code int, errMsg, flash string) {
	qs, err := s.Store.Unanswered(r.Context(), 200)
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	// What a group may be taught to find: the live version's articles
	// (the content loaded here without content versions).
	c := s.Content.Load()
	if st, err := s.textsState(r.Context(), a); err == nil {
		c = st.liveP.c
	}
	d := unansweredData{Targets: teachTargets(c, s.lang(r, a))}
	for _, q := range qs {
		q.Text = redact.ForEditors(q.Text)
		d.Rows = append(d.Rows, unansweredRow{UnansweredQuestion: q, Phrase: teachPhrase(q.Text)})
	}
	s.render(w, r, code, "unanswered", page{Title: "console.title.unanswered", Nav: "unanswered", Account: a, Data: d, Error: errMsg, Flash: flash})
}
