package web

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/staff"
)

// Sign-in. A login that cannot be one is refused first, with no lookup and
// no hash. Every password try is then counted in the database before its
// hash (so tries in flight count, across processes): an address has a hard
// limit; a login is slowed down (a growing wait between tries) but never
// locked; and a browser that signed in to the account before (a "known
// device": a long-lived random cookie whose SHA-256 is stored with the
// account) counts only against itself, so failures from elsewhere do not
// slow it. Refused tries are counted, not audited one by one.

const (
	deviceCookie   = "yol_device"
	deviceLifetime = 180 * 24 * time.Hour
	maxLoginBytes  = 64
	passwordPath   = "/console/password"
)

// signInLimits: 10 failures per address (or known device) in 15 minutes,
// then nothing more from there until the window ends; per login 5 free
// failures, then a wait of 1 s, 2 s, 4 s … up to a minute between tries.
var signInLimits = staff.SignInLimits{Window: 15 * time.Minute, PerAddress: 10, PerDevice: 10, FreePerLogin: 5, MaxDelay: time.Minute}

// The sign-in page's errors (message IDs).
const (
	// genericLoginError never says whether the login exists.
	genericLoginError = "console.error.wrong_login"
	badLoginError     = "console.error.bad_login"
)

// throttle holds the sign-in metric, registered on first use.
type throttle struct {
	once     sync.Once
	attempts *prometheus.CounterVec
}

// newThrottle returns a throttle whose metric is not yet registered.
func newThrottle() *throttle { return &throttle{} }

var signInResults = []string{"ok", "failed", "invalid", "throttled_address", "throttled_login", "throttled_device"}

// countSignIn adds one to yol_signin_attempts_total{result}.
func (s *Server) countSignIn(result string) {
	t := s.throttle
	t.once.Do(func() {
		c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "yol_signin_attempts_total",
			Help: "Console password tries by result: ok, failed, invalid (not a login), throttled_address, throttled_login, throttled_device (refused unchecked)."},
			[]string{"result"})
		if err := s.Metrics.Registry.Register(c); err != nil {
			var are prometheus.AlreadyRegisteredError
			if errors.As(err, &are) {
				if existing, ok := are.ExistingCollector.(*prometheus.CounterVec); ok {
					c = existing
				}
			}
		}
		for _, r := range signInResults {
			c.WithLabelValues(r)
		}
		t.attempts = c
	})
	t.attempts.WithLabelValues(result).Inc()
}

type loginData struct{ Login string }

// renderLogin shows the sign-in page with an error, already in the page's
// language (the browser's).
func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, code int, login, errMsg string) {
	s.render(w, r, code, "login", page{Title: "console.title.sign_in", Error: errMsg, Data: loginData{Login: login}})
}

// handleLogin signs a staff member in: the try is counted and may be
// refused, and a wrong login or password gets the same answer in the same
// time. On success the session is rotated.
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		s.plainError(w, r, nil, http.StatusBadRequest, "console.error.bad_request")
		return
	}
	login, shown, ok := checkLogin(r.PostForm.Get("login"))
	if !ok {
		s.countSignIn("invalid")
		s.renderLogin(w, r, http.StatusBadRequest, shown, s.tr(r, nil, badLoginError))
		return
	}
	password := r.PostForm.Get("password")
	ctx := r.Context()
	st := s.Store
	att, v, err := s.countAttempt(ctx, st, r, login)
	if err != nil {
		s.signInError(w, r, err)
		return
	}
	if !v.Allowed {
		s.renderLogin(w, r, http.StatusTooManyRequests, login, s.refuse(w, s.lang(r, nil), v))
		return
	}
	a, err := s.Store.AccountByLogin(ctx, login)
	if err != nil && !errors.Is(err, bot.ErrNotFound) {
		s.signInError(w, r, err)
		return
	}
	hash := dummyHash()
	if a != nil {
		hash = a.PasswordHash
	}
	ok = s.checkPassword(ctx, hash, password) // an unknown login costs the same time
	if a == nil || !ok || a.Disabled {
		s.countSignIn("failed")
		if err := s.Store.Audit(ctx, staff.AuditEntry{Action: "signin.failed", Detail: map[string]string{"login": login, "ip": s.clientIP(r)}}); err != nil {
			s.Log.Error("sign-in", "err", err)
		}
		s.renderLogin(w, r, http.StatusUnauthorized, login, s.tr(r, nil, genericLoginError))
		return
	}
	if err := st.SignInSucceeded(ctx, att, v.Window); err != nil {
		s.Log.Error("sign-in", "err", err) // the try stays counted as a failure; the sign-in goes on
	}
	// Rotate: the session the browser had before (if any) ends here.
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.Store.DeleteSession(ctx, tokenHash(c.Value), 0)
	}
	now := s.now()
	token := newToken()
	if err := s.Store.CreateSession(ctx, tokenHash(token), a.ID, now.Add(sessionLifetime), s.clientIP(r)); err != nil {
		s.signInError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.secure(r),
		SameSite: http.SameSiteLaxMode, MaxAge: int(sessionLifetime / time.Second)})
	device := deviceToken(r)
	if att.Device == nil {
		device = newToken()
	}
	if err := st.RememberDevice(ctx, tokenHash(device), a.ID, now.Add(deviceLifetime)); err != nil {
		s.Log.Error("sign-in: remember device", "err", err)
	} else {
		http.SetCookie(w, &http.Cookie{Name: deviceCookie, Value: device, Path: "/console", HttpOnly: true, Secure: s.secure(r),
			SameSite: http.SameSiteStrictMode, MaxAge: int(deviceLifetime / time.Second)})
	}
	s.countSignIn("ok")
	dest := "/console"
	if a.MustChangePassword {
		dest = passwordPath
	}
	http.Redirect(w, r, dest, http.StatusSeeOther)
}

// signInError logs a sign-in failure of the server and answers 500.
func (s *Server) signInError(w http.ResponseWriter, r *http.Request, err error) {
	s.Log.Error("sign-in", "err", err)
	s.plainError(w, r, nil, http.StatusInternalServerError, "console.error.internal")
}

// countAttempt counts one password try for login from r before it is
// checked; a browser holding a known-device cookie of that login counts as
// that device instead of its address and the login.
func (s *Server) countAttempt(ctx context.Context, st Store, r *http.Request, login string) (staff.SignInAttempt, staff.SignInVerdict, error) {
	att := staff.SignInAttempt{Address: addressKey(s.clientIP(r)), Login: strings.ToLower(login), At: s.now()}
	if token := deviceToken(r); token != "" {
		known, err := st.KnownDevice(ctx, tokenHash(token), login, att.At)
		if err != nil {
			return att, staff.SignInVerdict{}, err
		}
		if known {
			att.Device = tokenHash(token)
		}
	}
	v, err := st.ReserveSignIn(ctx, att, signInLimits)
	return att, v, err
}

// refuse counts a refused try, sets Retry-After and returns the message in
// lang.
func (s *Server) refuse(w http.ResponseWriter, lang string, v staff.SignInVerdict) string {
	secs := max(1, int((v.RetryAfter+time.Second-1)/time.Second))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	s.countSignIn("throttled_" + v.Refused)
	switch v.Refused {
	case "login":
		return s.t(lang, "console.error.throttled_login", "Count", secs)
	case "device":
		return s.t(lang, "console.error.throttled_device", "Count", (secs+59)/60)
	}
	return s.t(lang, "console.error.throttled_address", "Count", (secs+59)/60)
}

// checkPassword checks a password with at most cap(hashSem) hashes at once.
func (s *Server) checkPassword(ctx context.Context, hash, password string) bool {
	select {
	case s.hashSem <- struct{}{}:
	case <-ctx.Done():
		return false
	}
	defer func() { <-s.hashSem }()
	ok, _ := CheckPassword(hash, password)
	return ok
}

// checkLogin validates a typed login before anything else sees it: ok is
// false for what cannot be a login (invalid UTF-8, a NUL or any other
// character outside the login alphabet, too short or too long). shown is
// the value to put back in the form: valid UTF-8 without control
// characters, cut on a character boundary at 64 bytes.
func checkLogin(raw string) (login, shown string, ok bool) {
	login = strings.TrimSpace(raw)
	clean := strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return -1
		}
		return r
	}, strings.ToValidUTF8(login, ""))
	return login, cutUTF8(clean, maxLoginBytes), validLogin(login)
}

// cutUTF8 shortens s to at most n bytes without cutting a character.
func cutUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// addressKey is what the per-address limit counts by: the IPv4 address,
// or the /64 of an IPv6 address (one household or server has a whole one).
func addressKey(ip string) string {
	p := net.ParseIP(ip)
	if p == nil {
		return cutUTF8(strings.ToValidUTF8(ip, ""), 64)
	}
	if v4 := p.To4(); v4 != nil {
		return v4.String()
	}
	return p.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

// deviceToken is the browser's known-device token, or "".
func deviceToken(r *http.Request) string {
	c, err := r.Cookie(deviceCookie)
	if err != nil || len(c.Value) != 43 {
		return ""
	}
	return c.Value
}
