package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/staff"
)

// maxFindCode is the longest input the search box takes (in characters): a
// code is eight, typed with spaces or dashes it is still far below.
const maxFindCode = 32

// handleFind opens the case whose code a staff member typed in the search
// box (GET /console/find?code=...), when it is in their scope. Otherwise,
// and for an empty or over-long input, it shows the queue with one polite
// message: the same whether the code belongs to another organisation or to
// nobody, so that the box tells nothing about other organisations' cases.
// The store audits every lookup (case.lookup), found or not.
func (s *Server) handleFind(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	code := strings.TrimSpace(r.URL.Query().Get("code"))
	if code != "" && utf8.RuneCountInString(code) <= maxFindCode {
		c, err := s.Store.CaseByCode(r.Context(), a.Scope(), code, a.ID)
		switch {
		case err == nil:
			http.Redirect(w, r, "/console/cases/"+strconv.FormatInt(c.ID, 10), http.StatusSeeOther)
			return
		case !errors.Is(err, bot.ErrNotFound):
			s.serverError(w, r, a, err)
			return
		}
	}
	// The queue's first page with its default filters (the query holds
	// only the code, which the queue ignores).
	s.showQueue(w, r, a, s.tr(r, a, "console.find.none"))
}
