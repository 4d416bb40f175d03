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

func (s *Server) renderPassword(w http.ResponseWriter, r *http.Request, a *staff.Account, code int, flash, errMsg string) {
	d := passwordData{MinLength: MinPasswordLength, Required: a.MustChangePassword, Done: flash != ""}
	s.render(w, r, code, "password", page{Title: "Password", Nav: "password", Account: a, Data: d, Flash: flash, Error: errMsg})
}

func (s *Server) handlePasswordPage(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	s.renderPassword(w, r, a, http.StatusOK, "", "")
}

// newPasswordProblem says what is wrong with a new password typed twice, or "".
func newPasswordProblem(next, again string) string {
	switch {
	case next != again:
		return "The two new passwords differ."
	case utf8.RuneCountInString(next) < MinPasswordLength:
		return "The new password must have at least " + strconv.Itoa(MinPasswordLength) + " characters."
	case len(next) > maxPasswordLength:
		return "The new password must have at most " + strconv.Itoa(maxPasswordLength) + " bytes."
	}
	return ""
}

func (s *Server) handlePasswordChange(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "Bad request.", http.StatusBadRequest)
		return
	}
	current, next := r.PostForm.Get("current"), r.PostForm.Get("new")
	if p := newPasswordProblem(next, r.PostForm.Get("again")); p != "" {
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
		s.renderPassword(w, r, a, http.StatusTooManyRequests, "", s.refuse(w, v))
		return
	}
	if !s.checkPassword(ctx, a.PasswordHash, current) {
		s.countSignIn("failed")
		s.renderPassword(w, r, a, http.StatusBadRequest, "", "The current password is wrong.")
		return
	}
	if err := st.SignInSucceeded(ctx, att, v.Window); err != nil {
		s.Log.Error("password change", "err", err)
	}
	if next == current {
		s.renderPassword(w, r, a, http.StatusBadRequest, "", "The new password must differ from the current one.")
		return
	}
	hash, err := HashPassword(next)
	if err != nil {
		s.renderPassword(w, r, a, http.StatusBadRequest, "", err.Error())
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
	s.renderPassword(w, r, a, http.StatusOK, "Your password is changed. Your other sessions have ended.", "")
}

// handleResetPassword gives another account a generated password, shown
// once to the admin; the account must choose its own at the next sign-in.
func (s *Server) handleResetPassword(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || r.ParseForm() != nil {
		http.Error(w, "Bad request.", http.StatusBadRequest)
		return
	}
	if id == a.ID {
		s.renderAccounts(w, r, a, http.StatusBadRequest, "", "Change your own password on the Password page.")
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
	s.renderAccounts(w, r, a, http.StatusOK, "The password of "+login+" is reset and its sessions have ended. The new password, shown only now: "+
		password+" — "+login+" must choose a new one at the next sign-in.", "")
}
