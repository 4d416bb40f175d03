package main

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/yol-project/yol/bot/editor"
	"github.com/yol-project/yol/bot/seal"
)

// Config is everything yol reads from its environment. It is built once in
// Main and passed down; nothing reads the environment elsewhere.
type Config struct {
	DatabaseURL    string // empty: start a private PostgreSQL in DataDir
	DataDir        string
	HTTPAddr       string
	DataKey        *seal.Keyring // nil: generate or read DataDir/data.key (serve only)
	ContentDir     string        // empty: the embedded content pack
	PublicURL      string        // base URL of the console, for links in staff notifications
	TelegramToken  string
	TelegramAPIURL string
	WebhookURL     string
	WebhookSecret  string
	StaffChatID    int64
	SendRate       float64 // replies per second, all chats together
	PaidBroadcast  bool    // allow_paid_broadcast on bulk sends above 30/s
	ChatInterval   time.Duration
	OpenAIKey      string
	OpenAIBaseURL  string
	OpenAIModel    string
	Retention      time.Duration // message text and answers
	// StaleAge is how old a fact's verified-on date may be before the
	// editors' page lists it as stale (YOL_STALE_DAYS, default 180 days).
	StaleAge time.Duration
	// ReferralRetention is how long a closed referral keeps its personal fields.
	ReferralRetention time.Duration
	// SignInRetention is how long sign-in audit rows and sign-in attempt
	// counters (addresses, logins as typed) are kept.
	SignInRetention time.Duration
	// ReminderInterval is how often due appointment reminders are sent.
	ReminderInterval time.Duration
	// TrustedProxies are the reverse proxies in front of Yol whose
	// X-Forwarded-For gives the client's address (YOL_TRUSTED_PROXIES:
	// addresses or CIDR networks, comma-separated; none by default).
	TrustedProxies []netip.Prefix
	// SimulatorSignIn keeps the browser simulator for signed-in staff (a
	// public deployment: strangers must not fill the referral queue). It is
	// the default when HTTPAddr is not a loopback address.
	SimulatorSignIn bool
	// MetricsAddr is where /metrics is served, apart from the console
	// (empty: not on an address of its own).
	MetricsAddr string
	// MetricsToken, when set, is required as a bearer token on /metrics;
	// without MetricsAddr it serves /metrics on HTTPAddr behind the token.
	MetricsToken string
	// DBPool is the number of connections in the database pool.
	DBPool int
	// SendAttempts and SendGiveUp say when a reply Telegram keeps refusing
	// becomes a dead letter: after that many failed attempts, or that long
	// after its first failure.
	SendAttempts int
	SendGiveUp   time.Duration
}

// secretVars may also be given as NAME_FILE, the path of a file holding the value.
var secretVars = []string{"DATABASE_URL", "TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "YOL_DATA_KEY", "OPENAI_API_KEY", "YOL_METRICS_TOKEN"}

var (
	tokenPattern  = regexp.MustCompile(`^[0-9]{1,20}:[A-Za-z0-9_-]{20,}$`)
	secretPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
	// metricsTokenPattern is a bearer token (RFC 6750's b64token) long
	// enough not to be guessed.
	metricsTokenPattern = regexp.MustCompile(`^[A-Za-z0-9._~+/-]{16,256}=*$`)
)

// LoadConfig reads the configuration through getenv and readFile (os.Getenv
// and os.ReadFile in production). It returns one error per problem, each
// naming the variable and never repeating a secret's value.
func LoadConfig(getenv func(string) string, readFile func(string) ([]byte, error)) (Config, []error) {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	env := map[string]string{}
	get := func(name string) string {
		if v, ok := env[name]; ok {
			return v
		}
		return strings.TrimSpace(getenv(name))
	}
	for _, name := range secretVars {
		file := strings.TrimSpace(getenv(name + "_FILE"))
		if file == "" {
			continue
		}
		if getenv(name) != "" {
			bad("%s and %s_FILE are both set: keep one", name, name)
			continue
		}
		b, err := readFile(file)
		if err != nil {
			bad("%s_FILE: cannot read %s: %v", name, file, errors.Unwrap(err))
			continue
		}
		env[name] = strings.TrimSpace(string(b))
	}

	c := Config{
		DatabaseURL:       get("DATABASE_URL"),
		DataDir:           orDefault(get("YOL_DATA_DIR"), ".yol"),
		HTTPAddr:          orDefault(get("YOL_HTTP_ADDR"), "127.0.0.1:8080"),
		ContentDir:        get("YOL_CONTENT_DIR"),
		PublicURL:         get("YOL_PUBLIC_URL"),
		TelegramToken:     get("TELEGRAM_BOT_TOKEN"),
		TelegramAPIURL:    orDefault(get("TELEGRAM_API_URL"), "https://api.telegram.org"),
		WebhookURL:        get("TELEGRAM_WEBHOOK_URL"),
		WebhookSecret:     get("TELEGRAM_WEBHOOK_SECRET"),
		OpenAIKey:         get("OPENAI_API_KEY"),
		OpenAIBaseURL:     get("OPENAI_BASE_URL"),
		OpenAIModel:       get("OPENAI_MODEL"),
		SendRate:          30,
		ChatInterval:      time.Second,
		Retention:         90 * 24 * time.Hour,
		ReferralRetention: 365 * 24 * time.Hour,
		SignInRetention:   90 * 24 * time.Hour,
		ReminderInterval:  5 * time.Minute,
	}

	if c.DatabaseURL != "" {
		if u, err := url.Parse(c.DatabaseURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			bad("DATABASE_URL: want a URL such as postgres://user:password@host:5432/yol (value not shown)")
		}
	}
	if _, _, err := net.SplitHostPort(c.HTTPAddr); err != nil {
		bad("YOL_HTTP_ADDR: %q is not host:port (for example 127.0.0.1:8080)", c.HTTPAddr)
	}
	if k := get("YOL_DATA_KEY"); k != "" {
		ring, err := seal.ParseKeyring(k)
		if err != nil {
			bad("YOL_DATA_KEY: %v (generate one with `yol keys new`)", err)
		}
		c.DataKey = ring
	}
	if c.ContentDir != "" {
		if fi, err := os.Stat(c.ContentDir); err != nil || !fi.IsDir() {
			bad("YOL_CONTENT_DIR: %s is not a folder", c.ContentDir)
		}
	}
	if c.PublicURL != "" && !isHTTPURL(c.PublicURL) {
		bad("YOL_PUBLIC_URL: %q is not an http(s) URL", c.PublicURL)
	}
	if c.TelegramToken != "" && !tokenPattern.MatchString(c.TelegramToken) {
		bad("TELEGRAM_BOT_TOKEN: does not look like a bot token (digits, a colon, then letters; value not shown)")
	}
	if !isHTTPURL(c.TelegramAPIURL) {
		bad("TELEGRAM_API_URL: %q is not an http(s) URL", c.TelegramAPIURL)
	}
	c.TelegramAPIURL = strings.TrimRight(c.TelegramAPIURL, "/")
	if c.WebhookURL != "" {
		if u, err := url.Parse(c.WebhookURL); err != nil || u.Scheme != "https" || u.Host == "" {
			bad("TELEGRAM_WEBHOOK_URL: %q must be an https URL (Telegram sends webhooks over HTTPS only)", c.WebhookURL)
		}
		if c.WebhookSecret == "" {
			bad("TELEGRAM_WEBHOOK_SECRET: required with TELEGRAM_WEBHOOK_URL (1-256 characters A-Z a-z 0-9 _ -)")
		}
		if c.TelegramToken == "" {
			bad("TELEGRAM_WEBHOOK_URL: set TELEGRAM_BOT_TOKEN too")
		}
	}
	if c.WebhookSecret != "" && !secretPattern.MatchString(c.WebhookSecret) {
		bad("TELEGRAM_WEBHOOK_SECRET: use 1-256 characters from A-Z a-z 0-9 _ - (value not shown)")
	}
	if v := get("TELEGRAM_STAFF_CHAT_ID"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id == 0 {
			bad("TELEGRAM_STAFF_CHAT_ID: %q is not a chat id (an integer, negative for groups)", v)
		}
		c.StaffChatID = id
	}
	if v := get("YOL_SEND_RATE"); v != "" {
		r, err := strconv.ParseFloat(v, 64)
		if err != nil || r <= 0 || r > 1000 {
			bad("YOL_SEND_RATE: %q is not a rate between 0 and 1000 messages per second", v)
		}
		c.SendRate = r
	}
	switch v := get("YOL_PAID_BROADCAST"); v {
	case "", "off":
	case "on":
		c.PaidBroadcast = true
	default:
		bad("YOL_PAID_BROADCAST: %q is not on or off", v)
	}
	if v := get("YOL_CHAT_INTERVAL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 || d > time.Minute {
			bad("YOL_CHAT_INTERVAL: %q is not a duration between 0s and 1m (for example 1s)", v)
		}
		c.ChatInterval = d
	}
	if v := get("YOL_RETENTION_DAYS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 3650 {
			bad("YOL_RETENTION_DAYS: %q is not a number of days between 1 and 3650", v)
		}
		c.Retention = time.Duration(n) * 24 * time.Hour
	}
	c.StaleAge = editor.DefaultStaleAge
	if v := get("YOL_STALE_DAYS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 3650 {
			bad("YOL_STALE_DAYS: %q is not a number of days between 1 and 3650", v)
		}
		c.StaleAge = time.Duration(n) * 24 * time.Hour
	}
	for _, v := range strings.Split(get("YOL_TRUSTED_PROXIES"), ",") {
		if v = strings.TrimSpace(v); v == "" {
			continue
		}
		p, err := netip.ParsePrefix(v)
		if err != nil {
			a, aerr := netip.ParseAddr(v)
			if aerr != nil {
				bad("YOL_TRUSTED_PROXIES: %q is not an address or a network (for example 10.0.0.5 or 10.0.0.0/24)", v)
				continue
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		c.TrustedProxies = append(c.TrustedProxies, p.Masked())
	}
	switch v := get("YOL_SIMULATOR"); v {
	case "":
		// Strangers may use the simulator only where only this machine reaches it.
		c.SimulatorSignIn = !isLoopback(c.HTTPAddr)
	case "open":
	case "staff":
		c.SimulatorSignIn = true
	default:
		bad("YOL_SIMULATOR: %q must be open (anyone may use the simulator) or staff (signed-in staff only)", v)
	}
	if c.MetricsAddr = get("YOL_METRICS_ADDR"); c.MetricsAddr != "" {
		if _, port, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			bad("YOL_METRICS_ADDR: %q is not host:port (for example 127.0.0.1:9100)", c.MetricsAddr)
		} else if c.MetricsAddr == c.HTTPAddr && port != "0" { // port 0: two distinct free ports
			bad("YOL_METRICS_ADDR: %q is YOL_HTTP_ADDR too: give /metrics an address of its own, or unset it and set YOL_METRICS_TOKEN", c.MetricsAddr)
		}
	}
	if c.MetricsToken = get("YOL_METRICS_TOKEN"); c.MetricsToken != "" && !metricsTokenPattern.MatchString(c.MetricsToken) {
		bad("YOL_METRICS_TOKEN: use 16-256 characters from A-Z a-z 0-9 . _ ~ + / - (value not shown)")
	}
	if v := get("YOL_REMINDER_INTERVAL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 100*time.Millisecond || d > 24*time.Hour {
			bad("YOL_REMINDER_INTERVAL: %q is not a duration between 100ms and 24h (for example 5m)", v)
		}
		c.ReminderInterval = d
	}
	if v := get("YOL_REFERRAL_RETENTION_DAYS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 3650 {
			bad("YOL_REFERRAL_RETENTION_DAYS: %q is not a number of days between 1 and 3650", v)
		}
		c.ReferralRetention = time.Duration(n) * 24 * time.Hour
	}
	if v := get("YOL_SIGNIN_RETENTION_DAYS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 3650 {
			bad("YOL_SIGNIN_RETENTION_DAYS: %q is not a number of days between 1 and 3650", v)
		}
		c.SignInRetention = time.Duration(n) * 24 * time.Hour
	}
	c.DBPool, c.SendAttempts, c.SendGiveUp = 32, 5, 10*time.Minute
	if v := get("YOL_DB_POOL"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 2 || n > 1000 {
			bad("YOL_DB_POOL: %q is not a number of database connections between 2 and 1000", v)
		}
		c.DBPool = n
	}
	if v := get("YOL_SEND_ATTEMPTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			bad("YOL_SEND_ATTEMPTS: %q is not a number of attempts between 1 and 100", v)
		}
		c.SendAttempts = n
	}
	if v := get("YOL_SEND_GIVE_UP"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Second || d > 7*24*time.Hour {
			bad("YOL_SEND_GIVE_UP: %q is not a duration between 1s and 168h (for example 10m)", v)
		}
		c.SendGiveUp = d
	}
	if c.OpenAIBaseURL != "" && !isHTTPURL(c.OpenAIBaseURL) {
		bad("OPENAI_BASE_URL: %q is not an http(s) URL", c.OpenAIBaseURL)
	}
	if c.LLMEnabled() && c.OpenAIModel == "" {
		c.OpenAIModel = "gpt-4o-mini"
	}
	return c, errs
}

// LLMEnabled tells whether free-text help may call a model.
func (c Config) LLMEnabled() bool { return c.OpenAIKey != "" || c.OpenAIBaseURL != "" }

// isLoopback reports whether addr (host:port) listens on this machine only:
// 127.0.0.0/8, ::1 or localhost. An empty host (every interface) and any
// other name are not loopback.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// isHTTPURL reports whether s is an http or https URL with a host.
func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// orDefault returns v, or def when v is empty.
func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
