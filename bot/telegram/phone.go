package telegram

// The phone's safety on Telegram (issue #17): the ids of the messages the
// bot sends are kept with the conversation, so that /forget, "clear this
// chat" and Hide can delete them (deleteMessages) within the 48 hours a
// bot may.

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
)

// SentKeeper keeps the ids of the bot's messages of a conversation
// (*postgres.DB); an Outbox without it keeps none.
type SentKeeper interface {
	KeepSentMessages(ctx context.Context, conversationID int64, ids []int64) error
}

// keep notes the message id of a successful send's answer, if it has one.
func (o *outgoing) keep(result json.RawMessage) {
	var m struct {
		MessageID int64 `json:"message_id"`
	}
	if json.Unmarshal(result, &m) == nil && m.MessageID != 0 {
		o.sentIDs = append(o.sentIDs, m.MessageID)
	}
}

// keepSent stores the ids of the messages a reply was sent as; a failure
// is logged (those messages cannot be deleted later), never retried as a
// send.
func (c *Channel) keepSent(ctx context.Context, o *outgoing) {
	k, ok := c.ob.(SentKeeper)
	if !ok || o.conv == 0 || len(o.sentIDs) == 0 {
		return
	}
	if err := c.persist(ctx, func(ctx context.Context) error { return k.KeepSentMessages(ctx, o.conv, o.sentIDs) }); err != nil {
		c.log.Warn("cannot keep the ids of sent messages; they cannot be deleted later", "outbox_id", o.id, "err", err)
	}
}

// deletionRefused reports whether err is Telegram refusing a
// deleteMessages call for its messages (gone already, too old to delete):
// nothing to retry, the reply's text still goes.
func deletionRefused(method string, err error) bool {
	var ae *APIError
	return method == "deleteMessages" && errors.As(err, &ae) && ae.Code == http.StatusBadRequest
}
