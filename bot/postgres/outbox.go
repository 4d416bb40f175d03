package postgres

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yol-project/yol/bot"
)

// The outbox (migrations 0001, 0002, 0006 and 0007): every reply of every
// channel is queued here in the transaction of the message that caused it.
// Telegram's sender claims the telegram rows (below); the simulator and the
// terminal take their chat's rows themselves (TakeReplies).
//
// The Telegram sender's side:
//
// A sender claims due rows with FOR UPDATE SKIP LOCKED and leases them by
// moving next_attempt_at forward, so the lock is held only for the claim and
// not during the HTTP call. Only the earliest pending row of a chat is ever
// due: a chat's replies go out one after the other, in order, whatever the
// number of senders. A sender that dies mid-send leaves its rows to be picked
// up again when the lease ends (the documented duplicate window).

// ClaimReplies leases up to limit due replies of Telegram chats for lease and
// calls each for every one of them. A row is due when its next_attempt_at has
// come, no earlier row of the same chat is pending (rows without a
// conversation, such as staff chat messages and goodbyes after /forget, are
// ordered among themselves), and the chat's pace (telegram_pace) allows it.
// A row whose chat or payload cannot be opened is marked failed.
func (db *DB) ClaimReplies(ctx context.Context, limit int, lease time.Duration, each func(o bot.Outgoing)) error {
	// Interactive rows, and a bulk row that holds up a chat's interactive
	// reply (a person answering the button under an update).
	return db.claim(ctx, `(o.priority = 0 OR EXISTS (SELECT 1 FROM outbox i WHERE i.conversation_id = o.conversation_id
		AND i.priority = 0 AND i.sent_at IS NULL AND i.failed_at IS NULL))`, limit, lease, each)
}

// claim leases up to limit due rows that also match which (an SQL
// condition on outbox o) and calls each for every one of them.
func (db *DB) claim(ctx context.Context, which string, limit int, lease time.Duration, each func(o bot.Outgoing)) error {
	rows, err := db.Pool.Query(ctx, `
WITH due AS (
	SELECT o.id FROM outbox o
	WHERE o.sent_at IS NULL AND o.failed_at IS NULL AND o.method = 'reply' AND o.next_attempt_at <= now()
	  AND o.channel = 'telegram' AND `+which+`
	  AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.conversation_id = o.conversation_id AND e.id < o.id
	                  AND e.sent_at IS NULL AND e.failed_at IS NULL)
	  AND (o.conversation_id IS NOT NULL
	       OR NOT EXISTS (SELECT 1 FROM outbox e WHERE e.conversation_id IS NULL AND e.id < o.id
	                      AND e.sent_at IS NULL AND e.failed_at IS NULL))
	  AND NOT EXISTS (SELECT 1 FROM telegram_pace p WHERE p.conversation_id = o.conversation_id AND p.next_at > now())
	ORDER BY o.next_attempt_at, o.id
	LIMIT $1
	FOR UPDATE OF o SKIP LOCKED
)
UPDATE outbox o SET next_attempt_at = now() + $2::bigint * interval '1 microsecond'
FROM due WHERE o.id = due.id
RETURNING o.id, coalesce(o.conversation_id, 0), o.chat_enc, o.payload_enc, o.attempts, o.parts_sent, o.failures,
	coalesce(extract(epoch FROM now() - o.first_failed_at), 0)::float8`,
		limit, lease.Microseconds())
	if err != nil {
		return fmt.Errorf("claim replies: %w", err)
	}
	type claimed struct {
		id, conv                  int64
		chat, payload             []byte
		attempts, parts, failures int
		failingFor                float64
	}
	var got []claimed
	for rows.Next() {
		var c claimed
		if err := rows.Scan(&c.id, &c.conv, &c.chat, &c.payload, &c.attempts, &c.parts, &c.failures, &c.failingFor); err != nil {
			rows.Close()
			return fmt.Errorf("claim replies: %w", err)
		}
		got = append(got, c)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("claim replies: %w", err)
	}
	// Every row that opens is handed over, even when filing another one
	// fails: what each received is leased and must be sent.
	var errs []error
	for _, c := range got {
		chatID, r, err := db.openReply(c.chat, c.payload)
		if err != nil {
			if ferr := db.FailReply(ctx, c.id, c.conv, "cannot open row: "+err.Error(), false); ferr != nil {
				errs = append(errs, ferr)
			}
			continue
		}
		each(bot.Outgoing{ID: c.id, ConversationID: c.conv, ChatID: chatID, Reply: r, Attempts: c.attempts, PartsSent: c.parts,
			Failures: c.failures, FailingFor: time.Duration(c.failingFor * float64(time.Second))})
	}
	return errors.Join(errs...)
}

// openReply unseals an outbox row's chat ID and reply.
func (db *DB) openReply(chat, payload []byte) (int64, bot.Reply, error) {
	var r bot.Reply
	s, err := db.Keys.OpenString(chat, aadChat)
	if err != nil {
		return 0, r, err
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, r, fmt.Errorf("chat id is not a number")
	}
	plain, err := db.Keys.Open(payload, aadPayload)
	if err != nil {
		return 0, r, err
	}
	if err := json.Unmarshal(plain, &r); err != nil {
		return 0, r, fmt.Errorf("payload is not a reply")
	}
	return id, r, nil
}

// MarkReplySent records a successful send and, for a conversation, holds its
// next reply back until pace has passed.
func (db *DB) MarkReplySent(ctx context.Context, id, conversationID int64, partsSent int, pace time.Duration) error {
	return db.MarkRepliesSent(ctx, []int64{id}, []int{partsSent}, pace)
}

// MarkRepliesSent records several successful sends (ids[i] sent its first
// partsSent[i] parts) in one statement, one commit instead of one each, and
// paces their conversations.
func (db *DB) MarkRepliesSent(ctx context.Context, ids []int64, partsSent []int, pace time.Duration) error {
	if len(ids) == 0 {
		return nil
	}
	if len(partsSent) != len(ids) {
		return fmt.Errorf("mark replies sent: %d ids and %d part counts", len(ids), len(partsSent))
	}
	parts := make([]int32, len(partsSent))
	for i, p := range partsSent {
		parts[i] = int32(p)
	}
	_, err := db.Pool.Exec(ctx, `
WITH s AS (
	UPDATE outbox o SET sent_at = now(), parts_sent = v.parts, last_error = ''
	FROM unnest($1::bigint[], $2::int[]) AS v(id, parts)
	WHERE o.id = v.id
	RETURNING o.conversation_id)
INSERT INTO telegram_pace (conversation_id, next_at)
SELECT DISTINCT s.conversation_id, now() + $3::bigint * interval '1 microsecond' FROM s
WHERE s.conversation_id IS NOT NULL AND $3::bigint > 0
  AND EXISTS (SELECT 1 FROM conversations c WHERE c.id = s.conversation_id)
ON CONFLICT (conversation_id) DO UPDATE SET next_at = EXCLUDED.next_at`, ids, parts, pace.Microseconds())
	if err != nil {
		return fmt.Errorf("mark replies sent: %w", err)
	}
	return nil
}

// RetryReply schedules another attempt at at, keeping the parts already sent
// and the reason (which must hold neither user text nor the bot token).
func (db *DB) RetryReply(ctx context.Context, id int64, partsSent int, at time.Time, reason string) error {
	_, err := db.Pool.Exec(ctx, `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3, parts_sent = $4
		WHERE id = $1 AND sent_at IS NULL`, id, at, reason, partsSent)
	if err != nil {
		return fmt.Errorf("retry reply: %w", err)
	}
	return nil
}

// RetryFailedReply schedules another attempt at at after a failure that may
// be the reply's own fault (a 5xx, a network error, a timeout): unlike
// RetryReply it counts towards the reply becoming a dead letter.
func (db *DB) RetryFailedReply(ctx context.Context, id int64, partsSent int, at time.Time, reason string) error {
	_, err := db.Pool.Exec(ctx, `UPDATE outbox SET attempts = attempts + 1, failures = failures + 1,
		first_failed_at = coalesce(first_failed_at, now()), next_attempt_at = $2, last_error = $3, parts_sent = $4
		WHERE id = $1 AND sent_at IS NULL`, id, at, reason, partsSent)
	if err != nil {
		return fmt.Errorf("retry failed reply: %w", err)
	}
	return nil
}

// DeadLetter moves a reply that keeps failing aside: it is given up (the
// chat's next replies go) and kept, sealed, for admins (DeadLetters).
func (db *DB) DeadLetter(ctx context.Context, id int64, partsSent int, reason string) error {
	_, err := db.Pool.Exec(ctx, `UPDATE outbox SET attempts = attempts + 1, failures = failures + 1,
		first_failed_at = coalesce(first_failed_at, now()), failed_at = now(), dead_at = now(), last_error = $2, parts_sent = $3
		WHERE id = $1 AND sent_at IS NULL`, id, reason, partsSent)
	if err != nil {
		return fmt.Errorf("dead letter: %w", err)
	}
	return nil
}

// FailReply gives a reply up, keeping the reason for staff. With blocked
// (Telegram's 403: the person blocked the bot) the conversation is marked
// blocked and its other pending replies are given up as well.
func (db *DB) FailReply(ctx context.Context, id, conversationID int64, reason string, blocked bool) error {
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE outbox SET attempts = attempts + 1, failed_at = now(), last_error = $2
			WHERE id = $1 AND sent_at IS NULL`, id, reason); err != nil {
			return err
		}
		if !blocked || conversationID == 0 {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE conversations SET blocked_at = coalesce(blocked_at, now()) WHERE id = $1`, conversationID); err != nil {
			return err
		}
		// Blocking the bot ends the person's subscription to updates.
		if _, err := tx.Exec(ctx, endSubscription, conversationID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE outbox SET failed_at = now(), last_error = 'blocked by the person'
			WHERE conversation_id = $1 AND sent_at IS NULL AND failed_at IS NULL`, conversationID)
		return err
	})
	if err != nil {
		return fmt.Errorf("fail reply: %w", err)
	}
	return nil
}

// ReserveSendSlots takes n consecutive slots of the global send rate (one
// every step, shared by every process) and returns how long to wait for the
// first; slot i comes step*i after it. The wait is computed by the database
// clock, so the hosts' clocks need not agree.
func (db *DB) ReserveSendSlots(ctx context.Context, n int, step time.Duration) (time.Duration, error) {
	var wait float64
	total := int64(n) * step.Microseconds()
	err := db.Pool.QueryRow(ctx, `UPDATE telegram_rate
		SET next_slot = greatest(next_slot, clock_timestamp()) + $1::bigint * interval '1 microsecond'
		WHERE id = 1
		RETURNING greatest(extract(epoch FROM next_slot - $1::bigint * interval '1 microsecond' - clock_timestamp()), 0)::float8`,
		total).Scan(&wait)
	if err != nil {
		return 0, fmt.Errorf("reserve send slots: %w", err)
	}
	return time.Duration(wait * float64(time.Second)), nil
}

// PauseSends holds every process's sends back for d (Telegram's retry_after).
func (db *DB) PauseSends(ctx context.Context, d time.Duration) error {
	_, err := db.Pool.Exec(ctx, `UPDATE telegram_rate
		SET next_slot = greatest(next_slot, clock_timestamp() + $1::bigint * interval '1 microsecond') WHERE id = 1`, d.Microseconds())
	if err != nil {
		return fmt.Errorf("pause sends: %w", err)
	}
	return nil
}

// TakeReplies returns the replies waiting for a chat of a channel that
// fetches its own (the simulator, the terminal: not Telegram, whose sender
// claims its rows), in order, and marks them sent. Several processes may
// take at once: each row goes to one of them.
func (db *DB) TakeReplies(ctx context.Context, chat bot.Chat) ([]bot.Reply, error) {
	if chat.Channel == bot.ChannelTelegram {
		return nil, fmt.Errorf("take replies: Telegram's replies are sent by its sender")
	}
	rows, err := db.Pool.Query(ctx, `UPDATE outbox SET sent_at = now(), attempts = attempts + 1 WHERE id IN (
		SELECT id FROM outbox WHERE chat_hash = ANY($1) AND channel = $2 AND sent_at IS NULL AND failed_at IS NULL
		ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED)
		RETURNING id, payload_enc`, db.Keys.Indexes(indexChat, chatKey(chat)), string(chat.Channel))
	if err != nil {
		return nil, fmt.Errorf("take replies: %w", err)
	}
	type row struct {
		id      int64
		payload []byte
	}
	got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		var x row
		return x, r.Scan(&x.id, &x.payload)
	})
	if err != nil {
		return nil, fmt.Errorf("take replies: %w", err)
	}
	slices.SortFunc(got, func(a, b row) int { return cmp.Compare(a.id, b.id) })
	out := make([]bot.Reply, 0, len(got))
	for _, r := range got {
		plain, err := db.Keys.Open(r.payload, aadPayload)
		if err != nil {
			continue // sealed under a key no longer held: nothing to show
		}
		var rep bot.Reply
		if json.Unmarshal(plain, &rep) == nil {
			out = append(out, rep)
		}
	}
	return out, nil
}
