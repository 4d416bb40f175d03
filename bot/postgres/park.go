package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yol-project/yol/bot"
)

// Parking (bot.ParkTx; migration 0006): a conversation waiting for slow
// work has parked_until set, a lease measured by the database's clock; each
// claim draws a new park_token; messages that arrive meanwhile wait, sealed,
// in queued_inbounds.

// aadInbound binds a queued message to its column.
const aadInbound = "queued_inbounds.inbound"

// micros is a duration as the bigint the SQL below multiplies by one
// microsecond.
func micros(d time.Duration) int64 { return d.Microseconds() }

// SeenUpdate reports whether the update was recorded before, without
// recording it.
func (t *tx) SeenUpdate(ctx context.Context, updateID int64) (bool, error) {
	ptx, err := t.now(ctx)
	if err != nil {
		return false, err
	}
	var seen bool
	if err := ptx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM inbound_updates WHERE update_id = $1)", updateID).Scan(&seen); err != nil {
		return false, fmt.Errorf("seen update: %w", err)
	}
	return seen, nil
}

// Park implements bot.ParkTx.
func (t *tx) Park(ctx context.Context, c *bot.Conversation, lease time.Duration) error {
	ptx, err := t.now(ctx)
	if err != nil {
		return err
	}
	err = ptx.QueryRow(ctx, `UPDATE conversations SET parked_until = now() + $2::bigint * interval '1 microsecond',
		park_token = park_token + 1, park_attempts = CASE WHEN parked_until IS NULL THEN 1 ELSE park_attempts + 1 END
		WHERE id = $1 RETURNING park_token, park_attempts`, c.ID, micros(lease)).Scan(&c.Park.Token, &c.Park.Attempts)
	if err != nil {
		return fmt.Errorf("park conversation: %w", err)
	}
	c.Park.Active, c.Park.Expired = true, false
	return nil
}

// Unpark implements bot.ParkTx.
func (t *tx) Unpark(ctx context.Context, c *bot.Conversation) error {
	t.queue("UPDATE conversations SET parked_until = NULL, park_attempts = 0 WHERE id = $1", c.ID)
	c.Park.Active, c.Park.Expired, c.Park.Attempts = false, false, 0
	return nil
}

// ParkedConversation implements bot.ParkTx.
func (t *tx) ParkedConversation(ctx context.Context, p bot.Parked) (*bot.Conversation, error) {
	if err := t.flush(ctx); err != nil {
		return nil, err
	}
	hashes := t.db.Keys.Indexes(indexChat, chatKey(p.Chat))
	c, err := t.scanConversation(ctx, "SELECT "+conversationColumns+" FROM conversations WHERE chat_hash = ANY($1) ORDER BY id LIMIT 1 FOR UPDATE", hashes)
	if err != nil {
		return nil, err
	}
	if !c.Park.Active || c.Park.Token != p.Token {
		return nil, bot.ErrNotFound
	}
	c.Chat = p.Chat
	return c, nil
}

// ClaimParked implements bot.ParkTx.
func (t *tx) ClaimParked(ctx context.Context, ch bot.Channel, limit int, lease time.Duration) ([]bot.Parked, error) {
	ptx, err := t.now(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := ptx.Query(ctx, `UPDATE conversations c SET parked_until = now() + $2::bigint * interval '1 microsecond',
		park_token = c.park_token + 1, park_attempts = c.park_attempts + 1
		WHERE c.id IN (SELECT id FROM conversations WHERE parked_until < now() AND channel = $3
		               ORDER BY parked_until LIMIT $1 FOR UPDATE SKIP LOCKED)
		RETURNING c.chat_enc, c.channel, c.park_token, c.park_attempts`, limit, micros(lease), string(ch))
	if err != nil {
		return nil, fmt.Errorf("claim parked: %w", err)
	}
	var out []bot.Parked
	var chat []byte
	var channel string
	var p bot.Parked
	_, err = pgx.ForEachRow(rows, []any{&chat, &channel, &p.Token, &p.Attempts}, func() error {
		s, err := t.db.Keys.OpenString(chat, aadChat)
		if err != nil {
			return fmt.Errorf("a parked conversation's chat: %w", err)
		}
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return errors.New("a parked conversation's chat id is not a number")
		}
		p.Chat = bot.Chat{Channel: bot.Channel(channel), ID: id}
		out = append(out, p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("claim parked: %w", err)
	}
	return out, nil
}

// ReleaseParked implements bot.ParkTx.
func (t *tx) ReleaseParked(ctx context.Context, p bot.Parked) error {
	t.queue(`UPDATE conversations SET parked_until = least(parked_until, now())
		WHERE chat_hash = ANY($1) AND park_token = $2 AND parked_until IS NOT NULL`,
		t.db.Keys.Indexes(indexChat, chatKey(p.Chat)), p.Token)
	return nil
}

// QueueInbound implements bot.ParkTx.
func (t *tx) QueueInbound(ctx context.Context, c *bot.Conversation, in bot.Inbound) error {
	b, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("queue message: %w", err)
	}
	t.queue("INSERT INTO queued_inbounds (conversation_id, inbound_enc) VALUES ($1, $2)", c.ID, t.db.Keys.Seal(b, aadInbound))
	return nil
}

// NextQueued implements bot.ParkTx. A queued message that cannot be
// unsealed is dropped.
func (t *tx) NextQueued(ctx context.Context, c *bot.Conversation) (bot.Inbound, bool, error) {
	ptx, err := t.now(ctx)
	if err != nil {
		return bot.Inbound{}, false, err
	}
	for {
		var sealed []byte
		err := ptx.QueryRow(ctx, `DELETE FROM queued_inbounds WHERE id = (SELECT id FROM queued_inbounds
			WHERE conversation_id = $1 ORDER BY id LIMIT 1) RETURNING inbound_enc`, c.ID).Scan(&sealed)
		if errors.Is(err, pgx.ErrNoRows) {
			return bot.Inbound{}, false, nil
		}
		if err != nil {
			return bot.Inbound{}, false, fmt.Errorf("next queued message: %w", err)
		}
		var in bot.Inbound
		plain, err := t.db.Keys.Open(sealed, aadInbound)
		if err == nil {
			err = json.Unmarshal(plain, &in)
		}
		if err != nil {
			// Sealed under a key since removed, say: dropped rather than
			// holding the conversation up for ever.
			continue
		}
		in.Chat = c.Chat
		return in, true, nil
	}
}
