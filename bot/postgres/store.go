package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/dialog"
	"github.com/yol-project/yol/bot/referral"
	"github.com/yol-project/yol/bot/staff"
)

// Associated data of each sealed column: a value sealed for one column does
// not open in another.
const (
	aadChat      = "conversations.chat"
	aadState     = "conversations.state"
	aadMessage   = "messages.text"
	aadPayload   = "outbox.payload"
	aadSummary   = "referrals.summary"
	aadName      = "referrals.name"
	aadPhone     = "referrals.phone"
	aadNote      = "referral_notes.text"
	indexChat    = "chat"
	maxTxRetries = 5
)

// InTx runs f in a transaction; serialization failures and deadlocks are
// retried a few times, other errors returned.
func (db *DB) InTx(ctx context.Context, f func(tx bot.Tx) error) error {
	var err error
	for attempt := 0; attempt < maxTxRetries; attempt++ {
		err = pgx.BeginFunc(ctx, db.Pool, func(ptx pgx.Tx) error {
			t := &tx{db: db, tx: ptx}
			if err := f(t); err != nil {
				return err
			}
			return t.flush(ctx)
		})
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && (pgErr.Code == "40001" || pgErr.Code == "40P01") {
			continue
		}
		return err
	}
	return err
}

// tx is one unit of work. Writes whose result nobody reads (state, messages,
// events, replies) are queued and sent together in one round trip, before
// the next read and before commit, so the order of statements is kept.
type tx struct {
	db      *DB
	tx      pgx.Tx
	pending pgx.Batch
	// subs holds each loaded conversation's subscription, so that saving
	// writes it only when it changed.
	subs map[int64]bot.Subscription
}

// queue adds a write to the next round trip.
func (t *tx) queue(sql string, args ...any) { t.pending.Queue(sql, args...) }

// flush sends the queued writes.
func (t *tx) flush(ctx context.Context) error {
	if t.pending.Len() == 0 {
		return nil
	}
	b := t.pending
	t.pending = pgx.Batch{}
	if err := t.tx.SendBatch(ctx, &b).Close(); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return nil
}

// now returns the transaction for a statement whose result is read, after
// the queued writes.
func (t *tx) now(ctx context.Context) (pgx.Tx, error) {
	return t.tx, t.flush(ctx)
}

// MarkUpdate implements bot.Tx.
func (t *tx) MarkUpdate(ctx context.Context, updateID int64) (bool, error) {
	ptx, err := t.now(ctx)
	if err != nil {
		return false, err
	}
	tag, err := ptx.Exec(ctx, "INSERT INTO inbound_updates (update_id, handled_at) VALUES ($1, now()) ON CONFLICT DO NOTHING", updateID)
	if err != nil {
		return false, fmt.Errorf("mark update: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

const conversationColumns = `id, person::text, language, state_enc, consent_at, campaign_source, content_version, blocked_at, created_at,
	parked_until IS NOT NULL, coalesce(parked_until < now(), false), park_token, park_attempts,
	(SELECT s.subscribed_at FROM update_subscriptions s WHERE s.conversation_id = conversations.id),
	coalesce((SELECT s.region FROM update_subscriptions s WHERE s.conversation_id = conversations.id), '')`

// Conversation implements bot.Tx, creating the row for a new chat. The
// chat is found by its blind index under every key.
func (t *tx) Conversation(ctx context.Context, chat bot.Chat) (*bot.Conversation, error) {
	if err := t.flush(ctx); err != nil {
		return nil, err
	}
	key := chatKey(chat)
	hashes := t.db.Keys.Indexes(indexChat, key)
	c, err := t.scanConversation(ctx, "SELECT "+conversationColumns+" FROM conversations WHERE chat_hash = ANY($1) ORDER BY id LIMIT 1 FOR UPDATE", hashes)
	if err == nil {
		c.Chat = chat
		return c, nil
	}
	if !errors.Is(err, bot.ErrNotFound) {
		return nil, err
	}
	// A new chat: the row comes back from the insert itself. Two messages of
	// a new chat may race here: ON CONFLICT makes the second wait for the
	// first, insert nothing, and then find the first one's row.
	c, err = t.scanConversation(ctx, `INSERT INTO conversations (chat_hash, chat_enc, channel) VALUES ($1, $2, $3)
		ON CONFLICT (chat_hash) DO NOTHING RETURNING `+conversationColumns,
		t.db.Keys.Index(indexChat, key), t.db.Keys.Seal([]byte(strconv.FormatInt(chat.ID, 10)), aadChat), string(chat.Channel))
	if err == nil {
		c.Chat, c.New = chat, true
		return c, nil
	}
	if !errors.Is(err, bot.ErrNotFound) {
		return nil, fmt.Errorf("create conversation: %w", err)
	}
	c, err = t.scanConversation(ctx, "SELECT "+conversationColumns+" FROM conversations WHERE chat_hash = ANY($1) ORDER BY id LIMIT 1 FOR UPDATE", hashes)
	if err != nil {
		return nil, err
	}
	c.Chat = chat
	return c, nil
}

// chatKey returns the chat as the string its blind index is made of.
func chatKey(c bot.Chat) string { return string(c.Channel) + ":" + strconv.FormatInt(c.ID, 10) }

// scanConversation runs a query for one conversation row and reads it,
// unsealing its state; a state it cannot read starts over, noted in
// StateReset. No row is bot.ErrNotFound.
func (t *tx) scanConversation(ctx context.Context, sql string, args ...any) (*bot.Conversation, error) {
	var c bot.Conversation
	var state []byte
	var consent, blocked, subscribed *time.Time
	err := t.tx.QueryRow(ctx, sql, args...).Scan(&c.ID, &c.Person, &c.Language, &state, &consent, &c.Campaign, &c.ContentVersion, &blocked, &c.CreatedAt,
		&c.Park.Active, &c.Park.Expired, &c.Park.Token, &c.Park.Attempts, &subscribed, &c.Updates.Region)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, bot.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load conversation: %w", err)
	}
	if consent != nil {
		c.ConsentAt = *consent
	}
	if blocked != nil {
		c.BlockedAt = *blocked
	}
	if subscribed != nil {
		c.Updates.Since = *subscribed
	}
	t.loadedSubscription(&c)
	if state != nil {
		plain, err := t.db.Keys.Open(state, aadState)
		if err != nil {
			return nil, fmt.Errorf("load conversation %d: state: %w", c.ID, err)
		}
		if err := json.Unmarshal(plain, &c.Session); err != nil {
			// A state this program cannot read starts over rather than
			// leaving the person stuck; the Service logs and counts it.
			c.Session = dialog.Session{}
			c.StateReset = "unreadable"
			if errors.Is(err, dialog.ErrNewerSession) {
				c.StateReset = "newer"
			}
		}
	}
	return &c, nil
}

// SaveConversation implements bot.Tx, sealing the session state.
func (t *tx) SaveConversation(ctx context.Context, c *bot.Conversation) error {
	state, err := json.Marshal(c.Session)
	if err != nil {
		return fmt.Errorf("save conversation: %w", err)
	}
	t.queue(`UPDATE conversations SET language = $2, state_enc = $3, consent_at = $4, campaign_source = $5,
		content_version = $6, blocked_at = $7, updated_at = now(), last_seen_at = now() WHERE id = $1`,
		c.ID, c.Language, t.db.Keys.Seal(state, aadState), nullTime(c.ConsentAt), c.Campaign, c.ContentVersion, nullTime(c.BlockedAt))
	t.saveSubscription(c)
	return nil
}

// nullTime returns nil for the zero time, so it is stored as NULL.
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// AddMessage implements bot.Tx, sealing the text.
func (t *tx) AddMessage(ctx context.Context, c *bot.Conversation, dir bot.Direction, kind, text string) error {
	t.queue("INSERT INTO messages (conversation_id, direction, kind, text_enc) VALUES ($1, $2, $3, $4)",
		c.ID, string(dir), kind, t.db.Keys.SealString(text, aadMessage))
	if dir == bot.DirIn {
		// The person wrote: their open case is unread for its assignee.
		t.queue("UPDATE referrals SET person_wrote_at = now() WHERE conversation_id = $1 AND closed_at IS NULL", c.ID)
	}
	return nil
}

// Enqueue puts the replies in the outbox of the conversation's channel:
// Telegram's sender sends them, the simulator and the terminal take them
// by chat (TakeReplies).
func (t *tx) Enqueue(ctx context.Context, c *bot.Conversation, replies []bot.Reply) error {
	chat := t.db.Keys.Seal([]byte(strconv.FormatInt(c.Chat.ID, 10)), aadChat)
	hash := t.db.Keys.Index(indexChat, chatKey(c.Chat))
	for _, r := range replies {
		payload, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("enqueue: %w", err)
		}
		var convID *int64
		if c.ID != 0 {
			convID = &c.ID
		}
		t.queue("INSERT INTO outbox (conversation_id, chat_enc, method, payload_enc, channel, chat_hash) VALUES ($1, $2, 'reply', $3, $4, $5)",
			convID, chat, t.db.Keys.Seal(payload, aadPayload), string(c.Chat.Channel), hash)
	}
	return nil
}

// AddEvent implements bot.Tx.
func (t *tx) AddEvent(ctx context.Context, c *bot.Conversation, name string, props map[string]string) error {
	if props == nil {
		props = map[string]string{}
	}
	var person *string
	if c.Person != "" {
		person = &c.Person
	}
	t.queue(`INSERT INTO analytics_events (person, name, language, department, campaign_source, props)
		VALUES ($1, $2, $3, $4, $5, $6)`, person, name, c.Language, props["department"], c.Campaign, props)
	return nil
}

// Forget implements bot.Tx. Open referrals are withdrawn with
// staff.WithdrawnNote, and their personal fields erased.
func (t *tx) Forget(ctx context.Context, c *bot.Conversation) error {
	ptx, err := t.now(ctx)
	if err != nil {
		return err
	}
	// Open referrals are withdrawn, with an event and a note staff can see.
	closed := closedStatuses()
	rows, err := ptx.Query(ctx, `SELECT id, status FROM referrals WHERE conversation_id = $1
		AND status <> ALL($2::text[]) FOR UPDATE`, c.ID, closed)
	if err != nil {
		return fmt.Errorf("forget: %w", err)
	}
	type open struct {
		id     int64
		status string
	}
	var opens []open
	var o open
	if _, err := pgx.ForEachRow(rows, []any{&o.id, &o.status}, func() error { opens = append(opens, o); return nil }); err != nil {
		return fmt.Errorf("forget: %w", err)
	}
	withdrawn := string(referral.StatusWithdrawn)
	if _, err := ptx.Exec(ctx, `UPDATE referrals SET status = $2, updated_at = now(), closed_at = coalesce(closed_at, now())
		WHERE conversation_id = $1 AND status <> ALL($3::text[])`, c.ID, withdrawn, closed); err != nil {
		return fmt.Errorf("forget: %w", err)
	}
	stmts := []string{
		`DELETE FROM referral_notes WHERE referral_id IN (SELECT id FROM referrals WHERE conversation_id = $1) AND staff_id IS NULL`,
		`UPDATE referrals SET summary_enc = NULL, name_enc = NULL, phone_enc = NULL, appointment_place_enc = NULL, appointment_place = '',
			anonymised_at = coalesce(anonymised_at, now()), conversation_id = NULL WHERE conversation_id = $1`,
		`UPDATE analytics_events SET person = NULL WHERE person = (SELECT person FROM conversations WHERE id = $1)`,
	}
	for _, s := range stmts {
		if _, err := ptx.Exec(ctx, s, c.ID); err != nil {
			return fmt.Errorf("forget: %w", err)
		}
	}
	// The unanswered questions go before the conversation (they are found
	// through its pseudonym); messages and outbox rows cascade with it.
	if err := forgetUnanswered(ctx, ptx, c.ID); err != nil {
		return fmt.Errorf("forget: %w", err)
	}
	if _, err := ptx.Exec(ctx, `DELETE FROM conversations WHERE id = $1`, c.ID); err != nil {
		return fmt.Errorf("forget: %w", err)
	}
	for _, o := range opens {
		if _, err := ptx.Exec(ctx, "INSERT INTO referral_events (referral_id, from_status, to_status) VALUES ($1, $2, $3)", o.id, o.status, withdrawn); err != nil {
			return fmt.Errorf("forget: %w", err)
		}
		if _, err := ptx.Exec(ctx, "INSERT INTO referral_notes (referral_id, text_enc) VALUES ($1, $2)", o.id, t.db.Keys.Seal([]byte(staff.WithdrawnNote), aadNote)); err != nil {
			return fmt.Errorf("forget: %w", err)
		}
	}
	c.ID = 0
	return nil
}

// ForgetChat deletes everything about one chat (as /forget does).
func (db *DB) ForgetChat(ctx context.Context, chat bot.Chat) error {
	return db.InTx(ctx, func(btx bot.Tx) error {
		c, err := btx.Conversation(ctx, chat)
		if err != nil {
			return err
		}
		return btx.Forget(ctx, c)
	})
}

// MessageCount implements bot.Tx.
func (t *tx) MessageCount(ctx context.Context, c *bot.Conversation) (int, error) {
	ptx, err := t.now(ctx)
	if err != nil {
		return 0, err
	}
	var n int
	if err := ptx.QueryRow(ctx, "SELECT count(*) FROM messages WHERE conversation_id = $1", c.ID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count messages: %w", err)
	}
	return n, nil
}
