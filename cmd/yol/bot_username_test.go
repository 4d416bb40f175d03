package main

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"
)

// TestBotUsernameLearnedOnceTelegramAnswers: while getMe fails the
// username is unknown (""), and it is known once Telegram answers; a
// shutdown stops the asking.
func TestBotUsernameLearnedOnceTelegramAnswers(t *testing.T) {
	b := &botUsername{retry: time.Millisecond}
	calls := 0
	ask := func(context.Context) (string, error) {
		calls++
		if got := b.Get(); got != "" {
			t.Errorf("known before getMe answered: %q", got)
		}
		if calls < 3 {
			return "", errors.New("telegram getMe: 502 Bad Gateway")
		}
		return "yol_bot", nil
	}
	b.learn(context.Background(), slog.New(slog.DiscardHandler), ask)
	if got, want := b.Get(), "yol_bot"; got != want || calls != 3 {
		t.Errorf("got %q after %d calls, want %q after 3", got, calls, want)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	never := &botUsername{retry: time.Hour}
	done := make(chan struct{})
	go func() {
		never.learn(ctx, slog.New(slog.DiscardHandler), func(context.Context) (string, error) { return "", errors.New("down") })
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("learn did not stop at shutdown")
	}
	if got := never.Get(); got != "" {
		t.Errorf("a username that never came: %q", got)
	}
}
