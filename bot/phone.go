package bot

// What the person's phone shows (issue #17): the chat's messages are
// deleted from Telegram on /forget, on "clear this chat" and on Hide, as
// far as Telegram allows (a bot deletes both sides of a private chat for
// 48 hours); notices Yol sends unasked are discreet (notice.go).

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/yol-project/yol/bot/dialog"
)

// DeleteWindow is how long a bot may delete the messages of a private
// Telegram chat, both sides; older ids are of no use and are pruned.
const DeleteWindow = 48 * time.Hour

// PhoneTx is what the phone's safety needs of a transaction (the
// PostgreSQL store has it; a store without it keeps nothing and deletes
// nothing).
type PhoneTx interface {
	// KeepChatMessage keeps, sealed, the channel id of one of the chat's
	// messages, to delete it later.
	KeepChatMessage(ctx context.Context, c *Conversation, messageID int64) error
	// ChatMessages returns the ids kept of the last DeleteWindow, oldest first.
	ChatMessages(ctx context.Context, c *Conversation) ([]int64, error)
	// DropChatMessages forgets every id kept (they are being deleted).
	DropChatMessages(ctx context.Context, c *Conversation) error
	// SetDiscreet turns discreet notices on or off for the conversation.
	SetDiscreet(ctx context.Context, c *Conversation, on bool) error
	// TakeNotice returns the details of a discreet notice and forgets
	// them; ErrNotFound when they were shown already, or are gone.
	TakeNotice(ctx context.Context, c *Conversation, id int64) (Reply, error)
}

// The buttons the Service puts on its own messages ("!" + kind).
const (
	buttonHide = "!hide"
	buttonMenu = "!menu"  // the menu, whatever the dialog waits for
	buttonShow = "!show:" // + the held notice's id
)

// varDiscreet holds "off" when the person turned discreet notices off;
// the store keeps the same in the conversation for notices sent unasked.
const varDiscreet = "discreet_notices"

// ShowNoticeButton is the callback data of the "show" button of discreet
// notice id.
func ShowNoticeButton(id int64) string { return buttonShow + strconv.FormatInt(id, 10) }

// phoneMessageIDs are the texts of the phone's safety the Service renders
// itself (ServiceMessageIDs).
var phoneMessageIDs = []string{
	"phone.hide", "phone.hidden", "phone.forget_deleted", "phone.forget_older", "phone.clear_yourself",
	"phone.cleared", "phone.notice_gone", "phone.notice_teaser", "phone.notice_show",
}

// phone returns the transaction's PhoneTx, or nil.
func (t *turn) phone() PhoneTx {
	p, _ := t.tx.(PhoneTx)
	return p
}

// keepInbound keeps the id of the person's message, to delete it later.
func (t *turn) keepInbound() error {
	p := t.phone()
	if p == nil || t.in.MessageID == 0 || t.conv.ID == 0 {
		return nil
	}
	return p.KeepChatMessage(t.ctx, t.conv, t.in.MessageID)
}

// deletable returns the ids of the chat's messages a bot may still
// delete, and forgets them.
func (t *turn) deletable() ([]int64, error) {
	p := t.phone()
	if p == nil || t.conv.ID == 0 {
		return nil, nil
	}
	ids, err := p.ChatMessages(t.ctx, t.conv)
	if err != nil {
		return nil, err
	}
	return ids, p.DropChatMessages(t.ctx, t.conv)
}

// forgetChat adds to the goodbye of /forget what was deleted from the
// chat, what could not be, and how the person clears the rest; ids are
// the messages deleted.
func (t *turn) forgetChat(ids []int64, since time.Time) {
	if len(ids) > 0 {
		t.say("phone.forget_deleted", nil)
	}
	if !since.IsZero() && t.now.Sub(since) > DeleteWindow {
		t.say("phone.forget_older", nil)
	}
	t.say("phone.clear_yourself", nil)
	t.flush(&Reply{Delete: ids, ClearChat: true})
}

// hide replaces the screen by a neutral message and deletes the chat's
// last messages (every one a bot may still delete).
func (t *turn) hide() error {
	ids, err := t.deletable()
	if err != nil {
		return err
	}
	t.pending = t.pending[:0]
	t.replies = t.replies[:0]
	t.say("phone.hidden", nil)
	t.flush(&Reply{Delete: ids, ClearChat: true, Buttons: [][]Button{{{Label: t.text("common.menu", nil), Data: buttonMenu}}}})
	return t.event("hidden", nil)
}

// actClearChat deletes the chat's messages from the phone, as far as the
// channel allows, and says so. Its result is "ok".
func (t *turn) actClearChat(e *dialog.Event) (string, error) {
	ids, err := t.deletable()
	if err != nil {
		return "", err
	}
	t.pending = t.pending[:0]
	t.replies = t.replies[:0]
	if len(ids) > 0 {
		t.say("phone.cleared", nil)
	}
	if !t.conv.CreatedAt.IsZero() && t.now.Sub(t.conv.CreatedAt) > DeleteWindow {
		t.say("phone.forget_older", nil)
	}
	t.say("phone.clear_yourself", nil)
	t.flush(&Reply{Delete: ids, ClearChat: true})
	return "ok", nil
}

// actDiscreet turns discreet notices on or off by parameter value ("on",
// "off"); without one it only reports the setting. Its result is "on" or
// "off".
func (t *turn) actDiscreet(e *dialog.Event) (string, error) {
	switch v := t.param(e, "value"); v {
	case "on", "off":
		if v == "on" {
			delete(t.vars(), varDiscreet)
		} else {
			t.vars()[varDiscreet] = "off"
		}
		if p := t.phone(); p != nil && t.conv.ID != 0 {
			if err := p.SetDiscreet(t.ctx, t.conv, v == "on"); err != nil {
				return "", err
			}
		}
	}
	if t.vars()[varDiscreet] == "off" {
		return "off", nil
	}
	return "on", nil
}

// showNotice shows the details of a discreet notice, by the id after
// buttonShow; a notice shown already or gone is said so.
func (t *turn) showNotice(arg string) error {
	id, err := strconv.ParseInt(arg, 10, 64)
	p := t.phone()
	if err != nil || p == nil || t.conv.ID == 0 {
		t.say("phone.notice_gone", nil)
		return nil
	}
	r, err := p.TakeNotice(t.ctx, t.conv, id)
	if isNotFound(err) {
		t.say("phone.notice_gone", nil)
		return nil
	}
	if err != nil {
		return err
	}
	r.Teaser, r.Protect = nil, true
	t.addReply(r)
	return nil
}

// phoneButton handles the Service's own buttons of the phone's safety;
// false when data is not one of them.
func (t *turn) phoneButton(data string) (bool, error) {
	switch {
	case data == buttonHide:
		return true, t.hide()
	case data == buttonMenu:
		return true, t.drive(dialog.Input{Kind: dialog.InputCommand, Value: "menu"})
	case strings.HasPrefix(data, buttonShow):
		return true, t.showNotice(strings.TrimPrefix(data, buttonShow))
	}
	return false, nil
}

// hideRow is the row of the Hide button put under every sensitive screen.
func (t *turn) hideRow() []Button {
	return []Button{{Label: t.text("phone.hide", nil), Data: buttonHide}}
}
