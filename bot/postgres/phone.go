package postgres

// The phone's safety (migration 0014, issue #17): the Telegram message ids
// of a conversation, sealed, to delete them from the chat; the discreet
// notices setting; the details of discreet notices until the person taps
// "show".

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/staff"
)

// Associated data of the phone's sealed columns.
const (
	aadChatMessage = "chat_messages.message"
	aadHeldNotice  = "held_notices.payload"
)

// KeepChatMessage implements bot.PhoneTx.
func (t *tx) KeepChatMessage(ctx context.Context, c *bot.Conversation, messageID int64) error {
	t.queue("INSERT INTO chat_messages (conversation_id, message_enc) VALUES ($1, $2)",
		c.ID, t.db.Keys.SealString(strconv.FormatInt(messageID, 10), aadChatMessage))
	return nil
}

// KeepSentMessages keeps the ids Telegram gave the bot's messages of a
// conversation (none when it was forgotten meanwhile).
func (db *DB) KeepSentMessages(ctx context.Context, conversationID int64, ids []int64) error {
	if conversationID == 0 || len(ids) == 0 {
		return nil
	}
	sealed := make([][]byte, len(ids))
	for i, id := range ids {
		sealed[i] = db.Keys.SealString(strconv.FormatInt(id, 10), aadChatMessage)
	}
	_, err := db.Pool.Exec(ctx, `INSERT INTO chat_messages (conversation_id, message_enc)
		SELECT c.id, m FROM conversations c, unnest($2::bytea[]) WITH ORDINALITY AS u(m, n) WHERE c.id = $1 ORDER BY n`,
		conversationID, sealed)
	if err != nil {
		return fmt.Errorf("keep sent messages: %w", err)
	}
	return nil
}

// ChatMessages implements bot.PhoneTx: the ids of the last
// bot.DeleteWindow. A value that cannot be opened is skipped: a message
// not deleted is better than a person stuck.
func (t *tx) ChatMessages(ctx context.Context, c *bot.Conversation) ([]int64, error) {
	ptx, err := t.now(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := ptx.Query(ctx, `SELECT message_enc FROM chat_messages WHERE conversation_id = $1
		AND created_at > now() - $2::bigint * interval '1 second' ORDER BY id`, c.ID, int64(bot.DeleteWindow/time.Second))
	if err != nil {
		return nil, fmt.Errorf("chat messages: %w", err)
	}
	var out []int64
	var sealed []byte
	_, err = pgx.ForEachRow(rows, []any{&sealed}, func() error {
		s, err := t.db.Keys.OpenString(sealed, aadChatMessage)
		if err != nil {
			return nil
		}
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			out = append(out, id)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("chat messages: %w", err)
	}
	return out, nil
}

// DropChatMessages implements bot.PhoneTx.
func (t *tx) DropChatMessages(ctx context.Context, c *bot.Conversation) error {
	t.queue("DELETE FROM chat_messages WHERE conversation_id = $1", c.ID)
	return nil
}

// SetDiscreet implements bot.PhoneTx.
func (t *tx) SetDiscreet(ctx context.Context, c *bot.Conversation, on bool) error {
	t.queue("UPDATE conversations SET discreet_notices = $2 WHERE id = $1", c.ID, on)
	return nil
}

// TakeNotice implements bot.PhoneTx.
func (t *tx) TakeNotice(ctx context.Context, c *bot.Conversation, id int64) (bot.Reply, error) {
	var r bot.Reply
	ptx, err := t.now(ctx)
	if err != nil {
		return r, err
	}
	var sealed []byte
	err = ptx.QueryRow(ctx, "DELETE FROM held_notices WHERE id = $1 AND conversation_id = $2 RETURNING payload_enc", id, c.ID).Scan(&sealed)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, bot.ErrNotFound
	}
	if err != nil {
		return r, fmt.Errorf("take notice: %w", err)
	}
	plain, err := t.db.Keys.Open(sealed, aadHeldNotice)
	if err != nil {
		return r, bot.ErrNotFound
	}
	if err := json.Unmarshal(plain, &r); err != nil {
		return r, bot.ErrNotFound
	}
	return r, nil
}

// discreetly returns what goes to the outbox for a notice r sent unasked
// to a case's conversation: r itself when it has no teaser (its own or
// DB.Teaser's) or the person turned
// discreet notices off; else the teaser with a "show" button, r's details
// held sealed until it is pressed.
func (db *DB) discreetly(ctx context.Context, tx pgx.Tx, c *staff.Case, r *bot.Reply) (*bot.Reply, error) {
	teaser := r.Teaser
	if teaser == nil && db.Teaser != nil {
		teaser = db.Teaser(c.Language)
	}
	if teaser == nil {
		return r, nil
	}
	conversationID := c.ConversationID
	plain := *r
	plain.Teaser = nil
	var discreet bool
	err := tx.QueryRow(ctx, "SELECT discreet_notices FROM conversations WHERE id = $1", conversationID).Scan(&discreet)
	if errors.Is(err, pgx.ErrNoRows) || err == nil && !discreet {
		return &plain, nil
	}
	if err != nil {
		return nil, fmt.Errorf("discreet notice: %w", err)
	}
	payload, err := json.Marshal(plain)
	if err != nil {
		return nil, fmt.Errorf("discreet notice: %w", err)
	}
	var id int64
	if err := tx.QueryRow(ctx, "INSERT INTO held_notices (conversation_id, payload_enc) VALUES ($1, $2) RETURNING id",
		conversationID, db.Keys.Seal(payload, aadHeldNotice)).Scan(&id); err != nil {
		return nil, fmt.Errorf("discreet notice: %w", err)
	}
	return &bot.Reply{Text: teaser.Text, RTL: r.RTL,
		Buttons: [][]bot.Button{{{Label: teaser.Show, Data: bot.ShowNoticeButton(id)}}}}, nil
}
