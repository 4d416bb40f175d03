package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/metrics"
	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/telegram"
	"github.com/yol-project/yol/bot/web"
)

// serve runs `yol serve` until ctx is done.
func (m *Main) serve(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.Usage = func() {
		fmt.Fprintln(m.Stderr, "Usage: yol serve\n\nRuns Yol: the Telegram channel when TELEGRAM_BOT_TOKEN is set, and always the staff console,\n"+
			"the browser simulator, /healthz and /readyz on YOL_HTTP_ADDR (default 127.0.0.1:8080);\n"+
			"/metrics on YOL_METRICS_ADDR, or on YOL_HTTP_ADDR behind YOL_METRICS_TOKEN (else not at all).\n"+
			"Applies pending migrations first. With DATABASE_URL unset it starts a private PostgreSQL in YOL_DATA_DIR.")
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg, ok := m.config()
	if !ok {
		return 2
	}
	log := newLogger(m.Stderr)
	if err := m.runServe(ctx, cfg, log); err != nil {
		log.Error("yol serve stopped", "err", err)
		return 1
	}
	return 0
}

// runServe runs the service: migrations, the Telegram channel when
// configured, the console and simulator, metrics, content reloads and the
// hourly purge, until ctx is done.
func (m *Main) runServe(ctx context.Context, cfg Config, log *slog.Logger) error {
	met := metrics.New()
	a, err := m.openApp(ctx, cfg, log, met)
	if err != nil {
		return err
	}
	defer a.close(ctx)
	a.service.OnContentError = func(string, string, string) { met.ContentErrors.Inc() }
	a.service.OnStateReset = func(reason string) { met.StateResets.WithLabelValues(reason).Inc() }
	a.pack.OnLoad(func(c *bot.Content) {
		c.Texts.OnMissing(func(lang, id string) { met.MissingMessages.WithLabelValues(lang).Inc() })
	})
	if cfg.StaffChatID != 0 {
		staff := &bot.Conversation{Chat: bot.Chat{Channel: bot.ChannelTelegram, ID: cfg.StaffChatID}}
		a.service.OnReferral = func(ctx context.Context, tx bot.Tx, r *bot.Referral) error {
			met.Referrals.Inc()
			stored, err := tx.Organisations(ctx)
			if err != nil {
				return err
			}
			c := a.content.Load()
			return tx.Enqueue(ctx, staff, []bot.Reply{web.StaffNotice(c, web.OrgNames(c, stored), r, cfg.PublicURL)})
		}
	} else {
		a.service.OnReferral = func(context.Context, bot.Tx, *bot.Referral) error { met.Referrals.Inc(); return nil }
	}

	// Work that runs until shutdown; each is waited for before the database closes.
	var wg sync.WaitGroup
	spawn := func(f func()) {
		wg.Add(1)
		go func() { defer wg.Done(); f() }()
	}
	workCtx, stopWork := context.WithCancel(ctx)
	defer func() {
		stopWork()
		wg.Wait()
	}()
	if a.live != nil {
		spawn(func() { a.live.follow(workCtx) })
		met.Gauge("yol_content_stale", "1 when the live content version could not be put in use (see /readyz and the log).", func() float64 {
			if a.live.Status() != "" {
				return 1
			}
			return 0
		})
		met.Gauge("yol_content_version", "The content version in use (0: the built-in pack).", func() float64 {
			loaded, _ := a.live.Versions()
			return float64(loaded)
		})
	}
	if cfg.ContentDir != "" {
		spawn(func() { watchContent(workCtx, cfg.ContentDir, a.pack, 2*time.Second, log) })
		log.Info("content from YOL_CONTENT_DIR, reloaded on change", "dir", cfg.ContentDir, "version", a.content.Load().Version)
	}
	spawn(func() {
		janitor(workCtx, a.db, retention(cfg), time.Hour, log, func(c postgres.PurgeCounts) {
			met.Purged.WithLabelValues("messages").Add(float64(c.Messages))
			met.Purged.WithLabelValues("answers").Add(float64(c.States))
			met.Purged.WithLabelValues("referrals").Add(float64(c.Referrals))
		})
	})

	a.db.DB.Teaser = a.content.Teaser // notices sent unasked are discreet (#17)
	login, password, created, err := web.EnsureAdmin(ctx, a.db.DB)
	if err != nil {
		return fmt.Errorf("first admin account: %w", err)
	}
	if created {
		// Printed once, directly: the logger masks passwords by design.
		fmt.Fprintf(m.Stderr, "\nFirst admin account of the staff console: login %q, password %q\n"+
			"It is shown only this once, and serves only to sign in and choose a password of your own\n"+
			"(the console asks for it first; create more accounts with `yol staff add`).\n\n", login, password)
	}

	srv := &web.Server{Log: log, Metrics: met, Ready: a.db, Version: versionString(),
		Chat: a.service, Store: a.db.DB, Content: a.content, PublicURL: cfg.PublicURL, SimulatorSignIn: cfg.SimulatorSignIn, StaleAge: cfg.StaleAge,
		TrustedProxies: cfg.TrustedProxies,
		MetricsToken:   cfg.MetricsToken}
	if a.live != nil {
		srv.ContentStatus = a.live.Status
	}
	srv.DraftChat = func(c *bot.Content) web.Handler { // content staff try stored versions in the simulator
		d := a.service.WithContent(c)
		d.OnContentError = nil // a draft's faults are logged, not counted as the live content's
		return d
	}
	if cfg.SimulatorSignIn {
		log.Info("the simulator is for signed-in staff only (YOL_SIMULATOR=staff, the default when YOL_HTTP_ADDR is not a loopback address)")
	}
	if a.model != nil {
		srv.Translator = a.model // staff may translate a case's messages
	}
	var username botUsername
	srv.BotUsername = username.Get
	spawn(func() { srv.RunReminders(workCtx, cfg.ReminderInterval) })
	spawn(func() { runUpdates(workCtx, a.db.DB, a.content, time.Minute, log) })
	mux := http.NewServeMux()
	mux.Handle("/", srv.Handler())
	if cfg.MetricsToken != "" && cfg.MetricsAddr == "" {
		mux.Handle("GET /metrics", srv.MetricsHandler())
	}

	if cfg.TelegramToken != "" {
		chatInterval := cfg.ChatInterval
		if chatInterval == 0 {
			chatInterval = -1 // YOL_CHAT_INTERVAL=0s: no pacing (the channel's 0 means its default)
		}
		ch, err := telegram.New(telegram.Config{Token: cfg.TelegramToken, APIURL: cfg.TelegramAPIURL,
			WebhookURL: cfg.WebhookURL, WebhookSecret: cfg.WebhookSecret, SendRate: cfg.SendRate, PaidBroadcast: cfg.PaidBroadcast,
			ChatInterval: chatInterval, StaffChatID: cfg.StaffChatID, Log: log, Metrics: met, Transcribe: a.transcriber()},
			a.service, a.db.DB, a.db.DB)
		if err != nil {
			return fmt.Errorf("telegram: %w", err)
		}
		if cfg.WebhookURL != "" {
			mux.Handle("POST /telegram/webhook", ch.WebhookHandler())
		}
		loaded := make(chan *bot.Content, 1)
		a.pack.OnLoad(func(c *bot.Content) {
			select { // keep only the newest: the older menu need not be sent
			case <-loaded:
			default:
			}
			loaded <- c
		})
		spawn(func() { keepCommandMenu(workCtx, ch, loaded) })
		spawn(func() { username.learn(workCtx, log, ch.Username) })
		spawn(func() {
			if err := ch.Run(workCtx); err != nil && workCtx.Err() == nil {
				log.Error("telegram channel stopped", "err", err)
			}
		})
		mode := "long polling"
		if cfg.WebhookURL != "" {
			mode = "webhook"
		}
		log.Info("telegram channel on", "mode", mode)
	} else {
		log.Info("telegram channel off (TELEGRAM_BOT_TOKEN is unset); the simulator and the console are on")
	}

	// Every server has the same limits: a slow or idle client is cut off.
	servers := []*http.Server{web.NewHTTPServer(mux, web.DefaultHTTPLimits)}
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listen on YOL_HTTP_ADDR %s: %w", cfg.HTTPAddr, err)
	}
	listeners := []net.Listener{ln}
	if cfg.MetricsAddr != "" {
		metricsMux := http.NewServeMux()
		metricsMux.Handle("GET /metrics", srv.MetricsHandler())
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("listen on YOL_METRICS_ADDR %s: %w", cfg.MetricsAddr, err)
		}
		servers = append(servers, web.NewHTTPServer(metricsMux, web.DefaultHTTPLimits))
		listeners = append(listeners, mln)
		log.Info("metrics are served", "metrics", "http://"+mln.Addr().String()+"/metrics", "with_token", cfg.MetricsToken != "")
	} else if cfg.MetricsToken != "" {
		log.Info("metrics are served on YOL_HTTP_ADDR behind YOL_METRICS_TOKEN")
	} else {
		log.Info("metrics are not served (set YOL_METRICS_ADDR or YOL_METRICS_TOKEN)")
	}
	addr := ln.Addr().String()
	log.Info("yol is serving", "simulator", "http://"+addr+"/simulator", "console", "http://"+addr+"/console", "version", versionString())
	if m.Ready != nil {
		m.Ready <- addr
	}
	serveErr := make(chan error, len(servers))
	for i, hs := range servers {
		go func() { serveErr <- hs.Serve(listeners[i]) }()
	}

	select {
	case <-ctx.Done():
		log.Info("shutting down")
	case err := <-serveErr:
		for _, hs := range servers {
			hs.Close()
		}
		return fmt.Errorf("http server: %w", err)
	}
	// Stop taking requests, let in-flight ones finish, then stop the workers
	// (the deferred stopWork and wg.Wait), then close the database.
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 20*time.Second)
	defer cancel()
	for _, hs := range servers {
		if err := hs.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("http shutdown", "err", err)
		}
	}
	return nil
}

// keepCommandMenu registers the Telegram command menu of the content in
// use, and again after a reload that changed it.
func keepCommandMenu(ctx context.Context, ch *telegram.Channel, loaded <-chan *bot.Content) {
	var last map[string][]telegram.Command
	for {
		select {
		case <-ctx.Done():
			return
		case c := <-loaded:
			if cmds := botCommands(c); !reflect.DeepEqual(cmds, last) {
				ch.SetCommands(ctx, cmds)
				last = cmds
			}
		}
	}
}

// botCommands lists the commands shown in Telegram's menu, per language: the
// pack's command menu (knowledge/settings.yaml), each with its description
// in that language, or the source language's when it lacks one.
func botCommands(c *bot.Content) map[string][]telegram.Command {
	out := map[string][]telegram.Command{}
	for _, l := range c.Texts.Languages() {
		var cmds []telegram.Command
		for _, m := range c.Settings.CommandMenu {
			if !c.Texts.Has(l.Code, m.Description) && !c.Texts.Has(c.Texts.Source(), m.Description) {
				continue
			}
			cmds = append(cmds, telegram.Command{Name: m.Command, Description: strings.TrimSpace(c.Texts.Text(l.Code, m.Description, nil, nil))})
		}
		out[l.Code] = cmds
		if l.Code == c.Texts.Source() {
			out[""] = cmds
		}
	}
	return out
}
