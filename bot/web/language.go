package web

import (
	"errors"
	"net/http"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/staff"
)

// handleLanguage stores the language a staff member chose for their
// console (on the password page): a staff language, or "" to follow the
// browser. The next page is already in it.
func (s *Server) handleLanguage(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if err := r.ParseForm(); err != nil {
		s.plainError(w, r, a, http.StatusBadRequest, "console.error.bad_request")
		return
	}
	lang := r.PostForm.Get("language")
	if lang != "" && !s.isStaffLanguage(lang) {
		http.Redirect(w, r, flashURL(passwordPath, "invalid-form"), http.StatusSeeOther)
		return
	}
	err := s.Store.SetAccountLanguage(r.Context(), a.ID, lang)
	if errors.Is(err, bot.ErrNotFound) {
		s.plainError(w, r, a, http.StatusNotFound, "console.error.bad_request")
		return
	}
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	http.Redirect(w, r, flashURL(passwordPath, "language-saved"), http.StatusSeeOther)
}
