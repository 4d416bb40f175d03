package main

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/staff"
)

// runUpdates queues the updates whose time has come, every interval, until
// ctx ends. Every replica runs it: QueueUpdate locks an update and marks it
// queued in one transaction, so each is queued once whatever the number of
// replicas (the other gets staff.ErrAlreadyQueued). An update that cannot go
// (a language of its audience without a text, no approval yet) is logged
// and tried again at the next tick.
func runUpdates(ctx context.Context, db *postgres.DB, content *bot.ContentHolder, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		ids, err := db.DueUpdates(ctx, time.Now())
		if err != nil && ctx.Err() == nil {
			log.Error("due updates", "err", err)
		}
		for _, id := range ids {
			texts := content.Load().Texts
			n, err := db.QueueUpdate(ctx, id, 0, func(lang, text string) bot.Reply { return bot.UpdateReply(texts, lang, text) })
			switch {
			case errors.Is(err, staff.ErrAlreadyQueued):
			case err != nil:
				if ctx.Err() == nil {
					log.Warn("an update due now cannot be sent", "update", id, "err", err)
				}
			default:
				log.Info("update queued", "update", id, "count", n)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
