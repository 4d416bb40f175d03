package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/staff"
)

// Sessions: a random 32-byte token in an HttpOnly, SameSite=Lax cookie
// (Secure over HTTPS); the database keeps only its SHA-256. A new token at
// every sign-in (the old session, if any, is ended), 30 minutes idle
// timeout, 12 hours absolute.
const (
	sessionCookie   = "yol_console"
	sessionIdle     = 30 * time.Minute
	sessionLifetime = 12 * time.Hour
)

// newToken returns 32 random bytes in base64url (43 characters).
func newToken() string {
	var raw [32]byte
	rand.Read(raw[:])
	return base64.RawURLEncoding.EncodeToString(raw[:])
}

// tokenHash returns the SHA-256 of a token, which is what the store keeps.
func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// secure reports whether cookies should be Secure.
func (s *Server) secure(r *http.Request) bool {
	return r.TLS != nil || strings.HasPrefix(strings.ToLower(s.PublicURL), "https://")
}

type ctxKey struct{}

// sessionAccount returns the account of the request's session cookie, or
// nil.
func (s *Server) sessionAccount(r *http.Request) (*staff.Account, string) {
	if a, ok := r.Context().Value(ctxKey{}).(*staff.Account); ok {
		return a, ""
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil || len(c.Value) != 43 {
		return nil, ""
	}
	a, err := s.Store.SessionAccount(r.Context(), tokenHash(c.Value), sessionIdle)
	if err != nil {
		if !errors.Is(err, bot.ErrNotFound) {
			s.Log.Error("session", "err", err)
		}
		return nil, ""
	}
	return a, c.Value
}

// staffOnly wraps a console handler: it needs a session whose role is one
// of roles; else a GET goes to the sign-in page and anything else is 403.
// An account whose password an admin reset sees only the password page
// (and may sign out) until it has chosen a new password.
func (s *Server) staffOnly(h func(http.ResponseWriter, *http.Request, *staff.Account), roles ...staff.Role) http.HandlerFunc {
	return s.withSession(h, false, roles...)
}

// signedIn wraps the pages every signed-in account may use, also while it
// must choose a new password.
func (s *Server) signedIn(h func(http.ResponseWriter, *http.Request, *staff.Account)) http.HandlerFunc {
	return s.withSession(h, true, staff.Roles...)
}

// withSession wraps h for signed-in accounts of the given roles. Without a
// session it sends the person to sign in; an account that must change its
// password is sent to do that first, unless pendingOK.
func (s *Server) withSession(h func(http.ResponseWriter, *http.Request, *staff.Account), pendingOK bool, roles ...staff.Role) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a, _ := s.sessionAccount(r)
		if a == nil {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/console/login", http.StatusSeeOther)
				return
			}
			s.plainError(w, r, nil, http.StatusUnauthorized, "console.error.sign_in_first")
			return
		}
		if a.MustChangePassword && !pendingOK && r.URL.Path != "/console/logout" {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, passwordPath, http.StatusSeeOther)
				return
			}
			s.render(w, r, http.StatusForbidden, "error", page{Title: "console.title.choose_password", Account: a, Error: s.tr(r, a, "console.error.choose_password_first")})
			return
		}
		if !slices.Contains(roles, a.Role) {
			s.render(w, r, http.StatusForbidden, "error", page{Title: "console.title.not_allowed", Account: a, Error: s.tr(r, a, "console.error.role")})
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, a))
		h(w, r, a)
	}
}

// handleLoginPage shows the sign-in form, or the console when already
// signed in.
func (s *Server) handleLoginPage(w http.ResponseWriter, r *http.Request) {
	if a, _ := s.sessionAccount(r); a != nil {
		http.Redirect(w, r, "/console", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "login", page{Title: "console.title.sign_in"})
}

// handleLogout ends the session and clears its cookie.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.Store.DeleteSession(r.Context(), tokenHash(c.Value), a.ID); err != nil {
			s.Log.Error("sign-out", "err", err)
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: s.secure(r),
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
	http.Redirect(w, r, "/console/login", http.StatusSeeOther)
}

var (
	dummyOnce sync.Once
	dummy     string
)

// dummyHash is checked for unknown logins, so that they take as long as
// known ones.
func dummyHash() string {
	dummyOnce.Do(func() { dummy, _ = HashPassword(GeneratePassword()) })
	return dummy
}
