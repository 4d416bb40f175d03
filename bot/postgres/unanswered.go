package postgres

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/kb"
	"github.com/yol-project/yol/bot/staff"
)

// Unanswered questions are groups (unanswered_questions: language, a keyed
// hash of the normalised text, a count) of asks (unanswered_asks: who asked,
// by the conversation's pseudonym, when, and the redacted text, sealed).
// The text editors read is the newest ask's, so every text shown comes from
// a person who is still known and asked within the retention period: /forget
// deletes the person's asks (ForgetUnanswered), the janitor deletes old ones
// (PurgeUnanswered), and a group with no ask left goes too.

const (
	aadUnanswered   = "unanswered_questions.text"
	indexUnanswered = "unanswered"
)

// RecordUnanswered counts a question of conversation c that found no good
// answer. The text must be redacted already (the Service does it).
// Questions equal after normalisation (case, marks, punctuation) are one
// group; a person who asks one again replaces their text. It runs in a
// savepoint: a failure here does not spoil the message's transaction.
func (t *tx) RecordUnanswered(ctx context.Context, c *bot.Conversation, lang, redacted string) error {
	key := kb.Normalize(redacted, lang)
	if key == "" {
		return nil
	}
	ptx, err := t.now(ctx)
	if err != nil {
		return fmt.Errorf("record unanswered: %w", err)
	}
	sp, err := ptx.Begin(ctx)
	if err != nil {
		return fmt.Errorf("record unanswered: %w", err)
	}
	_, err = sp.Exec(ctx, `WITH q AS (
			INSERT INTO unanswered_questions (language, text_hash) VALUES ($1, $2)
			ON CONFLICT (language, text_hash) DO UPDATE SET count = unanswered_questions.count + 1, last_seen = now()
			RETURNING id)
		INSERT INTO unanswered_asks (question_id, person, text_enc)
		SELECT q.id, c.person, $3 FROM q, conversations c WHERE c.id = $4
		ON CONFLICT (question_id, person) DO UPDATE SET text_enc = EXCLUDED.text_enc, asked_at = now()`,
		lang, t.db.Keys.Index(indexUnanswered, lang+"\x00"+key), t.db.Keys.SealString(redacted, aadUnanswered), c.ID)
	if err != nil {
		sp.Rollback(ctx)
		return fmt.Errorf("record unanswered: %w", err)
	}
	return sp.Commit(ctx)
}

// forgetUnanswered deletes the asks of the person of conversation id, and
// the groups nobody else asked. A group others asked too keeps its count;
// the person's link and text are gone, and the text shown is another
// person's.
func forgetUnanswered(ctx context.Context, q Querier, conversationID int64) error {
	rows, err := q.Query(ctx, `DELETE FROM unanswered_asks
		WHERE person = (SELECT person FROM conversations WHERE id = $1) RETURNING question_id`, conversationID)
	if err != nil {
		return fmt.Errorf("forget unanswered: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return fmt.Errorf("forget unanswered: %w", err)
	}
	if len(ids) == 0 {
		return nil
	}
	if _, err := q.Exec(ctx, `DELETE FROM unanswered_questions q WHERE q.id = ANY($1)
		AND NOT EXISTS (SELECT 1 FROM unanswered_asks a WHERE a.question_id = q.id)`, ids); err != nil {
		return fmt.Errorf("forget unanswered: %w", err)
	}
	return nil
}

// PurgeUnanswered deletes the texts of questions asked before cutoff (the
// message retention period) and the groups not asked since, and returns
// how many groups went.
func (db *DB) PurgeUnanswered(ctx context.Context, cutoff time.Time) (int64, error) {
	if _, err := db.Pool.Exec(ctx, `DELETE FROM unanswered_asks WHERE asked_at < $1`, cutoff); err != nil {
		return 0, fmt.Errorf("purge unanswered: %w", err)
	}
	// A group is not asked since cutoff, or has no ask left (its asks were
	// forgotten while another person was asking it).
	tag, err := db.Pool.Exec(ctx, `DELETE FROM unanswered_questions q WHERE q.last_seen < $1
		OR NOT EXISTS (SELECT 1 FROM unanswered_asks a WHERE a.question_id = q.id)`, cutoff)
	if err != nil {
		return 0, fmt.Errorf("purge unanswered: %w", err)
	}
	return tag.RowsAffected(), nil
}

// Unanswered lists the questions that found no good answer, most asked
// first (then the most recent), at most limit, each with the newest text
// asked.
func (db *DB) Unanswered(ctx context.Context, limit int) ([]bot.UnansweredQuestion, error) {
	if limit <= 0 {
		limit = 100
	}
	// A group taught in a version that was published has its answer now.
	rows, err := db.Pool.Query(ctx, `SELECT q.id, q.language, a.text_enc, q.count, q.first_seen, q.last_seen FROM unanswered_questions q
		JOIN LATERAL (SELECT text_enc FROM unanswered_asks WHERE question_id = q.id ORDER BY asked_at DESC, id DESC LIMIT 1) a ON true
		WHERE NOT EXISTS (SELECT 1 FROM unanswered_taught t JOIN content_versions v ON v.id = t.version_id
		                  WHERE t.question_id = q.id AND v.published_at IS NOT NULL)
		ORDER BY q.count DESC, q.last_seen DESC, q.id LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("unanswered: %w", err)
	}
	defer rows.Close()
	var out []bot.UnansweredQuestion
	for rows.Next() {
		var q bot.UnansweredQuestion
		var enc []byte
		if err := rows.Scan(&q.ID, &q.Language, &enc, &q.Count, &q.FirstSeen, &q.LastSeen); err != nil {
			return nil, fmt.Errorf("unanswered: %w", err)
		}
		if q.Text, err = db.Keys.OpenString(enc, aadUnanswered); err != nil {
			q.Text = "[cannot be opened with the current keys]"
		}
		out = append(out, q)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("unanswered: %w", err)
	}
	return out, nil
}

// TeachUnanswered records that group id of unanswered questions got a
// search phrase in content version versionID (by an editor, by): once that
// version is published, the group leaves the list. Audited.
func (db *DB) TeachUnanswered(ctx context.Context, id, versionID int64, by string, staffID int64) error {
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO unanswered_taught (question_id, version_id, taught_by)
			SELECT id, $2, $3 FROM unanswered_questions WHERE id = $1
			ON CONFLICT (question_id) DO UPDATE SET version_id = $2, taught_by = $3, taught_at = now()`, id, versionID, by)
		if err != nil {
			return fmt.Errorf("teach unanswered: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return bot.ErrNotFound
		}
		return audit(ctx, tx, staff.AuditEntry{StaffID: staffID, Action: "unanswered.teach",
			Detail: map[string]string{"version": strconv.FormatInt(versionID, 10)}})
	})
}
