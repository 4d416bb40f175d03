package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/yol-project/yol/bot/metrics"
	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/web"
)

func (m *Main) serve(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.Usage = func() {
		fmt.Fprintln(m.Stderr, "Usage: yol serve\n\nRuns Yol: the Telegram channel when TELEGRAM_BOT_TOKEN is set, and always the staff console,\n"+
			"the browser simulator, /healthz, /readyz and /metrics on YOL_HTTP_ADDR (default 127.0.0.1:8080).\n"+
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
	if err := m.runServe(ctx, cfg); err != nil {
		log.Error("yol serve stopped", "err", err)
		return 1
	}
	return 0
}

func (m *Main) runServe(ctx context.Context, cfg Config) error {
	log := newLogger(m.Stderr)
	a, err := m.openApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.close(ctx)
	met := metrics.New()
	a.service.OnContentError = func(string, string, string) { met.ContentErrors.Inc() }
	a.content.Load().Texts.OnMissing(func(lang, id string) { met.MissingMessages.WithLabelValues(lang).Inc() })
	if cfg.ContentDir != "" {
		go watchContent(ctx, cfg.ContentDir, a.content, 2*time.Second, log)
		log.Info("content from YOL_CONTENT_DIR, reloaded on change", "dir", cfg.ContentDir, "version", a.content.Load().Version)
	}

	go janitor(ctx, a.db, retention(cfg), time.Hour, log, func(c postgres.PurgeCounts) {
		met.Purged.WithLabelValues("messages").Add(float64(c.Messages))
		met.Purged.WithLabelValues("answers").Add(float64(c.States))
		met.Purged.WithLabelValues("referrals").Add(float64(c.Referrals))
	})

	srv := &web.Server{Log: log, Metrics: met, Ready: a.db, Version: versionString()}
	httpServer := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listen on YOL_HTTP_ADDR %s: %w", cfg.HTTPAddr, err)
	}
	addr := ln.Addr().String()
	log.Info("yol is serving", "url", "http://"+addr+"/", "version", versionString())
	if m.Ready != nil {
		m.Ready <- addr
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- httpServer.Serve(ln) }()

	select {
	case <-ctx.Done():
		log.Info("shutting down")
	case err := <-serveErr:
		return fmt.Errorf("http server: %w", err)
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 20*time.Second)
	defer cancel()
	if err := httpServer.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Error("http shutdown", "err", err)
	}
	return nil
}
