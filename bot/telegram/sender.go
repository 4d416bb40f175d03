package telegram

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"sync"
	"sync/atomic"
	"time"

	"github.com/yol-project/yol/bot"
)

// outgoing is one claimed outbox row.
type outgoing struct {
	id, conv, chat int64
	reply          bot.Reply
	attempts       int
	partsSent      int
	failures       int       // failed attempts that may be the reply's own fault
	firstFailed    time.Time // the first of them (zero: none yet)
	bulk           bool      // an update or a reminder: sent with what replies leave
	reqs           []request
	sentIDs        []int64 // Telegram's ids of the messages sent (phone.go)
}

// sendLoop drains the outbox until ctx is done, then waits for the sends
// under way. Delivery is at least once: a crash between Telegram's answer
// and the UPDATE that marks the row sent makes the row come back when its
// lease ends (replyLease), and that one message goes out twice. Nothing
// else is ever sent twice, and nothing is lost.
func (c *Channel) sendLoop(ctx context.Context) {
	var inflight atomic.Int64
	var wg sync.WaitGroup
	c.marks = newMarker(c.ob, c.cfg.ChatInterval)
	defer c.marks.stop() // after every send has recorded its outcome
	defer wg.Wait()
	step := time.Duration(float64(time.Second) / c.cfg.SendRate)
	failures := 0
	for ctx.Err() == nil {
		free := c.sendConcurrency() - int(inflight.Load())
		if free <= 0 {
			c.idle(ctx, 20*time.Millisecond)
			continue
		}
		var batch []*outgoing
		err := c.ob.ClaimReplies(ctx, free, replyLease, func(r bot.Outgoing) {
			o := &outgoing{id: r.ID, conv: r.ConversationID, chat: r.ChatID, reply: r.Reply, attempts: r.Attempts,
				partsSent: r.PartsSent, failures: r.Failures}
			if r.Failures > 0 {
				o.firstFailed = time.Now().Add(-r.FailingFor)
			}
			batch = append(batch, o)
		})
		if err == nil && len(batch) < free {
			err = c.claimBulk(ctx, min(free-len(batch), c.bulkBatch()), func(o *outgoing) { batch = append(batch, o) })
		}
		if err != nil {
			// Rows already handed over are leased to this sender: send them
			// (or give them back on shutdown) rather than let them wait out
			// their lease, holding up their chats' next replies.
			if ctx.Err() != nil {
				for _, o := range batch {
					wg.Go(func() { c.release(ctx, o, "interrupted by shutdown") })
				}
				return
			}
			c.log.Warn("cannot claim replies; retrying", "err", err)
			if len(batch) == 0 {
				sleep(ctx, backoff(failures, 200*time.Millisecond, 10*time.Second))
				failures++
				continue
			}
		} else {
			failures = 0
		}
		if len(batch) == 0 {
			c.idle(ctx, c.cfg.SendPoll)
			continue
		}
		total := 0
		for _, o := range batch {
			o.reqs = render(o.chat, o.reply, c.log.Warn)
			if o.bulk && c.cfg.PaidBroadcast && c.cfg.SendRate > freeBroadcastRate {
				for _, r := range o.reqs {
					r.Params["allow_paid_broadcast"] = "true"
				}
			}
			total += max(len(o.reqs)-o.partsSent, 0)
		}
		wait := time.Duration(0)
		if total > 0 {
			wait, err = c.ob.ReserveSendSlots(ctx, total, step)
			if err != nil {
				c.log.Warn("cannot reserve send slots; retrying", "err", err)
				for _, o := range batch {
					wg.Go(func() { c.release(ctx, o, "rate table unavailable") })
				}
				sleep(ctx, time.Second)
				continue
			}
		}
		at := time.Now().Add(wait)
		for _, o := range batch {
			start := at
			at = at.Add(step * time.Duration(max(len(o.reqs)-o.partsSent, 0)))
			inflight.Add(1)
			wg.Go(func() {
				defer inflight.Add(-1)
				c.send(ctx, o, start, step)
			})
		}
		if len(batch) < free {
			// The outbox is drained for now: gather a few more rows before
			// the next claim rather than claiming them one by one.
			sleep(ctx, minClaimGap)
		}
	}
}

// minClaimGap spaces claims that found fewer rows than they could take.
const minClaimGap = 5 * time.Millisecond

// idle waits for d, a wake-up from the intake, or the end.
func (c *Channel) idle(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-c.wake:
	case <-ctx.Done():
	}
}

// send sends one row's remaining parts from its slot on and records the
// outcome. A send under way is finished on shutdown; waiting for a slot is not.
func (c *Channel) send(ctx context.Context, o *outgoing, slot time.Time, step time.Duration) {
	dctx := context.WithoutCancel(ctx)
	for i := o.partsSent; i < len(o.reqs); i++ {
		if i > o.partsSent {
			slot = maxTime(slot.Add(step), time.Now().Add(c.cfg.ChatInterval))
		}
		// Wait for the slot, and for any 429 pause that began meanwhile.
		for {
			due := maxTime(slot, c.paused())
			wait := time.Until(due)
			if wait <= 0 {
				break
			}
			if wait > replyLease/2 {
				// A long pause (a big retry_after): give the row back until
				// then rather than outlive its lease.
				if err := c.persist(ctx, func(ctx context.Context) error {
					return c.ob.RetryReply(ctx, o.id, o.partsSent, due, "waiting for Telegram's rate limit")
				}); err != nil {
					c.log.Warn("cannot reschedule a reply", "outbox_id", o.id, "err", err)
				}
				c.m.Replies.WithLabelValues("rate_limited").Inc()
				return
			}
			if !sleep(ctx, wait) {
				c.release(dctx, o, "interrupted by shutdown")
				return
			}
		}
		sctx, cancel := context.WithTimeout(dctx, callTimeout)
		start := time.Now()
		res, err := c.api.call(sctx, o.reqs[i].Method, o.reqs[i].Params, callTimeout)
		cancel()
		c.m.SendSeconds.Observe(time.Since(start).Seconds())
		if err != nil && !deletionRefused(o.reqs[i].Method, err) {
			c.sendFailed(dctx, o, err)
			return
		}
		if err == nil {
			o.keep(res)
		}
		o.partsSent = i + 1
	}
	// The ids are kept before the row is marked sent, so that a /forget
	// that follows the mark finds every message to delete.
	c.keepSent(ctx, o)
	err := c.persist(ctx, func(ctx context.Context) error {
		return c.marks.mark(ctx, o.id, o.partsSent)
	})
	if err != nil {
		// The row comes back after its lease: the documented duplicate.
		c.log.Error("reply sent but not marked; it may be sent again", "outbox_id", o.id, "err", err)
	}
	c.m.Replies.WithLabelValues("sent").Inc()
}

// sendFailed files a failed send by its kind.
func (c *Channel) sendFailed(ctx context.Context, o *outgoing, err error) {
	var ae *APIError
	var dbErr error
	result := "retry"
	switch {
	case errors.As(err, &ae) && ae.Code == http.StatusTooManyRequests:
		d := retryAfter(ae)
		result = "rate_limited"
		c.pause(d)
		if perr := c.ob.PauseSends(ctx, d); perr != nil {
			c.log.Warn("cannot pause the global send rate", "err", perr)
		}
		at := time.Now().Add(d)
		dbErr = c.persist(ctx, func(ctx context.Context) error {
			return c.ob.RetryReply(ctx, o.id, o.partsSent, at, fmt.Sprintf("429 retry after %ds", int(d/time.Second)))
		})
		c.log.Warn("Telegram rate limit; pausing sends", "retry_after_s", int(d/time.Second))
	case errors.As(err, &ae) && ae.Code == http.StatusForbidden:
		result = "blocked"
		dbErr = c.persist(ctx, func(ctx context.Context) error {
			return c.ob.FailReply(ctx, o.id, o.conv, "403 "+reason(ae.Description), true)
		})
	case errors.As(err, &ae) && ae.Code >= 400 && ae.Code < 500:
		result = "failed"
		why := fmt.Sprintf("%d %s", ae.Code, reason(ae.Description))
		dbErr = c.persist(ctx, func(ctx context.Context) error { return c.ob.FailReply(ctx, o.id, o.conv, why, false) })
		c.log.Warn("Telegram refused a reply; kept as failed for staff", "outbox_id", o.id, "code", ae.Code)
	default:
		// 5xx, network, timeouts, malformed answers: try again later; a
		// reply that keeps failing while Telegram answers everything else
		// is moved aside, so that its chat's next replies go.
		why := errorReason(err)
		if c.giveUp(ctx, o) {
			result = "dead_letter"
			dbErr = c.persist(ctx, func(ctx context.Context) error { return c.ob.DeadLetter(ctx, o.id, o.partsSent, why) })
			c.log.Warn("a reply Telegram keeps refusing was moved to the dead letters; the chat's next replies go",
				"outbox_id", o.id, "failures", o.failures+1, "reason", why)
			break
		}
		at := time.Now().Add(backoff(o.attempts, time.Second, 10*time.Minute))
		dbErr = c.persist(ctx, func(ctx context.Context) error { return c.ob.RetryFailedReply(ctx, o.id, o.partsSent, at, why) })
	}
	c.m.Replies.WithLabelValues(result).Inc()
	if dbErr != nil {
		c.log.Error("cannot record a send's outcome; the row comes back after its lease", "outbox_id", o.id, "err", dbErr)
	}
}

// giveUp reports whether a reply that has just failed again becomes a dead
// letter: it failed GiveUpAfter's n times, or for its d, and Telegram
// answered other calls since its first failure (asked with getMe when
// nothing else told), so that the fault is the reply's. In an outage,
// when Telegram answers nothing, no reply is given up.
func (c *Channel) giveUp(ctx context.Context, o *outgoing) bool {
	n, d := c.ob.GiveUpAfter()
	first := o.firstFailed
	if first.IsZero() {
		first = time.Now()
	}
	if o.failures+1 < n && time.Since(first) < d {
		return false
	}
	if !c.api.answeredSince(first) {
		pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		if _, err := c.api.call(pctx, "getMe", nil, 5*time.Second); err != nil {
			c.log.Debug("getMe failed", "err", err)
		}
		cancel()
	}
	return c.api.answeredSince(first)
}

// persist records a send's outcome, retrying while the database is away
// (a restart, say) for up to half a lease — so that a sent reply is not
// sent again after its lease — or a few seconds once ctx is done.
func (c *Channel) persist(ctx context.Context, f func(context.Context) error) error {
	deadline := time.Now().Add(replyLease / 2)
	for attempt := 0; ; attempt++ {
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		err := f(actx)
		cancel()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil && attempt > 0 || time.Now().After(deadline) {
			return err
		}
		if ctx.Err() != nil {
			time.Sleep(2 * time.Second)
			continue
		}
		c.log.Warn("cannot record a send; retrying", "attempt", attempt+1, "err", err)
		sleep(ctx, backoff(attempt, 200*time.Millisecond, 5*time.Second))
	}
}

// release hands a claimed row back at once. While the database is away it
// keeps trying (persist), so that the row does not wait out its lease.
func (c *Channel) release(ctx context.Context, o *outgoing, why string) {
	err := c.persist(ctx, func(ctx context.Context) error {
		return c.ob.RetryReply(ctx, o.id, o.partsSent, time.Now(), why)
	})
	if err != nil {
		c.log.Warn("cannot release a reply; it comes back after its lease", "outbox_id", o.id, "err", err)
	}
}

// pause holds all sends for d, or longer when already paused longer.
func (c *Channel) pause(d time.Duration) {
	c.pauseMu.Lock()
	defer c.pauseMu.Unlock()
	c.pausedUntil = maxTime(c.pausedUntil, time.Now().Add(d))
}

// paused returns the time until which sends are held.
func (c *Channel) paused() time.Time {
	c.pauseMu.Lock()
	defer c.pauseMu.Unlock()
	return c.pausedUntil
}

// maxTime returns the later of a and b.
func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// quoted matches quoted fragments in Telegram's descriptions, which may
// echo a piece of the message (an unknown tag, say).
var quoted = regexp.MustCompile(`"[^"]*"|'[^']*'`)

// reason keeps Telegram's description for staff without any piece of the
// message it may quote.
func reason(desc string) string {
	desc = quoted.ReplaceAllString(desc, `"…"`)
	return limitRunes(desc, 200)
}

// errorReason returns a short reason for a failed send, for staff: the
// Telegram error code and description without quoted message text.
func errorReason(err error) string {
	var ae *APIError
	if errors.As(err, &ae) {
		return fmt.Sprintf("%d %s", ae.Code, reason(ae.Description))
	}
	return limitRunes(err.Error(), 200)
}

// sendConcurrency is how many sends may be under way at once: sends mostly
// wait (for Telegram, for their slot), so more than the intake's workers.
func (c *Channel) sendConcurrency() int { return max(4*c.cfg.Workers, 32) }

// marker records successful sends in batches: the sends that finish within
// a few milliseconds of each other share one statement and one commit.
type marker struct {
	ob   Outbox
	pace time.Duration
	reqs chan markReq
	done chan struct{}
}

type markReq struct {
	id, parts int64
	err       chan error
}

// markWindow is how long the marker gathers sends into one statement.
const markWindow = 2 * time.Millisecond

// newMarker returns a marker for ob and starts its loop.
func newMarker(ob Outbox, pace time.Duration) *marker {
	m := &marker{ob: ob, pace: pace, reqs: make(chan markReq), done: make(chan struct{})}
	go m.loop()
	return m
}

// mark records one send and returns when it is stored (or failed).
func (m *marker) mark(ctx context.Context, id int64, parts int) error {
	r := markReq{id: id, parts: int64(parts), err: make(chan error, 1)}
	select {
	case m.reqs <- r:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-r.err:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// loop records sends in batches: it gathers requests for markWindow (at
// most 256), marks them in one statement and answers each.
func (m *marker) loop() {
	defer close(m.done)
	for first := range m.reqs {
		batch := []markReq{first}
		window := time.NewTimer(markWindow)
	gather:
		for len(batch) < 256 {
			select {
			case r, ok := <-m.reqs:
				if !ok {
					break gather
				}
				batch = append(batch, r)
			case <-window.C:
				break gather
			}
		}
		window.Stop()
		ids := make([]int64, len(batch))
		parts := make([]int, len(batch))
		for i, r := range batch {
			ids[i], parts[i] = r.id, int(r.parts)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := m.ob.MarkRepliesSent(ctx, ids, parts, m.pace)
		cancel()
		for _, r := range batch {
			r.err <- err
		}
	}
}

// stop ends the marker once no send is left to record.
func (m *marker) stop() {
	close(m.reqs)
	<-m.done
}
