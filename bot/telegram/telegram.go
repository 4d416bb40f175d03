// Package telegram is Yol's Telegram channel: updates in (long polling or a
// webhook), each handled by the bot.Service in one transaction and only then
// acknowledged; replies out through the outbox, drained by a sender that
// keeps each chat's order, one global send rate shared by every process,
// per-chat pacing, Telegram's 429 retry_after, and retries with backoff.
//
// go-telegram-bot-api is used for its types and its request code only: the
// polling loop, the webhook handler and the HTTP client (context, deadlines,
// no token in any error or log line) are this package's own.
package telegram

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/metrics"
)

// Config configures the channel.
type Config struct {
	Token, APIURL             string        // requests go to {APIURL}/bot{token}/{method}
	WebhookURL, WebhookSecret string        // webhook mode when WebhookURL != ""
	SendRate                  float64       // replies per second across ALL processes (default 30)
	ChatInterval              time.Duration // min gap between two sends to one chat (default 1s; negative: none)
	Workers                   int           // parallel chats (default 16)
	StaffChatID               int64         // group chat of staff; its updates are not handled as a person's
	// PaidBroadcast sets allow_paid_broadcast on bulk sends (updates,
	// reminders) when SendRate is above Telegram's free 30 per second.
	PaidBroadcast bool
	// Transcribe turns a voice message into text (the model server's audio
	// endpoint); nil: voice messages get a polite "please type".
	Transcribe func(ctx context.Context, audio io.Reader, lang string) (string, error)
	Log        *slog.Logger
	Metrics    *metrics.Metrics

	// PollTimeout is the getUpdates long-poll timeout (default 25s).
	PollTimeout time.Duration
	// SendPoll is how often the sender looks for new outbox rows when it
	// was not woken up (default 150ms).
	SendPoll time.Duration
	// ModelWorkers bounds the parked conversations whose slow work (a
	// model's answer) runs at once (default 64).
	ModelWorkers int
	// ParkSweep is how often parked conversations whose worker went away
	// are looked for (default 15s).
	ParkSweep time.Duration
}

// Handler handles one inbound message in one transaction (*bot.Service).
type Handler interface {
	Handle(ctx context.Context, in bot.Inbound) (bot.Result, error)
}

// Parker is a Handler that parks a conversation on slow work (*bot.Service):
// Accept commits the message at once and returns Result.Parked, whose work
// Resume does outside any transaction; the channel runs it apart from the
// intake, so that a slow model holds up nobody else. With a plain Handler
// the channel waits for Handle.
type Parker interface {
	Handler
	Accept(ctx context.Context, in bot.Inbound) (bot.Result, error)
	Resume(ctx context.Context, p bot.Parked) (bot.Result, error)
	// ClaimParked claims parked work of ch's conversations whose worker
	// went away (a crash).
	ClaimParked(ctx context.Context, ch bot.Channel, limit int) ([]bot.Parked, error)
	// ReleaseParked gives work this process will not do back at once.
	ReleaseParked(ctx context.Context, p bot.Parked) error
}

// UpdateChecker tells whether an update was handled before (*bot.Service),
// so that costly work done once per update (a voice message's
// transcription) is skipped for a redelivery.
type UpdateChecker interface {
	Seen(ctx context.Context, updateID int64) (bool, error)
}

// Outbox is the sender's view of the outbox table (*postgres.DB).
type Outbox interface {
	// ClaimReplies leases up to limit due replies, at most one per chat
	// (its earliest pending one), and calls each for every one. A row
	// handed to each is leased even when an error is returned after it.
	ClaimReplies(ctx context.Context, limit int, lease time.Duration, each func(o bot.Outgoing)) error
	// ClaimBulk leases up to limit due bulk rows (updates, reminders), only
	// while the global rate has at most headroom reserved ahead.
	ClaimBulk(ctx context.Context, limit int, lease, headroom time.Duration, each func(o bot.Outgoing)) error
	// MarkRepliesSent records sends (ids[i] sent its first partsSent[i]
	// parts) and holds their chats' next replies back for pace.
	MarkRepliesSent(ctx context.Context, ids []int64, partsSent []int, pace time.Duration) error
	// RetryReply schedules another attempt at at (rate limits, shutdown).
	RetryReply(ctx context.Context, id int64, partsSent int, at time.Time, reason string) error
	// RetryFailedReply schedules another attempt after a failure that may
	// be the reply's own fault (5xx, network): it counts towards GiveUpAfter.
	RetryFailedReply(ctx context.Context, id int64, partsSent int, at time.Time, reason string) error
	// DeadLetter gives a reply that keeps failing up and keeps it for
	// admins; the chat's next replies go.
	DeadLetter(ctx context.Context, id int64, partsSent int, reason string) error
	// GiveUpAfter says when a failing reply becomes a dead letter: after n
	// failures, or d after the first (while Telegram answers other calls).
	GiveUpAfter() (n int, d time.Duration)
	// FailReply gives a reply up; blocked marks the conversation blocked.
	FailReply(ctx context.Context, id, conversationID int64, reason string, blocked bool) error
	// ReserveSendSlots takes n slots of the global rate, one per step, and
	// returns the wait until the first.
	ReserveSendSlots(ctx context.Context, n int, step time.Duration) (time.Duration, error)
	// PauseSends holds every process's sends back for d.
	PauseSends(ctx context.Context, d time.Duration) error
}

// Offsets stores the long-polling offset (*postgres.DB).
type Offsets interface {
	PollOffset(ctx context.Context, name string) (int64, error)
	SetPollOffset(ctx context.Context, name string, offset int64) error
	// HoldPollLock waits until this process may poll (one poller per bot)
	// or ctx ends; release gives the turn back.
	HoldPollLock(ctx context.Context, name string) (release func(), err error)
}

// Command is one entry of the bot's command menu.
type Command struct {
	Name        string // a-z 0-9 _, up to 32
	Description string // up to 256 characters
}

// Channel is the running Telegram channel.
type Channel struct {
	marks   *marker // set by the sender loop
	cfg     Config
	h       Handler
	ob      Outbox
	off     Offsets
	api     *api
	log     *slog.Logger
	m       *metrics.Metrics
	offName string
	wake    chan struct{}
	parked  chan bot.Parked // parked work for the resumer (Run)

	pauseMu     sync.Mutex
	pausedUntil time.Time // local copy of a 429 pause
}

// Timeouts of single Bot API calls (long polling adds its own).
const (
	callTimeout  = 15 * time.Second
	replyLease   = time.Minute // a claimed reply's lease; a dead sender's rows come back after it
	maxBackoff   = 30 * time.Second
	maxRetryWait = time.Hour // cap on a retry_after from Telegram
	webhookLimit = 1 << 20
)

// New checks the configuration and builds the channel; it makes no request.
func New(cfg Config, h Handler, ob Outbox, off Offsets) (*Channel, error) {
	if cfg.Token == "" {
		return nil, errors.New("telegram: no bot token")
	}
	if h == nil || ob == nil {
		return nil, errors.New("telegram: a handler and an outbox are required")
	}
	if cfg.WebhookURL == "" && off == nil {
		return nil, errors.New("telegram: long polling needs an offset store")
	}
	if cfg.WebhookURL != "" && !validSecret(cfg.WebhookSecret) {
		return nil, errors.New("telegram: webhook mode needs TELEGRAM_WEBHOOK_SECRET: 1-256 characters of A-Z a-z 0-9 _ -")
	}
	if cfg.APIURL == "" {
		cfg.APIURL = "https://api.telegram.org"
	}
	if cfg.SendRate <= 0 {
		cfg.SendRate = 30
	}
	if cfg.ChatInterval < 0 {
		cfg.ChatInterval = 0
	} else if cfg.ChatInterval == 0 {
		cfg.ChatInterval = time.Second
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 16
	}
	if cfg.PollTimeout <= 0 {
		cfg.PollTimeout = 25 * time.Second
	}
	if cfg.SendPoll <= 0 {
		cfg.SendPoll = 150 * time.Millisecond
	}
	if cfg.ModelWorkers <= 0 {
		cfg.ModelWorkers = 64
	}
	if cfg.ParkSweep <= 0 {
		cfg.ParkSweep = 15 * time.Second
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Metrics == nil {
		cfg.Metrics = metrics.New()
	}
	hc := &http.Client{Transport: &http.Transport{
		Proxy: http.ProxyFromEnvironment, MaxIdleConns: 100, MaxIdleConnsPerHost: cfg.Workers * 2,
		IdleConnTimeout: 90 * time.Second, TLSHandshakeTimeout: 10 * time.Second, ForceAttemptHTTP2: true,
	}}
	c := &Channel{cfg: cfg, h: h, ob: ob, off: off, log: cfg.Log.With("channel", "telegram"), m: cfg.Metrics,
		api: newAPI(cfg.Token, cfg.APIURL, hc), wake: make(chan struct{}, 1), parked: make(chan bot.Parked, parkedBacklog)}
	// The bot's numeric id (before the colon) is not secret; the rest is.
	id, _, ok := strings.Cut(cfg.Token, ":")
	if !ok || id == "" {
		sum := sha256.Sum256([]byte(cfg.Token))
		id = hex.EncodeToString(sum[:6])
	}
	c.offName = "telegram:" + id
	return c, nil
}

// validSecret reports whether s is a webhook secret Telegram accepts: 1 to
// 256 of A-Z, a-z, 0-9, _ and -.
func validSecret(s string) bool {
	if len(s) == 0 || len(s) > 256 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// Run receives updates (long polling, or registers the webhook) and drains
// the outbox until ctx is done; it returns once in-flight work has finished.
func (c *Channel) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	wg.Go(func() { c.sendLoop(ctx) })
	if p, ok := c.h.(Parker); ok {
		wg.Go(func() { c.resumeLoop(ctx, p) })
	}
	if c.cfg.WebhookURL != "" {
		c.setWebhook(ctx)
		<-ctx.Done()
	} else {
		c.poll(ctx)
	}
	wg.Wait()
	return nil
}

// allowedUpdates are the update kinds Yol asks for.
var allowedUpdates = `["message","edited_message","callback_query","my_chat_member"]`

// setWebhook registers the webhook, retrying until Telegram accepts it or
// ctx is done.
func (c *Channel) setWebhook(ctx context.Context) {
	params := tgbotapi.Params{"url": c.cfg.WebhookURL, "secret_token": c.cfg.WebhookSecret,
		"allowed_updates": allowedUpdates, "max_connections": "40"}
	for attempt := 0; ; attempt++ {
		_, err := c.api.call(ctx, "setWebhook", params, callTimeout)
		if err == nil {
			c.log.Info("webhook registered")
			return
		}
		c.log.Warn("setWebhook failed; retrying", "err", err, "attempt", attempt+1)
		if !sleep(ctx, retryDelay(err, attempt)) {
			return
		}
	}
}

// SetCommands registers the command menu per language code ("" = default).
// Failures are logged, not fatal.
func (c *Channel) SetCommands(ctx context.Context, cmds map[string][]Command) {
	langs := make([]string, 0, len(cmds))
	for l := range cmds {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, lang := range langs {
		list := make([]tgbotapi.BotCommand, 0, len(cmds[lang]))
		for _, cmd := range cmds[lang] {
			list = append(list, tgbotapi.BotCommand{Command: cmd.Name, Description: limitRunes(cmd.Description, 256)})
		}
		b, _ := json.Marshal(list)
		params := tgbotapi.Params{"commands": string(b)}
		if lang != "" {
			params["language_code"] = lang
		}
		if _, err := c.api.call(ctx, "setMyCommands", params, callTimeout); err != nil {
			c.log.Warn("setMyCommands failed", "lang", lang, "err", err)
		}
	}
}

// notify wakes the sender up: new rows are in the outbox.
func (c *Channel) notify() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// backoff is exponential with full jitter: up to base*2^attempt, capped.
func backoff(attempt int, base, max time.Duration) time.Duration {
	d := base << min(attempt, 20)
	if d > max || d <= 0 {
		d = max
	}
	return d/2 + rand.N(d/2+1)
}

// retryDelay honours a 429's retry_after, else backs off.
func retryDelay(err error, attempt int) time.Duration {
	var ae *APIError
	if errors.As(err, &ae) && ae.Code == http.StatusTooManyRequests {
		return retryAfter(ae)
	}
	return backoff(attempt, 500*time.Millisecond, maxBackoff)
}

// retryAfter returns how long a 429 asks to wait (1 s when it does not
// say), at most maxRetryWait.
func retryAfter(ae *APIError) time.Duration {
	d := time.Duration(ae.RetryAfter) * time.Second
	if d <= 0 {
		d = time.Second
	}
	return min(d, maxRetryWait)
}

// sleep waits d or until ctx is done; false when ctx is done.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
