package bot

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/yol-project/yol/bot/dialog"
	"github.com/yol-project/yol/bot/org"
)

// maxActionsPerInput bounds the actions one message may run, against
// content that chains actions without end.
const maxActionsPerInput = 20

// Service handles people's messages: one database transaction per message,
// in which the update is recorded, the conversation locked, loaded, moved on
// by the dialog engine and the actions, and saved with its transcript,
// analytics events and replies. Slow work (a model's answer) is never done
// inside a transaction: the conversation is parked and the work finished in
// a second one (park.go).
type Service struct {
	Store   Store
	Content *ContentHolder
	Log     *slog.Logger
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Retention is how long message text is kept (shown in the privacy
	// notice); 90 days when zero.
	Retention time.Duration
	// NewCode draws a referral code (NewReferralCode when nil; tests make
	// it deterministic).
	NewCode func() string
	// Helper answers free text (retrieval, optionally a model); nil: a
	// polite "I did not understand" with the menu.
	Helper FreeTextHelper
	// OnContentError is told about content faults met in conversations.
	OnContentError func(dialog, node, err string)
	// OnStateReset is told when a conversation's saved state could not be
	// read and it started over (Conversation.StateReset is the reason).
	OnStateReset func(reason string)
	// OnReferral is called after a referral is created (to notify staff);
	// it runs inside the transaction and must only enqueue work.
	OnReferral func(ctx context.Context, tx Tx, r *Referral) error
	// ParkLease is how long a parked conversation's work may take before
	// anyone may take it over (DefaultParkLease when zero); see Accept.
	ParkLease time.Duration
}

// FreeTextHelper answers a question typed in the person's own words.
type FreeTextHelper interface {
	Answer(ctx context.Context, c *Content, lang, question string) (FreeTextAnswer, error)
}

// FreeTextAnswer is what the helper found.
type FreeTextAnswer struct {
	Text     string   // the answer to show, already in the person's language ("" when none)
	Articles []string // article ids to offer as buttons, best first
	Intent   string   // a journey to open (a command name such as "documents"), or ""
	Found    bool     // false: nothing matched well; offer a person
}

// Result is what handling one message produced.
type Result struct {
	Replies   []Reply
	Duplicate bool // the update had been handled before; nothing was done
	// Untranslated lists the message IDs the replies needed that the
	// person's language lacks (shown in the source language instead).
	Untranslated []string
	// Parked is set by Accept when the conversation now waits for slow
	// work: call Resume with it.
	Parked *Parked
	// Queued: the conversation was busy with slow work; the message is
	// stored and will be handled, in order, when the work is done.
	Queued bool
}

// retentionDays returns how many days transcripts are kept: Retention in
// whole days, 90 by default.
func (s *Service) retentionDays() int {
	if s.Retention <= 0 {
		return 90
	}
	return int(s.Retention.Hours() / 24)
}

// now returns the time, from Service.Now when it is set.
func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Handle handles one inbound message and returns every reply it produced.
// Replies of Telegram conversations go to the outbox in the transaction
// that produced them; every channel also gets them back in the Result (the
// simulator and the terminal show them directly). Slow work (a model's
// answer) is done between two transactions, never inside one (see Accept
// and Resume); Handle waits for it.
// An error means nothing was stored and the message may be retried.
func (s *Service) Handle(ctx context.Context, in Inbound) (Result, error) {
	res, err := s.Accept(ctx, in)
	if err != nil || res.Parked == nil {
		return res, err
	}
	p := *res.Parked
	res.Parked = nil
	more, err := s.Resume(ctx, p)
	res.Replies = append(res.Replies, more.Replies...)
	res.Untranslated = append(res.Untranslated, more.Untranslated...)
	if err != nil {
		// The message itself is stored: its answer waits, parked, for the
		// next message of the chat (or the Telegram channel's sweeper).
		s.Log.Warn("answering a parked question failed; it is answered later", "err", err)
	}
	return res, nil
}

// turn is the handling of one message.
type turn struct {
	svc     *Service
	ctx     context.Context
	tx      Tx
	content *Content
	conv    *Conversation
	in      Inbound
	now     time.Time

	events  []dialog.Event
	pending []string // texts of says not yet sent, joined into the next reply
	replies []Reply
	forgot  bool
	protect bool // the pending texts are sensitive (protect.go)

	// mayPark lets a slow action stop the turn, to be finished outside
	// this transaction (parked); question is the parked question.
	mayPark  bool
	parked   bool
	question string

	untranslated []string // message IDs the person's language lacks

	orgs []org.Organisation // who may read a case, read once (organisations)
}

// lang returns the conversation's language.
func (t *turn) lang() string { return t.conv.Language }

// run handles the turn's inbound message: it records a block or unblock,
// or moves the dialog on with the input, and then finishes the turn.
func (t *turn) run() error {
	c := t.conv
	in := t.in
	t.noteStateReset()
	if in.Kind == InCommand && in.Command == "start" {
		if err := t.attribute(in.Payload); err != nil {
			return err
		}
	}
	if c.New {
		c.Language = t.content.Texts.Match(in.LangHint)
		if err := t.event("started", nil); err != nil {
			return err
		}
	}
	c.ContentVersion = t.content.Version
	switch in.Kind {
	case InBlocked:
		c.BlockedAt = t.now
		return t.tx.SaveConversation(t.ctx, c)
	case InUnblocked:
		c.BlockedAt = time.Time{}
		return t.tx.SaveConversation(t.ctx, c)
	}
	c.BlockedAt = time.Time{}
	if err := t.keepInbound(); err != nil {
		return err
	}
	if in.Kind == InButton {
		if handled, err := t.phoneButton(in.Data); handled || err != nil {
			if err != nil {
				return err
			}
			return t.finish()
		}
	}

	if in.Kind == InButton && strings.HasPrefix(in.Data, HandoverButton) {
		if err := t.record(DirIn, string(in.Kind), t.transcriptOfInput()); err != nil {
			return err
		}
		if err := t.answerHandover(strings.TrimPrefix(in.Data, HandoverButton)); err != nil {
			return err
		}
		return t.finish()
	}
	input, ok := t.input()
	if ok {
		if err := t.record(DirIn, string(in.Kind), t.transcriptOfInput()); err != nil {
			return err
		}
		if err := t.drive(input); err != nil {
			return err
		}
	}
	return t.finish()
}

// finish sends what is pending, records the replies, puts them in the
// outbox and saves the conversation (parked, when an action parked it).
func (t *turn) finish() error {
	c := t.conv
	t.flush(nil)
	if t.forgot {
		// Nothing about the person remains; only the goodbye goes out.
		return t.tx.Enqueue(t.ctx, t.conv, t.replies)
	}
	for _, r := range t.replies {
		if err := t.record(DirOut, "text", replyTranscript(r)); err != nil {
			return err
		}
	}
	if len(t.replies) > 0 {
		if err := t.tx.Enqueue(t.ctx, c, t.replies); err != nil {
			return err
		}
	}
	if err := t.tx.SaveConversation(t.ctx, c); err != nil {
		return err
	}
	if t.parked {
		return t.tx.(ParkTx).Park(t.ctx, c, t.svc.parkLease())
	}
	return nil
}

// input converts the inbound message into the engine's input. Messages the
// engine has no use for are answered here (ok false).
func (t *turn) input() (dialog.Input, bool) {
	in := t.in
	if t.conv.New && (in.Kind != InCommand || in.Command != "start") {
		// A first message that is not /start still begins at the beginning.
		return dialog.Input{Kind: dialog.InputStart}, true
	}
	switch in.Kind {
	case InCommand:
		if in.Command == "start" {
			return dialog.Input{Kind: dialog.InputStart, Payload: in.Payload}, true
		}
		return dialog.Input{Kind: dialog.InputCommand, Value: in.Command}, true
	case InText:
		return dialog.Input{Kind: dialog.InputText, Text: in.Text}, true
	case InButton:
		if in.Data == UnsubscribeButton {
			// The button under an update does what /stop does.
			return dialog.Input{Kind: dialog.InputCommand, Value: "stop"}, true
		}
		if strings.HasPrefix(in.Data, "!") {
			t.serviceButton(in.Data[1:])
			return dialog.Input{}, false
		}
		return dialog.Input{Kind: dialog.InputButton, Value: in.Data}, true
	case InLocation:
		return dialog.Input{Kind: dialog.InputLocation, Lat: in.Lat, Lng: in.Lng}, true
	case InContact:
		return dialog.Input{Kind: dialog.InputContact, Phone: in.Phone}, true
	case InVoice:
		t.say("common.voice_hint", nil)
	default:
		t.say("common.unsupported_hint", nil)
	}
	return dialog.Input{}, false
}

// drive runs the engine on one input and every action it asks for.
func (t *turn) drive(input dialog.Input) error {
	t.events = t.content.Dialogs.Resume(&t.conv.Session, input, t.events[:0])
	return t.loop()
}

// loop applies the engine's events and runs the actions they ask for,
// until the engine waits for the person, the person is forgotten, or an
// action parks the conversation.
func (t *turn) loop() error {
	set := t.content.Dialogs
	sess := &t.conv.Session
	for actions := 0; ; actions++ {
		action, err := t.apply(t.events)
		if err != nil {
			return err
		}
		if action == nil || t.forgot {
			return nil
		}
		result := "error"
		if actions >= maxActionsPerInput {
			t.contentError(action.Dialog, action.Node, fmt.Sprintf("more than %d actions for one message", maxActionsPerInput))
			result = "too_many"
		} else {
			result, err = t.runAction(action)
			if err != nil {
				return err
			}
		}
		if t.forgot || t.parked {
			return nil
		}
		t.events = set.Resume(sess, dialog.Input{Kind: dialog.InputActionResult, Value: result}, t.events[:0])
	}
}

// apply turns events into replies and records; it returns the pending
// action, if the events end with one.
func (t *turn) apply(events []dialog.Event) (*dialog.Event, error) {
	for i := range events {
		e := &events[i]
		switch e.Type {
		case dialog.EventSay:
			t.say(e.MessageID, e.Data)
		case dialog.EventAsk:
			t.ask(e)
		case dialog.EventAction:
			return e, nil
		case dialog.EventContentError:
			t.contentError(e.Dialog, e.Node, e.Err)
		}
	}
	return nil, nil
}

// noteStateReset logs and counts a conversation whose saved state could
// not be read (it starts over from the menu); the conversation's id only.
func (t *turn) noteStateReset() {
	if t.conv.StateReset == "" {
		return
	}
	t.svc.Log.Warn("saved conversation state could not be read; the conversation starts over",
		"conversation", t.conv.ID, "reason", t.conv.StateReset)
	if t.svc.OnStateReset != nil {
		t.svc.OnStateReset(t.conv.StateReset)
	}
}

// contentError logs a fault in the content (never the person's words) and
// reports it to Service.OnContentError.
func (t *turn) contentError(dlg, node, msg string) {
	// Content names only: never the person's words.
	t.svc.Log.Warn("content error", "dialog", dlg, "node", node, "problem", msg)
	if t.svc.OnContentError != nil {
		t.svc.OnContentError(dlg, node, msg)
	}
}

// record adds a transcript line when the person consented to keep one.
func (t *turn) record(dir Direction, kind, text string) error {
	if !t.conv.Consented() || text == "" || t.conv.ID == 0 {
		return nil
	}
	return t.tx.AddMessage(t.ctx, t.conv, dir, kind, text)
}

// event records an analytics event for the conversation.
func (t *turn) event(name string, props map[string]string) error {
	return t.tx.AddEvent(t.ctx, t.conv, name, props)
}

// transcriptOfInput returns the inbound message as the transcript shows
// it: its text or command, or a placeholder for a button, location or
// contact.
func (t *turn) transcriptOfInput() string {
	in := t.in
	switch in.Kind {
	case InText:
		return in.Text
	case InCommand:
		return "/" + in.Command
	case InButton:
		return "[" + in.Data + "]"
	case InLocation:
		return "[location]"
	case InContact:
		return "[contact]"
	}
	return "[" + string(in.Kind) + "]"
}

// replyTranscript returns a reply as the transcript shows it: its text, or
// its map pin's title.
func replyTranscript(r Reply) string {
	if r.Text != "" {
		return r.Text
	}
	if r.Pin != nil {
		return "[map: " + r.Pin.Title + "]"
	}
	return ""
}
