package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/staff"
)

// Updates staff send (migration 0016): each is queued once, as bulk outbox
// rows (priority 1) of its update, to the subscribers of its audience who
// have not blocked the bot, in their language.

// audienceWhere selects the subscribers (s, joined to conversations c) of
// an audience; $1 is its value.
func audienceWhere(audience string) (string, error) {
	base := "c.blocked_at IS NULL AND c.channel = 'telegram'"
	switch audience {
	case staff.AudienceAll:
		return base + " AND $1::text IS NOT NULL", nil
	case staff.AudienceLanguage:
		return base + " AND c.language = $1", nil
	case staff.AudienceRegion:
		return base + " AND (s.region = '' OR s.region = $1)", nil
	case staff.AudienceCampaign:
		return base + " AND c.campaign_source = $1", nil
	}
	return "", fmt.Errorf("unknown audience %q", audience)
}

// AudienceLanguages counts the subscribers of an audience per language.
func (db *DB) AudienceLanguages(ctx context.Context, audience, value string) (map[string]int, error) {
	where, err := audienceWhere(audience)
	if err != nil {
		return nil, err
	}
	return audienceLanguages(ctx, db.Pool, where, value)
}

// audienceLanguages counts, with q, the subscribers matching where per language.
func audienceLanguages(ctx context.Context, q Querier, where, value string) (map[string]int, error) {
	rows, err := q.Query(ctx, `SELECT c.language, count(*) FROM update_subscriptions s JOIN conversations c ON c.id = s.conversation_id
		WHERE `+where+` GROUP BY c.language`, value)
	if err != nil {
		return nil, fmt.Errorf("audience: %w", err)
	}
	out := map[string]int{}
	var lang string
	var n int
	if _, err := pgx.ForEachRow(rows, []any{&lang, &n}, func() error { out[lang] = n; return nil }); err != nil {
		return nil, fmt.Errorf("audience: %w", err)
	}
	return out, nil
}

// CreateUpdate stores a new update (not sent yet), audited, and returns its id.
func (db *DB) CreateUpdate(ctx context.Context, u staff.Update) (int64, error) {
	if _, err := audienceWhere(u.Audience); err != nil {
		return 0, fmt.Errorf("create update: %w", err)
	}
	texts, err := json.Marshal(u.Texts)
	if err != nil {
		return 0, fmt.Errorf("create update: %w", err)
	}
	var id int64
	err = pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO updates (texts, audience, audience_value, send_at, created_by)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, texts, u.Audience, u.AudienceValue, u.SendAt, nullID(u.CreatedBy)).Scan(&id); err != nil {
			return err
		}
		return audit(ctx, tx, staff.AuditEntry{StaffID: u.CreatedBy, Action: "update.create",
			Detail: map[string]string{"update": fmt.Sprint(id), "audience": u.Audience, "value": u.AudienceValue}})
	})
	if err != nil {
		return 0, fmt.Errorf("create update: %w", err)
	}
	return id, nil
}

// ApproveUpdate records a second person's approval, audited; the author
// cannot approve their own update.
func (db *DB) ApproveUpdate(ctx context.Context, id, staffID int64) error {
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE updates SET approved_by = $2, approved_at = now()
			WHERE id = $1 AND queued_at IS NULL AND created_by IS DISTINCT FROM $2`, id, staffID)
		if err != nil {
			return fmt.Errorf("approve update: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("approve update %d: %w", id, bot.ErrNotFound)
		}
		return audit(ctx, tx, staff.AuditEntry{StaffID: staffID, Action: "update.approve", Detail: map[string]string{"update": fmt.Sprint(id)}})
	})
}

// nullID returns nil for 0, so that it is stored as NULL.
func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// QueueUpdate puts update id in the outbox of every subscriber of its
// audience, built by reply for their language, once (every replica may
// try: the update is locked and marked queued in one transaction). It is
// refused with *staff.MissingTextsError when a language of the audience
// has no text, staff.ErrNeedsApproval above staff.ApprovalAbove people
// without approval, and staff.ErrAlreadyQueued when sent before. It
// returns how many were queued.
func (db *DB) QueueUpdate(ctx context.Context, id, staffID int64, reply func(lang, text string) bot.Reply) (int, error) {
	var n int
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		var raw []byte
		var audience, value string
		var approved, queued bool
		err := tx.QueryRow(ctx, `SELECT texts, audience, audience_value, approved_by IS NOT NULL, queued_at IS NOT NULL
			FROM updates WHERE id = $1 FOR UPDATE`, id).Scan(&raw, &audience, &value, &approved, &queued)
		if errors.Is(err, pgx.ErrNoRows) {
			return bot.ErrNotFound
		}
		if err != nil {
			return err
		}
		if queued {
			return staff.ErrAlreadyQueued
		}
		var texts map[string]string
		if err := json.Unmarshal(raw, &texts); err != nil {
			return fmt.Errorf("texts: %w", err)
		}
		where, err := audienceWhere(audience)
		if err != nil {
			return err
		}
		langs, err := audienceLanguages(ctx, tx, where, value)
		if err != nil {
			return err
		}
		if missing := staff.Missing(texts, langs); len(missing) > 0 {
			return &staff.MissingTextsError{Languages: missing}
		}
		total := 0
		for _, c := range langs {
			total += c
		}
		if total > staff.ApprovalAbove && !approved {
			return staff.ErrNeedsApproval
		}
		for lang, text := range texts {
			if langs[lang] == 0 {
				continue
			}
			queued, err := db.queueUpdateLanguage(ctx, tx, id, where, value, lang, reply(lang, text))
			if err != nil {
				return err
			}
			n += queued
		}
		if _, err := tx.Exec(ctx, `UPDATE update_subscriptions s SET last_update_id = $2 FROM conversations c
			WHERE c.id = s.conversation_id AND `+where, value, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE updates SET queued_at = now(), queued = $2 WHERE id = $1`, id, n); err != nil {
			return err
		}
		return audit(ctx, tx, staff.AuditEntry{StaffID: staffID, Action: "update.send",
			Detail: map[string]string{"update": fmt.Sprint(id), "queued": fmt.Sprint(n)}})
	})
	if err != nil {
		return 0, fmt.Errorf("queue update %d: %w", id, err)
	}
	return n, nil
}

// UpdateStats returns what became of update id: queued, sent, failed (given
// up: blocked, refused, dead letters) and unsubscribed after it.
func (db *DB) UpdateStats(ctx context.Context, id int64) (staff.UpdateStats, error) {
	var s staff.UpdateStats
	err := db.Pool.QueryRow(ctx, `SELECT u.queued, u.unsubscribed,
		(SELECT count(*) FROM outbox o WHERE o.update_id = u.id AND o.sent_at IS NOT NULL),
		(SELECT count(*) FROM outbox o WHERE o.update_id = u.id AND o.failed_at IS NOT NULL)
		FROM updates u WHERE u.id = $1`, id).Scan(&s.Queued, &s.Unsubscribed, &s.Sent, &s.Failed)
	if errors.Is(err, pgx.ErrNoRows) {
		return s, fmt.Errorf("update stats %d: %w", id, bot.ErrNotFound)
	}
	if err != nil {
		return s, fmt.Errorf("update stats %d: %w", id, err)
	}
	return s, nil
}

// DueUpdates returns the ids of updates whose time has come and that are
// not queued yet, for the scheduler (QueueUpdate sends each once).
func (db *DB) DueUpdates(ctx context.Context, now time.Time) ([]int64, error) {
	rows, err := db.Pool.Query(ctx, `SELECT id FROM updates WHERE queued_at IS NULL AND send_at <= $1 ORDER BY send_at, id`, now)
	if err != nil {
		return nil, fmt.Errorf("due updates: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("due updates: %w", err)
	}
	return ids, nil
}

// Updates returns the latest 50 updates, newest first, with their counts.
func (db *DB) Updates(ctx context.Context) ([]staff.Update, error) {
	rows, err := db.Pool.Query(ctx, `SELECT u.id, u.texts, u.audience, u.audience_value, u.send_at, coalesce(u.created_by, 0),
		coalesce(u.approved_by, 0), u.queued_at, u.queued, u.unsubscribed,
		(SELECT count(*) FROM outbox o WHERE o.update_id = u.id AND o.sent_at IS NOT NULL),
		(SELECT count(*) FROM outbox o WHERE o.update_id = u.id AND o.failed_at IS NOT NULL)
		FROM updates u ORDER BY u.id DESC LIMIT 50`)
	if err != nil {
		return nil, fmt.Errorf("updates: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (staff.Update, error) {
		var u staff.Update
		var raw []byte
		var queued *time.Time
		err := r.Scan(&u.ID, &raw, &u.Audience, &u.AudienceValue, &u.SendAt, &u.CreatedBy, &u.ApprovedBy, &queued,
			&u.Stats.Queued, &u.Stats.Unsubscribed, &u.Stats.Sent, &u.Stats.Failed)
		if err != nil {
			return u, err
		}
		if queued != nil {
			u.QueuedAt = *queued
		}
		return u, json.Unmarshal(raw, &u.Texts)
	})
	if err != nil {
		return nil, fmt.Errorf("updates: %w", err)
	}
	return out, nil
}

// queueUpdateLanguage puts update id, as full reads it, in the outbox of
// every subscriber of the audience (where, value) who speaks lang, as bulk
// sends. A subscriber with discreet notices on gets the neutral line and a
// "show" button instead, the update held sealed until it is pressed (as
// for every notice sent unasked). It returns how many rows it queued.
func (db *DB) queueUpdateLanguage(ctx context.Context, tx pgx.Tx, id int64, where, value, lang string, full bot.Reply) (int, error) {
	payload, err := json.Marshal(full)
	if err != nil {
		return 0, err
	}
	sealed := db.Keys.Seal(payload, aadPayload)
	var teaser *bot.Teaser
	if db.Teaser != nil {
		teaser = db.Teaser(lang)
	}
	plain := "TRUE"
	if teaser != nil {
		plain = "NOT c.discreet_notices"
	}
	// chat_enc is copied as sealed, as for every notice.
	tag, err := tx.Exec(ctx, `INSERT INTO outbox (conversation_id, chat_enc, method, payload_enc, channel, chat_hash, priority, update_id)
		SELECT c.id, c.chat_enc, 'reply', $2, c.channel, c.chat_hash, 1, $3
		FROM update_subscriptions s JOIN conversations c ON c.id = s.conversation_id
		WHERE `+where+` AND c.language = $4 AND `+plain, value, sealed, id, lang)
	if err != nil {
		return 0, err
	}
	n := int(tag.RowsAffected())
	if teaser == nil {
		return n, nil
	}
	rows, err := tx.Query(ctx, `INSERT INTO held_notices (conversation_id, payload_enc)
		SELECT c.id, $2 FROM update_subscriptions s JOIN conversations c ON c.id = s.conversation_id
		WHERE `+where+` AND c.language = $3 AND c.discreet_notices
		RETURNING id, conversation_id`, value, db.Keys.Seal(payload, aadHeldNotice), lang)
	if err != nil {
		return 0, err
	}
	var conversations []int64
	var payloads [][]byte
	for rows.Next() {
		var held, conversation int64
		if err := rows.Scan(&held, &conversation); err != nil {
			rows.Close()
			return 0, err
		}
		neutral, err := json.Marshal(bot.Reply{Text: teaser.Text, RTL: full.RTL,
			Buttons: [][]bot.Button{{{Label: teaser.Show, Data: bot.ShowNoticeButton(held)}}}})
		if err != nil {
			rows.Close()
			return 0, err
		}
		conversations = append(conversations, conversation)
		payloads = append(payloads, db.Keys.Seal(neutral, aadPayload))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if len(conversations) == 0 {
		return n, nil
	}
	tag, err = tx.Exec(ctx, `INSERT INTO outbox (conversation_id, chat_enc, method, payload_enc, channel, chat_hash, priority, update_id)
		SELECT c.id, c.chat_enc, 'reply', p.payload, c.channel, c.chat_hash, 1, $3
		FROM unnest($1::bigint[], $2::bytea[]) AS p(conversation_id, payload)
		JOIN conversations c ON c.id = p.conversation_id`, conversations, payloads, id)
	if err != nil {
		return 0, err
	}
	return n + int(tag.RowsAffected()), nil
}
