package main

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"
)

// botUsername is the Telegram bot's username, learned from getMe once
// Telegram answers, for the deep links of campaign sources.
type botUsername struct {
	name  atomic.Pointer[string]
	retry time.Duration // the first wait after a failure (0: 2 s), doubled up to 30 s
}

// Get returns the username, or "" while it is not known.
func (b *botUsername) Get() string {
	if p := b.name.Load(); p != nil {
		return *p
	}
	return ""
}

// learn asks ask until it answers (every 30 s, at first sooner) or ctx
// ends; Telegram's being down at start delays only the campaign links.
func (b *botUsername) learn(ctx context.Context, log *slog.Logger, ask func(context.Context) (string, error)) {
	wait := b.retry
	if wait <= 0 {
		wait = 2 * time.Second
	}
	for {
		name, err := ask(ctx)
		if err == nil {
			b.name.Store(&name)
			return
		}
		log.Warn("the bot's username is not known yet (getMe); campaign links wait for it", "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, 30*time.Second)
	}
}
