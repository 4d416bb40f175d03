package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/yol-project/yol/bot/dialog"
)

// Parking: slow work (a model's answer to a free-text question) is never
// done inside a transaction. The message's transaction (Accept) saves the
// conversation waiting for the answer_free_text action's result, marks it
// parked under a lease and a token, and commits; the model is then asked
// outside any transaction (Resume), and a second short transaction saves
// the answer, unparks the conversation and handles, in order, what the
// person sent meanwhile (queued by Accept). A crash between the two loses
// nothing: the question is in the sealed state, and once the lease ends any
// process may claim the work (ClaimParked, or the chat's next message) with
// a new token, which makes a late outcome of the old worker void: the
// answer is saved once.

// DefaultParkLease is how long parked work may take before anyone may take
// it over; well above the model's timeout (15 s, retries included).
const DefaultParkLease = 2 * time.Minute

const (
	// maxParkAttempts: a question whose worker went away this many times
	// (it may be what crashes it) is answered without the model.
	maxParkAttempts = 3
	// maxDrain bounds the queued messages one transaction handles.
	maxDrain = 50
)

// SlowHelper is a FreeTextHelper that may take seconds (a model on another
// machine): the Service asks it outside any transaction.
type SlowHelper interface {
	FreeTextHelper
	Slow() bool
}

// ParkTx is what parking needs of a transaction (*postgres.DB's has it; a
// store without it never parks, and asks the helper inside the transaction).
type ParkTx interface {
	// Park marks the conversation as waiting for slow work, for lease,
	// under a new token: a first claim (Attempts 1) when it was not parked,
	// one more claim otherwise. It sets c.Park.
	Park(ctx context.Context, c *Conversation, lease time.Duration) error
	// Unpark ends the wait.
	Unpark(ctx context.Context, c *Conversation) error
	// ParkedConversation returns p's conversation, locked until the
	// transaction ends, when it is still parked under p's token; else
	// ErrNotFound (the work was done or taken over, or the person was
	// forgotten).
	ParkedConversation(ctx context.Context, p Parked) (*Conversation, error)
	// ClaimParked claims, for lease, up to limit parked conversations of ch
	// whose lease has ended, each under a new token.
	ClaimParked(ctx context.Context, ch Channel, limit int, lease time.Duration) ([]Parked, error)
	// ReleaseParked ends p's lease now, if p still holds it, so that
	// another worker may take the work over at once.
	ReleaseParked(ctx context.Context, p Parked) error
	// QueueInbound keeps a message (sealed) behind the conversation's work.
	QueueInbound(ctx context.Context, c *Conversation, in Inbound) error
	// NextQueued removes and returns the oldest queued message of the
	// conversation; ok is false when there is none.
	NextQueued(ctx context.Context, c *Conversation) (in Inbound, ok bool, err error)
}

// updateSeer is a transaction that can tell a redelivery without recording
// the update.
type updateSeer interface {
	SeenUpdate(ctx context.Context, updateID int64) (bool, error)
}

// parkLease returns how long a parked conversation's work may take before
// another worker claims it: ParkLease, or DefaultParkLease.
func (s *Service) parkLease() time.Duration {
	if s.ParkLease > 0 {
		return s.ParkLease
	}
	return DefaultParkLease
}

// slowHelper reports whether the free-text helper is slow, so that its
// work is done parked, outside the transaction.
func (s *Service) slowHelper() bool {
	h, ok := s.Helper.(SlowHelper)
	return ok && h.Slow()
}

// Accept handles one inbound message in one short transaction: the update
// is recorded (idempotent on its id), the conversation locked, moved on and
// saved with its replies. When it needs slow work, the conversation is
// saved parked and Result.Parked says so: call Resume with it (now, or
// from another goroutine; the message is committed either way). A message
// of a parked conversation is queued behind the work (Result.Queued).
// An error means nothing was stored and the message may be retried.
func (s *Service) Accept(ctx context.Context, in Inbound) (Result, error) {
	content := s.Content.Load()
	var res Result
	err := s.Store.InTx(ctx, func(tx Tx) error {
		res = Result{}
		if in.UpdateID != 0 {
			fresh, err := tx.MarkUpdate(ctx, in.UpdateID)
			if err != nil {
				return err
			}
			if !fresh {
				res.Duplicate = true
				return nil
			}
		}
		conv, err := tx.Conversation(ctx, in.Chat)
		if err != nil {
			return err
		}
		if conv.Park.Active {
			ptx, ok := tx.(ParkTx)
			if !ok {
				return errors.New("a parked conversation in a store that cannot park")
			}
			// Behind the work under way, in order.
			if err := ptx.QueueInbound(ctx, conv, in); err != nil {
				return err
			}
			res.Queued = true
			if conv.Park.Expired {
				// Whoever did the work went away: take it over.
				if err := ptx.Park(ctx, conv, s.parkLease()); err != nil {
					return err
				}
				res.Parked = &Parked{Chat: conv.Chat, Token: conv.Park.Token, Attempts: conv.Park.Attempts}
			}
			return nil
		}
		t := &turn{svc: s, ctx: ctx, tx: tx, content: content, conv: conv, in: in, now: s.now(), mayPark: true}
		if err := t.run(); err != nil {
			return err
		}
		res.Replies = t.replies
		res.Untranslated = t.untranslated
		if t.parked {
			res.Parked = &Parked{Chat: conv.Chat, Token: conv.Park.Token, Attempts: conv.Park.Attempts,
				question: t.question, lang: conv.Language, known: true}
		}
		return nil
	})
	if err != nil {
		return Result{}, fmt.Errorf("handle message: %w", err)
	}
	return res, nil
}

// errGaveUp stands for the model's answer of a question whose workers went
// away too often.
var errGaveUp = errors.New("the question's worker went away too often; answered without the model")

// Resume does the slow work of a parked conversation outside any
// transaction, then saves its outcome, unparks the conversation and
// handles the messages queued behind it, in a second short transaction
// (more, when one of those parks the conversation again). Its Result holds
// every reply produced. When ctx ends during the work nothing is saved: the
// park is released for another worker and ctx's error returned. Work that
// was done or taken over meanwhile is left alone (no error).
func (s *Service) Resume(ctx context.Context, p Parked) (Result, error) {
	var res Result
	for {
		next, err := s.resumeOnce(ctx, p, &res)
		if err != nil {
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			if rerr := s.ReleaseParked(rctx, p); rerr != nil {
				s.Log.Warn("cannot release a parked conversation; it is taken over when its lease ends", "err", rerr)
			}
			cancel()
			return res, err
		}
		if next == nil {
			return res, nil
		}
		p = *next
	}
}

// resumeOnce does p's work and saves it; next is the conversation's next
// park, if it parked again.
func (s *Service) resumeOnce(ctx context.Context, p Parked, res *Result) (next *Parked, err error) {
	content := s.Content.Load()
	question, lang := p.question, p.lang
	if !p.known {
		gone := false
		err := s.Store.InTx(ctx, func(tx Tx) error {
			conv, err := tx.(ParkTx).ParkedConversation(ctx, p)
			if errors.Is(err, ErrNotFound) {
				gone = true
				return nil
			}
			if err != nil {
				return err
			}
			question, lang = waitingQuestion(conv), conv.Language
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("resume parked conversation: %w", err)
		}
		if gone {
			return nil, nil
		}
	}
	var ans FreeTextAnswer
	var herr error
	if question != "" {
		if p.Attempts > maxParkAttempts {
			herr = errGaveUp
		} else {
			key := (&turn{conv: &Conversation{Chat: p.Chat}}).personKey()
			ans, herr = s.Helper.Answer(WithPersonKey(ctx, key), content, lang, question)
			if ctx.Err() != nil {
				return nil, fmt.Errorf("resume parked conversation: %w", ctx.Err())
			}
		}
	}
	err = s.Store.InTx(ctx, func(tx Tx) error {
		next = nil
		ptx := tx.(ParkTx)
		conv, err := ptx.ParkedConversation(ctx, p)
		if errors.Is(err, ErrNotFound) {
			return nil // done, or taken over by a newer claim
		}
		if err != nil {
			return err
		}
		if err := ptx.Unpark(ctx, conv); err != nil {
			return err
		}
		var replies []Reply
		var untranslated []string
		t := &turn{svc: s, ctx: ctx, tx: tx, content: content, conv: conv, in: Inbound{Chat: conv.Chat}, now: s.now(), mayPark: true}
		t.noteStateReset()
		if q := waitingQuestion(conv); q != "" {
			delete(t.vars(), dialog.VarFreeText)
			result, err := t.showFreeText(q, ans, herr)
			if err != nil {
				return err
			}
			t.events = content.Dialogs.Resume(&conv.Session, dialog.Input{Kind: dialog.InputActionResult, Value: result}, t.events[:0])
			if err := t.loop(); err != nil {
				return err
			}
		}
		if err := t.finish(); err != nil {
			return err
		}
		replies, untranslated = append(replies, t.replies...), append(untranslated, t.untranslated...)
		// The messages that waited, in order, until one parks again.
		for i := 0; !t.parked && !t.forgot; i++ {
			if i == maxDrain {
				// More wait: keep the conversation busy and go on in the
				// next transaction.
				if err := ptx.Park(ctx, conv, s.parkLease()); err != nil {
					return err
				}
				t.parked, t.question = true, ""
				break
			}
			in, ok, err := ptx.NextQueued(ctx, conv)
			if err != nil {
				return err
			}
			if !ok {
				break
			}
			t = &turn{svc: s, ctx: ctx, tx: tx, content: content, conv: conv, in: in, now: s.now(), mayPark: true}
			if err := t.run(); err != nil {
				return err
			}
			replies, untranslated = append(replies, t.replies...), append(untranslated, t.untranslated...)
		}
		if t.parked {
			next = &Parked{Chat: conv.Chat, Token: conv.Park.Token, Attempts: conv.Park.Attempts,
				question: t.question, lang: conv.Language, known: true}
		}
		res.Replies = append(res.Replies, replies...)
		res.Untranslated = append(res.Untranslated, untranslated...)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("resume parked conversation: %w", err)
	}
	return next, nil
}

// waitingQuestion returns the question a parked conversation waits to have
// answered: the session waits for an action's result (only answer_free_text
// parks) with the question in var free_text. "" for a conversation parked
// only to handle its queued messages.
func waitingQuestion(c *Conversation) string {
	if c.Session.Wait != dialog.WaitAction {
		return ""
	}
	return strings.TrimSpace(c.Session.Vars[dialog.VarFreeText])
}

// ClaimParked claims up to limit parked conversations of channel ch whose
// lease ended (their worker crashed or stopped), for Resume. (A parked
// conversation of another channel is also taken over by its next message.)
func (s *Service) ClaimParked(ctx context.Context, ch Channel, limit int) ([]Parked, error) {
	var out []Parked
	err := s.Store.InTx(ctx, func(tx Tx) error {
		ptx, ok := tx.(ParkTx)
		if !ok {
			return nil
		}
		var err error
		out, err = ptx.ClaimParked(ctx, ch, limit, s.parkLease())
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("claim parked conversations: %w", err)
	}
	return out, nil
}

// ReleaseParked gives p's work back (its worker is stopping) so that another
// may take it over at once.
func (s *Service) ReleaseParked(ctx context.Context, p Parked) error {
	err := s.Store.InTx(ctx, func(tx Tx) error {
		if ptx, ok := tx.(ParkTx); ok {
			return ptx.ReleaseParked(ctx, p)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("release parked conversation: %w", err)
	}
	return nil
}

// Seen reports whether an update was handled before, without recording it:
// a channel asks before costly work that must happen once per update (a
// voice message's transcription). false when the store cannot tell.
func (s *Service) Seen(ctx context.Context, updateID int64) (bool, error) {
	seen := false
	err := s.Store.InTx(ctx, func(tx Tx) error {
		if u, ok := tx.(updateSeer); ok {
			var err error
			seen, err = u.SeenUpdate(ctx, updateID)
			return err
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("seen update: %w", err)
	}
	return seen, nil
}
