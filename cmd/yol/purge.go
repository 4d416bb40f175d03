package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"github.com/yol-project/yol/bot/postgres"
)

// retention returns how long each kind of data is kept, from the config.
func retention(cfg Config) postgres.Retention {
	return postgres.Retention{Messages: cfg.Retention, Referrals: cfg.ReferralRetention, Updates: 7 * 24 * time.Hour, Outbox: 30 * 24 * time.Hour,
		SignIns: cfg.SignInRetention}
}

// purge runs `yol purge`: it deletes or anonymises data older than the
// retention periods and prints the counts.
func (m *Main) purge(ctx context.Context, args []string) int {
	fl := flag.NewFlagSet("purge", flag.ContinueOnError)
	fl.SetOutput(m.Stderr)
	fl.Usage = func() {
		fmt.Fprintln(m.Stderr, "Usage: yol purge\n\nDeletes message text and answers older than YOL_RETENTION_DAYS (default 90) and anonymises\n"+
			"referrals closed more than YOL_REFERRAL_RETENTION_DAYS ago (default 365). `yol serve` does the same every hour.")
	}
	if err := fl.Parse(args); err != nil {
		return 2
	}
	cfg, ok := m.config()
	if !ok {
		return 2
	}
	db, ok := m.commandDB(ctx, cfg, nil, false)
	if !ok {
		return 1
	}
	defer db.close(context.WithoutCancel(ctx))
	log := newLogger(m.Stderr)
	c, err := db.Purge(ctx, retention(cfg), time.Now())
	if err != nil {
		fmt.Fprintf(m.Stderr, "yol: %v\n", err)
		return 1
	}
	logPurge(log, c)
	fmt.Fprintf(m.Stdout, "messages deleted: %d\nanswers cleared: %d\nreferrals anonymised: %d\nnotes deleted: %d\nupdate ids forgotten: %d\nold replies deleted: %d\nexpired staff sessions: %d\nunanswered questions deleted: %d\n",
		c.Messages, c.States, c.Referrals, c.ReferralNotes, c.Updates, c.Outbox, c.Sessions, c.Unanswered)
	return 0
}

// logPurge logs the counts of a retention purge.
func logPurge(log *slog.Logger, c postgres.PurgeCounts) {
	log.Info("retention purge", "messages", c.Messages, "answers", c.States, "referrals", c.Referrals,
		"notes", c.ReferralNotes, "updates", c.Updates, "outbox", c.Outbox, "staff_sessions", c.Sessions, "unanswered", c.Unanswered)
}

// janitor purges every interval until ctx is done. Every replica runs a
// janitor; each interval, the one that claims the run purges and the others
// skip it (postgres.DB.ClaimRun).
func janitor(ctx context.Context, db *database, r postgres.Retention, every time.Duration, log *slog.Logger, count func(postgres.PurgeCounts)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		// A tick a little early still claims the interval it belongs to.
		mine, err := db.ClaimRun(ctx, "retention_purge", every*9/10)
		if err != nil && ctx.Err() == nil {
			log.Error("retention purge: claim failed", "err", err)
		}
		if mine {
			c, err := db.Purge(ctx, r, time.Now())
			if err != nil && ctx.Err() == nil {
				log.Error("retention purge failed", "err", err)
			} else if err == nil {
				logPurge(log, c)
				count(c)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
