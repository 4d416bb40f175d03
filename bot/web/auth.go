package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/web/console"
)

// Sessions: a random 32-byte token in an HttpOnly, SameSite=Lax cookie
// (Secure over HTTPS); the database keeps only its SHA-256. A new token at
// every sign-in (the old session, if any, is ended), 30 minutes idle
// timeout, 12 hours absolute.
const (
	sessionCookie   = "yol_console"
	sessionIdle     = 30 * time.Minute
	sessionLifetime = 12 * time.Hour

	// Sign-in throttling: per login and address in this process, and per
	// login across every process (from the audit log).
	throttleWindow   = 15 * time.Minute
	maxFailuresLocal = 5
	maxFailuresLogin = 20
)

// genericLoginError never says whether the login exists.
const genericLoginError = "Wrong login or password."

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
func (s *Server) sessionAccount(r *http.Request) (*console.Account, string) {
	if a, ok := r.Context().Value(ctxKey{}).(*console.Account); ok {
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
func (s *Server) staffOnly(h func(http.ResponseWriter, *http.Request, *console.Account), roles ...console.Role) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a, _ := s.sessionAccount(r)
		if a == nil {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/console/login", http.StatusSeeOther)
				return
			}
			http.Error(w, "Sign in first.", http.StatusUnauthorized)
			return
		}
		if !slices.Contains(roles, a.Role) {
			s.render(w, r, http.StatusForbidden, "error", page{Title: "Not allowed", Account: a, Error: "Your role does not give access to this page."})
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, a))
		h(w, r, a)
	}
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *Server) handleLoginPage(w http.ResponseWriter, r *http.Request) {
	if a, _ := s.sessionAccount(r); a != nil {
		http.Redirect(w, r, "/console", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "login", page{Title: "Sign in"})
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "Bad request.", http.StatusBadRequest)
		return
	}
	login := strings.TrimSpace(r.PostForm.Get("login"))
	password := r.PostForm.Get("password")
	ip := clientIP(r)
	ctx := r.Context()
	if len(login) > 64 {
		login = login[:64]
	}
	key := strings.ToLower(login) + "\x00" + ip
	now := s.now()
	failures, err := s.Store.LoginFailures(ctx, login, now.Add(-throttleWindow))
	if err != nil {
		s.Log.Error("sign-in", "err", err)
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	if s.throttle.count(key, now) >= maxFailuresLocal || failures >= maxFailuresLogin {
		s.Store.Audit(ctx, console.AuditEntry{Action: "signin.throttled", Detail: map[string]string{"login": login, "ip": ip}})
		w.Header().Set("Retry-After", "900")
		s.render(w, r, http.StatusTooManyRequests, "login", page{Title: "Sign in", Error: "Too many failed attempts. Wait 15 minutes and try again."})
		return
	}
	a, err := s.Store.AccountByLogin(ctx, login)
	if err != nil && !errors.Is(err, bot.ErrNotFound) {
		s.Log.Error("sign-in", "err", err)
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	hash := dummyHash()
	if a != nil {
		hash = a.PasswordHash
	}
	s.hashSem <- struct{}{}
	ok, _ := CheckPassword(hash, password) // an unknown login costs the same time
	<-s.hashSem
	if a == nil || !ok || a.Disabled {
		s.throttle.fail(key, now)
		s.Store.Audit(ctx, console.AuditEntry{Action: "signin.failed", Detail: map[string]string{"login": login, "ip": ip}})
		s.render(w, r, http.StatusUnauthorized, "login", page{Title: "Sign in", Error: genericLoginError})
		return
	}
	s.throttle.reset(key)
	// Rotate: the session the browser had before (if any) ends here.
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.Store.DeleteSession(ctx, tokenHash(c.Value), 0)
	}
	var raw [32]byte
	rand.Read(raw[:])
	token := base64.RawURLEncoding.EncodeToString(raw[:])
	if err := s.Store.CreateSession(ctx, tokenHash(token), a.ID, now.Add(sessionLifetime), ip); err != nil {
		s.Log.Error("sign-in", "err", err)
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.secure(r),
		SameSite: http.SameSiteLaxMode, MaxAge: int(sessionLifetime / time.Second)})
	http.Redirect(w, r, "/console", http.StatusSeeOther)
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request, a *console.Account) {
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

// throttle counts failed sign-ins per key in a sliding window.
type throttle struct {
	mu sync.Mutex
	m  map[string][]time.Time
}

func newThrottle() *throttle { return &throttle{m: map[string][]time.Time{}} }

func (t *throttle) prune(key string, now time.Time) []time.Time {
	ts := t.m[key]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) > throttleWindow {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(t.m, key)
		return nil
	}
	t.m[key] = ts
	return ts
}

func (t *throttle) count(key string, now time.Time) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.prune(key, now))
}

func (t *throttle) fail(key string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	ts := t.prune(key, now)
	if len(t.m) > 100_000 { // bounded memory under a spray of logins
		clear(t.m)
	}
	t.m[key] = append(ts, now)
}

func (t *throttle) reset(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.m, key)
}
