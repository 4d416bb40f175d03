package web

import (
	"errors"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/staff"
)

// Password changes: every account changes its own on the password page
// (the current password, then the new one twice); an admin can reset
// another account's to a generated one that must be changed at the next
// sign-in. Either way the account's other sessions end.

type passwordData struct {
	MinLength int
	Required  bool // an admin reset the password: choose a new one first
	Done      bool
}

// renderPassword renders the password page with the given status code,
// banner and error.
func (s *Server) renderPassword(w http.ResponseWriter, r *http.Request, a *staff.Account, code int, flash, errMsg string) {
	d := passwordData{MinLength: MinPasswordLength, Required: a.MustChangePassword, Done: flash != ""}
	s.render(w, r, code, "password", page{Title: "console.title.password", Nav: "password", Account: a, Data: d, Flash: flash, Error: errMsg})
}

// handlePasswordPage shows the form to change one's password.
func (s *Server) handlePasswordPage(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	s.renderPassword(w, r, a, http.StatusOK, "", "")
}

// newPasswordProblem says what is wrong with a new password typed twice,
// in lang, or "".
func (s *Server) newPasswordProblem(lang, next, again string) string {
	switch {
	case next != again:
		return s.t(lang, "console.password.differ")
	case utf8.RuneCountInString(next) < MinPasswordLength:
		return s.t(lang, "console.password.too_short", "Count", MinPasswordLength)
	case len(next) > maxPasswordLength:
		return s.t(lang, "console.password.too_long", "Count", maxPasswordLength)
	}
	return ""
}

// handlePasswordChange changes the account's password once the current one
// is right (counted like a sign-in), ending its other sessions.
func (s *Server) handlePasswordChange(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		s.plainError(w, r, a, http.StatusBadRequest, "console.error.bad_request")
		return
	}
	lang := s.lang(r, a)
	current, next := r.PostForm.Get("current"), r.PostForm.Get("new")
	if p := s.newPasswordProblem(lang, next, r.PostForm.Get("again")); p != "" {
		s.renderPassword(w, r, a, http.StatusBadRequest, "", p)
		return
	}
	ctx := r.Context()
	st := s.Store
	// The current password is tried like a sign-in: a stolen session
	// cannot guess it faster than the sign-in form could.
	att, v, err := s.countAttempt(ctx, st, r, a.Login)
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	if !v.Allowed {
		s.renderPassword(w, r, a, http.StatusTooManyRequests, "", s.refuse(w, lang, v))
		return
	}
	if !s.checkPassword(ctx, a.PasswordHash, current) {
		s.countSignIn("failed")
		s.renderPassword(w, r, a, http.StatusBadRequest, "", s.t(lang, "console.password.wrong_current"))
		return
	}
	if err := st.SignInSucceeded(ctx, att, v.Window); err != nil {
		s.Log.Error("password change", "err", err)
	}
	if next == current {
		s.renderPassword(w, r, a, http.StatusBadRequest, "", s.t(lang, "console.password.same"))
		return
	}
	hash, err := HashPassword(next)
	if err != nil {
		p := s.newPasswordProblem(lang, next, next) // HashPassword refuses only lengths
		if p == "" {
			p = s.t(lang, "console.flash.invalid_form")
		}
		s.renderPassword(w, r, a, http.StatusBadRequest, "", p)
		return
	}
	var keepSession, keepDevice []byte
	if c, err := r.Cookie(sessionCookie); err == nil {
		keepSession = tokenHash(c.Value)
	}
	if t := deviceToken(r); t != "" {
		keepDevice = tokenHash(t)
	}
	if err := st.ChangePassword(ctx, a.ID, hash, keepSession, keepDevice); err != nil {
		s.serverError(w, r, a, err)
		return
	}
	a.MustChangePassword = false
	s.renderPassword(w, r, a, http.StatusOK, s.t(lang, "console.password.changed"), "")
}

// handleResetPassword gives another account a generated password, shown
// once to the admin; the account must choose its own at the next sign-in.
func (s *Server) handleResetPassword(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || r.ParseForm() != nil {
		s.plainError(w, r, a, http.StatusBadRequest, "console.error.bad_request")
		return
	}
	if id == a.ID {
		s.renderAccounts(w, r, a, http.StatusBadRequest, "", s.tr(r, a, "console.accounts.reset_own"))
		return
	}
	st := s.Store
	password := GeneratePassword()
	hash, err := HashPassword(password)
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	login, err := st.ResetPassword(r.Context(), id, hash, true, a.ID)
	if errors.Is(err, bot.ErrNotFound) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	// The password is shown once, on this page (never in a URL or a log).
	s.renderAccounts(w, r, a, http.StatusOK, s.tr(r, a, "console.accounts.reset_done", "Login", login, "Password", password), "")
}
