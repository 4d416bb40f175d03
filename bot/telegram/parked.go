package telegram

import (
	"context"
	"sync"
	"time"

	"github.com/yol-project/yol/bot"
)

// Parked work: a conversation the handler parked on slow work (a model's
// answer) is committed and acknowledged at once; its work runs here, apart
// from the intake's workers and the polling batch, at most ModelWorkers at
// once, so that slow questions hold up nobody else. The work is in the
// database, not only here: the sweeper takes over the work of a process
// that went away once its lease ends, and on shutdown the work under way is
// given back so that another process takes it over at once.

// parkedBacklog is how much parked work may wait in memory for a worker;
// beyond it, work waits for the sweeper (it is safe in the database).
const parkedBacklog = 4096

// dispatch hands parked work to the resumer without ever blocking.
func (c *Channel) dispatch(p bot.Parked) {
	select {
	case c.parked <- p:
	default:
		c.log.Warn("too much parked work waiting; it is taken over when its lease ends")
	}
}

// resumeLoop runs parked work until ctx is done, then gives back what it
// could not finish.
func (c *Channel) resumeLoop(ctx context.Context, h Parker) {
	sem := make(chan struct{}, c.cfg.ModelWorkers)
	var wg sync.WaitGroup
	defer func() {
		wg.Wait()
		for {
			select {
			case p := <-c.parked:
				c.giveBack(h, p)
			default:
				return
			}
		}
	}()
	run := func(p bot.Parked) bool {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			c.giveBack(h, p)
			return false
		}
		wg.Go(func() {
			defer func() { <-sem }()
			c.resume(ctx, h, p)
		})
		return true
	}
	sweep := time.NewTimer(0) // at start: what a stopped process left
	defer sweep.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case p := <-c.parked:
			if !run(p) {
				return
			}
		case <-sweep.C:
			sweep.Reset(c.cfg.ParkSweep)
			free := cap(sem) - len(sem)
			if free <= 0 {
				continue
			}
			claimed, err := h.ClaimParked(ctx, bot.ChannelTelegram, free)
			if err != nil {
				if ctx.Err() == nil {
					c.log.Warn("cannot look for parked work left behind; trying again later", "err", err)
				}
				continue
			}
			if len(claimed) > 0 {
				c.m.Parked.WithLabelValues("taken_over").Add(float64(len(claimed)))
			}
			for _, p := range claimed {
				if !run(p) {
					return
				}
			}
		}
	}
}

// resume does one parked conversation's work, showing "typing…" at its
// start (once, as for any message: Telegram shows it for a few seconds or
// until the answer; renewing it would spend the bot's request rate).
func (c *Channel) resume(ctx context.Context, h Parker, p bot.Parked) {
	start := time.Now()
	if p.Chat.Channel == bot.ChannelTelegram {
		c.typing(ctx, p.Chat.ID)
	}
	res, err := h.Resume(ctx, p)
	c.m.ParkedSeconds.Observe(time.Since(start).Seconds())
	if len(res.Replies) > 0 {
		c.notify()
	}
	switch {
	case err == nil:
		c.m.Parked.WithLabelValues("resumed").Inc()
	case ctx.Err() != nil:
		c.m.Parked.WithLabelValues("given_back").Inc() // shutting down; Resume gave it back
	default:
		c.m.Parked.WithLabelValues("failed").Inc()
		c.log.Warn("parked work failed; it is taken over when its lease ends", "err", err)
	}
}

// giveBack gives parked work this process will not do back at once.
func (c *Channel) giveBack(h Parker, p bot.Parked) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := h.ReleaseParked(ctx, p); err != nil {
		c.log.Warn("cannot give parked work back; it is taken over when its lease ends", "err", err)
		return
	}
	c.m.Parked.WithLabelValues("given_back").Inc()
}
