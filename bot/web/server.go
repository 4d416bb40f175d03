// Package web serves Yol over HTTP: health and metrics for operators, the
// staff console and the browser simulator. It uses the standard library's
// ServeMux patterns and html/template; templates, CSS and the little
// JavaScript there is are embedded, nothing comes from a CDN.
//
// Security model: every state-changing request goes through
// http.CrossOriginProtection (Sec-Fetch-Site / Origin), no GET changes
// state, session cookies are HttpOnly and SameSite=Lax, every response has
// a strict Content-Security-Policy (no inline script or style), and every
// case query is scoped to the account's departments in SQL by the store.
package web

import (
	"context"
	"embed"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/metrics"
	"github.com/yol-project/yol/bot/org"
	"github.com/yol-project/yol/bot/referral"
	"github.com/yol-project/yol/bot/staff"
)

// Readier reports whether the service can take work (database reachable,
// schema current).
type Readier interface {
	Ready(ctx context.Context) error
}

// Translator is a model that translates: a person's message into lang for
// staff (personal data redacted before the text leaves the machine), and
// what staff write from their language into the person's (numbers, dates,
// codes and addresses kept exactly, or an error).
type Translator interface {
	Translate(ctx context.Context, text, lang string) (string, error)
	TranslateReply(ctx context.Context, text, from, to string) (string, error)
}

// Handler handles one message of a person: the conversation service.
type Handler interface {
	Handle(ctx context.Context, in bot.Inbound) (bot.Result, error)
}

// Store is what the console and the simulator read and write (implemented
// by *postgres.DB). Every case method takes the account's scope and returns
// bot.ErrNotFound for a case outside it.
type Store interface {
	// Accounts and sessions.
	CreateAccount(ctx context.Context, a *staff.Account, byStaff int64) error
	CreateFirstAdmin(ctx context.Context, a *staff.Account) (bool, error)
	AccountByLogin(ctx context.Context, login string) (*staff.Account, error)
	Accounts(ctx context.Context) ([]staff.Account, error)
	SetAccountDisabled(ctx context.Context, id int64, disabled bool, byStaff int64) error
	// SetAccountContentLanguages sets the content languages a translator
	// works on; audited.
	SetAccountContentLanguages(ctx context.Context, id int64, langs []string, byStaff int64) error
	// SetAccountLanguage sets the language of an account's console ("":
	// follow the browser).
	SetAccountLanguage(ctx context.Context, id int64, lang string) error
	CreateSession(ctx context.Context, tokenHash []byte, staffID int64, expires time.Time, ip string) error
	SessionAccount(ctx context.Context, tokenHash []byte, idle time.Duration) (*staff.Account, error)
	DeleteSession(ctx context.Context, tokenHash []byte, staffID int64) error

	// Sign-in throttling (counted before the password hash), known
	// devices and password changes.
	ReserveSignIn(ctx context.Context, a staff.SignInAttempt, lim staff.SignInLimits) (staff.SignInVerdict, error)
	SignInSucceeded(ctx context.Context, a staff.SignInAttempt, window time.Time) error
	KnownDevice(ctx context.Context, tokenHash []byte, login string, now time.Time) (bool, error)
	RememberDevice(ctx context.Context, tokenHash []byte, staffID int64, expires time.Time) error
	ChangePassword(ctx context.Context, staffID int64, hash string, keepSession, keepDevice []byte) error
	ResetPassword(ctx context.Context, staffID int64, hash string, mustChange bool, byStaff int64) (string, error)

	// The audit log (append-only).
	Audit(ctx context.Context, e staff.AuditEntry) error
	// AuditOnce appends an entry unless the same one was written since.
	AuditOnce(ctx context.Context, e staff.AuditEntry, since time.Time) (bool, error)
	AuditLog(ctx context.Context, before int64, limit int) ([]staff.AuditEntry, error)

	// Cases.
	Case(ctx context.Context, sc staff.Scope, id int64) (*staff.Case, error)
	OpenCase(ctx context.Context, sc staff.Scope, id, staffID int64) (*staff.CaseFile, error)
	ChangeStatus(ctx context.Context, sc staff.Scope, id, staffID int64, to referral.Status, notice staff.Outgoing) error
	SetAppointment(ctx context.Context, sc staff.Scope, id, staffID int64, at time.Time, place string, notice staff.Outgoing) error
	AddNote(ctx context.Context, sc staff.Scope, id, staffID int64, text string) error
	MessagePerson(ctx context.Context, sc staff.Scope, id, staffID int64, text string) error
	Remind(ctx context.Context, now time.Time, within time.Duration, out staff.Outgoing) (int, error)
	// QueuePage is a page of the queue (keyset-paged, with the total);
	// CaseByCode finds a case by the code the person keeps, audited.
	QueuePage(ctx context.Context, sc staff.Scope, f staff.QueueFilter) (staff.QueuePage, error)
	CaseByCode(ctx context.Context, sc staff.Scope, code string, staffID int64) (*staff.Case, error)
	// HandOver hands a case to another organisation: at once (ask false)
	// or once the person agrees; NoticeLongWaits tells the people whose
	// case waits longer than its organisation usually takes.
	HandOver(ctx context.Context, sc staff.Scope, id, staffID int64, to string, ask bool, message staff.Outgoing) error
	NoticeLongWaits(ctx context.Context, now time.Time, out staff.Outgoing) (int, error)

	// Content versions (the console's content and translations pages).
	ContentVersions(ctx context.Context, limit int) ([]bot.ContentVersion, error)
	ContentFiles(ctx context.Context, id int64) (map[string][]byte, error)
	LiveContent(ctx context.Context) (int64, error)
	PushContent(ctx context.Context, files map[string][]byte, author, note string, parent int64) (int64, bool, error)
	PublishContent(ctx context.Context, id int64, by string) error
	ApproveContent(ctx context.Context, id int64, by string, staffID int64) error
	TextReviews(ctx context.Context, lang string) (map[string]bot.TextReview, error)
	ReviewText(ctx context.Context, lang, id, text, reviewer string, staffID int64) error

	// The organisations admins add (the departments are the pack's).
	Organisations(ctx context.Context) ([]org.Organisation, error)
	SaveOrganisation(ctx context.Context, o org.Organisation, update bool, staffID int64) error
	RetireOrganisation(ctx context.Context, id string, staffID int64) error

	// Campaign sources (posters, brochures, meetings...), audited.
	CreateCampaignSource(ctx context.Context, c *staff.CampaignSource, staffID int64) error
	CampaignSources(ctx context.Context) ([]staff.CampaignSource, error)

	// The dashboard.
	// Funnel counts the stages by group; weeks are counted in zone.
	Funnel(ctx context.Context, by string, since, until time.Time, zone *time.Location) ([]staff.FunnelRow, error)
	// DeadLetterCount counts the replies Telegram kept refusing, set aside;
	// DeadLetters lists the latest, without their text.
	DeadLetterCount(ctx context.Context) (int, error)
	DeadLetters(ctx context.Context, limit int) ([]bot.DeadLetter, error)

	// Free-text questions that found no good answer (redacted, grouped).
	Unanswered(ctx context.Context, limit int) ([]bot.UnansweredQuestion, error)
	// TeachUnanswered links a group to the draft that teaches search to
	// answer it; the group leaves the list once that draft is published.
	TeachUnanswered(ctx context.Context, id, versionID int64, by string, staffID int64) error

	// TakeReplies returns a simulator chat's replies waiting in the
	// outbox (the bot's answers, staff messages, notices) and marks them
	// sent: the simulator drains its own rows, as Telegram's sender does.
	TakeReplies(ctx context.Context, chat bot.Chat) ([]bot.Reply, error)
}

// Server holds what the handlers need. Fields are set before Handler is called.
type Server struct {
	Log     *slog.Logger
	Metrics *metrics.Metrics
	Ready   Readier
	Version string
	// ContentStatus says why the live content version is not in use ("":
	// it is), for /readyz; nil: content from files.
	ContentStatus func() string

	// Chat answers the simulator's messages (the bot.Service); nil, or a nil
	// Store: no simulator.
	Chat Handler
	// DraftChat builds the conversation service of a stored content version
	// that content staff run in the simulator (simulator_draft.go); nil:
	// the simulator runs the live content only.
	DraftChat func(c *bot.Content) Handler
	// Store backs the console and the simulator's replies; nil: no console.
	Store Store
	// Content is the pack in use: languages, texts of notices, offices.
	Content *bot.ContentHolder
	// PublicURL is the console's external base URL (YOL_PUBLIC_URL); when it
	// is https, cookies are Secure even behind a plain-HTTP proxy hop.
	PublicURL string
	// Translator translates a case's messages for staff; nil: no model.
	Translator Translator
	// StaleAge is how old a fact's verified-on date may be before the
	// content page lists it as stale (editor.DefaultStaleAge when zero).
	StaleAge time.Duration
	// SimulatorSignIn requires a console session to use the simulator (for
	// a public deployment, so that strangers cannot fill the referral queue).
	SimulatorSignIn bool
	// TrustedProxies are the reverse proxies whose X-Forwarded-For is
	// believed for the client's address (YOL_TRUSTED_PROXIES); none when
	// empty, and then the remote address is the client's.
	TrustedProxies []netip.Prefix
	// SimulatorLimits bound the simulator's messages per client address
	// (DefaultSimulatorLimits when zero).
	SimulatorLimits SimulatorLimits
	// MetricsToken, when set, is required on MetricsHandler as
	// "Authorization: Bearer <token>".
	MetricsToken string
	// BotUsername is the Telegram bot's username, for campaign deep links
	// (from getMe); nil or "": not known.
	BotUsername func() string
	// Now is the clock (time.Now when nil).
	Now func() time.Time

	mux            *http.ServeMux
	pages          map[string]*pageTemplate
	throttle       *throttle
	simMessages    *addrLimiter // the simulator's messages per client address
	simChats       *addrLimiter // the simulator's new chats per client address
	simDrafts      draftCache   // the stored versions the simulator ran last
	simDraftAudits draftAudits  // when each account's run of a version was last audited
	hashSem        chan struct{}
	initOnce       sync.Once
}

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// now returns the time, from Server.Now when it is set.
func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// init prepares the server once: its templates, sign-in throttle, password
// hashing limit, simulator limits, and a logger and metrics when none were
// given.
func (s *Server) init() {
	s.initOnce.Do(func() {
		s.pages = mustParsePages(s.templateFuncs())
		s.throttle = newThrottle()
		s.hashSem = make(chan struct{}, 4) // at most 4 password hashes (19 MiB each) at once
		if s.Log == nil {
			s.Log = slog.New(slog.DiscardHandler)
		}
		if s.Metrics == nil {
			s.Metrics = metrics.New()
		}
		lim := s.SimulatorLimits
		if lim.Messages.Burst <= 0 {
			lim.Messages = DefaultSimulatorLimits.Messages
		}
		if lim.NewChats.Burst <= 0 {
			lim.NewChats = DefaultSimulatorLimits.NewChats
		}
		s.simMessages, s.simChats = newAddrLimiter(lim.Messages), newAddrLimiter(lim.NewChats)
	})
}

// Handler returns the routed, wrapped handler: /healthz, /readyz, the
// console and the simulator. /metrics is not among them (MetricsHandler).
func (s *Server) Handler() http.Handler {
	s.init()
	s.mux = http.NewServeMux()
	s.route("GET /healthz", s.handleHealthz)
	s.route("GET /readyz", s.handleReadyz)
	static, _ := fs.Sub(staticFS, "static")
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static))))
	if s.Chat != nil && s.Content != nil && s.Store != nil {
		s.route("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/simulator", http.StatusFound)
		})
		s.route("GET /simulator", s.handleSimulator)
		s.route("POST /simulator/send", s.handleSimulatorSend)
		s.route("POST /simulator/reset", s.handleSimulatorReset)
		s.route("GET /simulator/poll", s.handleSimulatorPoll)
	}
	if s.Store != nil && s.Content != nil {
		s.routeConsole()
		s.route("GET /console/password", s.signedIn(s.handlePasswordPage))
		s.route("POST /console/password", s.signedIn(s.handlePasswordChange))
		s.route("POST /console/language", s.signedIn(s.handleLanguage))
		s.route("POST /console/accounts/{id}/password", s.staffOnly(s.handleResetPassword, staff.RoleAdmin))
	}
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Metrics.HTTPRequests.WithLabelValues("cross-origin", "403").Inc()
		s.refuseEarly(w, r, http.StatusForbidden, "console.error.cross_origin")
	}))
	return securityHeaders(cop.Handler(s.checkQuery(readFlash(s.mux))))
}

// route registers h on pattern and counts its responses by pattern.
func (s *Server) route(pattern string, h http.HandlerFunc) {
	s.mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, code: http.StatusOK}
		h(rec, r)
		s.Metrics.HTTPRequests.WithLabelValues(pattern, strconv.Itoa(rec.code)).Inc()
	}))
}

type statusRecorder struct {
	http.ResponseWriter
	code int
}

// WriteHeader records the status code and writes it.
func (r *statusRecorder) WriteHeader(code int) {
	r.code = code
	r.ResponseWriter.WriteHeader(code)
}

// Unwrap returns the wrapped ResponseWriter, for http.ResponseController.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// securityHeaders sets the headers every response carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
		if strings.HasPrefix(r.URL.Path, "/console") || strings.HasPrefix(r.URL.Path, "/simulator") {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

// cacheStatic lets browsers cache the static files for an hour.
func cacheStatic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		next.ServeHTTP(w, r)
	})
}
