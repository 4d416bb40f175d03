package telegram

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/yol-project/yol/bot"
)

// handleTimeout bounds one attempt at handling an update.
const handleTimeout = 30 * time.Second

// poll is the long-polling loop. A batch of updates is handled (one chat's
// updates in order, different chats in parallel) and only when every one
// of them is committed is the next offset stored and passed to Telegram,
// which then forgets them. A crash at any point therefore loses nothing:
// Telegram delivers again what was not acknowledged, and the service skips
// what it had already recorded.
func (c *Channel) poll(ctx context.Context) {
	// One process polls at a time; the others wait for their turn (and
	// still send replies from the shared outbox).
	for attempt := 0; ; attempt++ {
		release, err := c.off.HoldPollLock(ctx, c.offName)
		if err == nil {
			defer release()
			break
		}
		if ctx.Err() != nil {
			return
		}
		c.log.Warn("cannot take the polling lock; retrying", "err", err)
		if !sleep(ctx, backoff(attempt, 500*time.Millisecond, maxBackoff)) {
			return
		}
	}
	// getUpdates does not work while a webhook is set.
	if _, err := c.api.call(ctx, "deleteWebhook", nil, callTimeout); err != nil && ctx.Err() == nil {
		c.log.Warn("deleteWebhook failed", "err", err)
	}
	var offset int64
	for attempt := 0; ; attempt++ {
		var err error
		if offset, err = c.off.PollOffset(ctx, c.offName); err == nil {
			if offset < 0 || offset > maxUpdateID+1 {
				offset = 0 // stored before ids were bounded: start from what Telegram holds
			}
			break
		}
		c.log.Warn("cannot read the polling offset; retrying", "err", err)
		if !sleep(ctx, backoff(attempt, 500*time.Millisecond, maxBackoff)) {
			return
		}
	}
	pool := newWorkers(ctx, c, c.cfg.Workers)
	defer pool.close()
	timeout := strconv.Itoa(int(c.cfg.PollTimeout / time.Second))
	failures, unusable := 0, 0
	for ctx.Err() == nil {
		params := tgbotapi.Params{"limit": "100", "timeout": timeout, "allowed_updates": allowedUpdates}
		if offset != 0 {
			params["offset"] = strconv.FormatInt(offset, 10)
		}
		raw, err := c.api.call(ctx, "getUpdates", params, c.cfg.PollTimeout+10*time.Second)
		var items []json.RawMessage
		if err == nil {
			if jerr := json.Unmarshal(raw, &items); jerr != nil {
				err = &NetError{Method: "getUpdates", Msg: "malformed answer (not a list of updates)"}
			}
		}
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			var ae *APIError
			if errors.As(err, &ae) && ae.Code == http.StatusConflict {
				c.log.Error("getUpdates conflict: another poller or a webhook is active", "err", err)
			} else {
				c.log.Warn("getUpdates failed; retrying", "err", err, "attempt", failures+1)
			}
			if !sleep(ctx, retryDelay(err, failures)) {
				return
			}
			failures++
			continue
		}
		failures = 0
		if len(items) == 0 {
			continue
		}
		ups := make([]update, 0, len(items))
		last := int64(-1)
		for _, it := range items {
			u, ok := decodeUpdate(it, c.cfg.StaffChatID)
			if !ok {
				c.log.Warn("update without a usable update_id skipped")
				continue
			}
			ups = append(ups, u)
			last = max(last, u.ID)
		}
		if last < 0 {
			// Nothing usable, and what came cannot be acknowledged: do
			// not ask again at once.
			if !sleep(ctx, backoff(unusable, 500*time.Millisecond, 5*time.Second)) {
				return
			}
			unusable++
			continue
		}
		unusable = 0
		if !pool.run(ups) {
			return // shutting down: what was not committed comes again
		}
		offset = last + 1
		if err := c.off.SetPollOffset(ctx, c.offName, offset); err != nil {
			// Harmless: the updates are committed and Telegram is told by
			// the next getUpdates; a redelivery would be skipped.
			c.log.Warn("cannot store the polling offset", "err", err)
		}
	}
}

// workers handle updates, partitioned by chat so that one chat's updates
// go through one worker, in order.
type workers struct {
	c      *Channel
	ctx    context.Context
	queues []chan job
	wg     sync.WaitGroup
}

type job struct {
	u    update
	done func(ok bool)
}

// newWorkers starts n workers, each with its own queue.
func newWorkers(ctx context.Context, c *Channel, n int) *workers {
	w := &workers{c: c, ctx: ctx, queues: make([]chan job, n)}
	for i := range w.queues {
		q := make(chan job, 128)
		w.queues[i] = q
		w.wg.Go(func() {
			for j := range q {
				j.done(c.process(ctx, j.u))
			}
		})
	}
	return w
}

// run handles a batch and reports whether every update was committed.
func (w *workers) run(ups []update) bool {
	var wg sync.WaitGroup
	var mu sync.Mutex
	all := true
	for _, u := range ups {
		wg.Add(1)
		done := func(ok bool) {
			if !ok {
				mu.Lock()
				all = false
				mu.Unlock()
			}
			wg.Done()
		}
		q := w.queues[uint64(u.In.Chat.ID)%uint64(len(w.queues))]
		select {
		case q <- job{u: u, done: done}:
		case <-w.ctx.Done():
			done(false)
		}
	}
	wg.Wait()
	return all
}

// close stops the workers once their queues are empty.
func (w *workers) close() {
	for _, q := range w.queues {
		close(q)
	}
	w.wg.Wait()
}

// process handles one update until it is committed, retrying with backoff
// while the handler fails (the database is down, say). It gives up only
// when ctx is done, leaving the update to be delivered again.
func (c *Channel) process(ctx context.Context, u update) bool {
	if !u.Handle {
		c.m.Updates.WithLabelValues(u.Kind).Inc()
		c.answerCallback(ctx, u.CallbackID)
		return true
	}
	u = c.prepare(ctx, u)
	for attempt := 0; ; attempt++ {
		if err := c.handle(ctx, u); err == nil {
			c.answerCallback(ctx, u.CallbackID)
			return true
		} else {
			lvl := c.log.Warn
			if attempt >= 10 {
				lvl = c.log.Error
			}
			lvl("handling an update failed; retrying", "update_id", u.ID, "kind", u.Kind, "attempt", attempt+1, "err", err)
		}
		if !sleep(ctx, backoff(attempt, 200*time.Millisecond, 10*time.Second)) {
			return false
		}
	}
}

// prepare does, once per update and before its handling (which may be
// retried), the costly work it needs: a voice message is transcribed,
// unless the update was handled before (a redelivery).
func (c *Channel) prepare(ctx context.Context, u update) update {
	if u.In.Kind != bot.InVoice || c.cfg.Transcribe == nil || u.In.FileID == "" {
		return u
	}
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), handleTimeout)
	defer cancel()
	if uc, ok := c.h.(UpdateChecker); ok {
		seen, err := uc.Seen(pctx, u.ID)
		if err != nil {
			// Handling decides; the transcription may be wasted.
			c.log.Warn("cannot tell whether a voice message was handled before", "err", err)
		} else if seen {
			return u // handled as a duplicate
		}
	}
	typing := time.AfterFunc(typingAfter, func() { c.typing(pctx, u.In.Chat.ID) })
	defer typing.Stop()
	u.In = c.transcribe(pctx, u.In)
	return u
}

// handle runs the handler once. The transaction is not cut short when ctx
// ends: shutdown waits for it. Slow work the handler parks goes to the
// resumer (resumeLoop), not done here.
func (c *Channel) handle(ctx context.Context, u update) error {
	hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), handleTimeout)
	defer cancel()
	start := time.Now()
	// Slow work: show "typing" meanwhile.
	typing := time.AfterFunc(typingAfter, func() { c.typing(hctx, u.In.Chat.ID) })
	var res bot.Result
	var err error
	if p, ok := c.h.(Parker); ok {
		res, err = p.Accept(hctx, u.In)
	} else {
		res, err = c.h.Handle(hctx, u.In)
	}
	typing.Stop()
	if err != nil {
		return err
	}
	c.m.HandleSeconds.Observe(time.Since(start).Seconds())
	c.m.Updates.WithLabelValues(u.Kind).Inc()
	if res.Duplicate {
		c.m.Duplicates.Inc()
	}
	if res.Parked != nil {
		c.dispatch(*res.Parked)
	}
	if len(res.Replies) > 0 {
		c.notify()
	}
	return nil
}

// typingAfter is how long handling may take before "typing" is shown.
const typingAfter = time.Second

// typing shows "typing…" in the chat. Best effort.
func (c *Channel) typing(ctx context.Context, chat int64) {
	params := tgbotapi.Params{"chat_id": strconv.FormatInt(chat, 10), "action": "typing"}
	if _, err := c.api.call(ctx, "sendChatAction", params, 5*time.Second); err != nil {
		c.log.Debug("sendChatAction failed", "err", err)
	}
}

// answerCallback stops the button's spinner. Best effort: a failure only
// leaves the spinner turning for a while.
func (c *Channel) answerCallback(ctx context.Context, id string) {
	if id == "" {
		return
	}
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if _, err := c.api.call(actx, "answerCallbackQuery", tgbotapi.Params{"callback_query_id": id}, 5*time.Second); err != nil {
		c.log.Debug("answerCallbackQuery failed", "err", err)
	}
}

// WebhookHandler receives Telegram's webhook requests. Each is checked
// (POST, the secret token in constant time, at most 1 MiB), handled in its
// transaction and only then answered 200; 500 when handling failed, so
// that Telegram delivers the update again.
func (c *Channel) WebhookHandler() http.Handler {
	secret := []byte(c.cfg.WebhookSecret)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		got := []byte(r.Header.Get("X-Telegram-Bot-Api-Secret-Token"))
		if len(secret) == 0 || subtle.ConstantTimeCompare(got, secret) != 1 {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, webhookLimit))
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				http.Error(w, "too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		u, ok := decodeUpdate(body, c.cfg.StaffChatID)
		if !ok {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		if u.Handle {
			u = c.prepare(r.Context(), u)
			if err := c.handle(r.Context(), u); err != nil {
				c.log.Warn("handling a webhook update failed", "update_id", u.ID, "kind", u.Kind, "err", err)
				http.Error(w, "try again", http.StatusInternalServerError)
				return
			}
		} else {
			c.m.Updates.WithLabelValues(u.Kind).Inc()
		}
		c.answerCallback(r.Context(), u.CallbackID)
		w.WriteHeader(http.StatusOK)
	})
}

// maxVoiceBytes bounds the voice files Yol downloads.
const maxVoiceBytes = 10 << 20

// transcribe turns a voice message into text when a transcriber is
// configured; on any failure the message stays a voice message and the
// person is asked to type. The audio is never stored.
func (c *Channel) transcribe(ctx context.Context, in bot.Inbound) bot.Inbound {
	if c.cfg.Transcribe == nil || in.FileID == "" {
		return in
	}
	audio, err := c.api.file(ctx, in.FileID, maxVoiceBytes)
	if err != nil {
		c.log.Warn("cannot download a voice message", "err", err)
		return in
	}
	text, err := c.cfg.Transcribe(ctx, bytes.NewReader(audio), in.LangHint)
	if err != nil || strings.TrimSpace(text) == "" {
		c.log.Warn("cannot transcribe a voice message", "err", err)
		return in
	}
	in.Kind, in.Text, in.FileID = bot.InText, strings.TrimSpace(text), ""
	return in
}
