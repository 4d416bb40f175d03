package postgres

import (
	"context"
	"fmt"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/kb"
)

const (
	aadUnanswered   = "unanswered_questions.text"
	indexUnanswered = "unanswered"
)

// RecordUnanswered counts a question that found no good answer. The text
// must be redacted already (the Service does it). Questions equal after
// normalisation (case, marks, punctuation) are one row. It runs in a
// savepoint: a failure here does not spoil the message's transaction.
func (t *tx) RecordUnanswered(ctx context.Context, lang, redacted string) error {
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
	_, err = sp.Exec(ctx, `INSERT INTO unanswered_questions (language, text_hash, text_enc) VALUES ($1, $2, $3)
		ON CONFLICT (language, text_hash) DO UPDATE SET count = unanswered_questions.count + 1, last_seen = now()`,
		lang, t.db.Keys.Index(indexUnanswered, lang+"\x00"+key), t.db.Keys.SealString(redacted, aadUnanswered))
	if err != nil {
		sp.Rollback(ctx)
		return fmt.Errorf("record unanswered: %w", err)
	}
	return sp.Commit(ctx)
}

// Unanswered lists the questions that found no good answer, most asked
// first (then the most recent), at most limit.
func (db *DB) Unanswered(ctx context.Context, limit int) ([]bot.UnansweredQuestion, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := db.Pool.Query(ctx, `SELECT language, text_enc, count, first_seen, last_seen FROM unanswered_questions
		ORDER BY count DESC, last_seen DESC, id LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("unanswered: %w", err)
	}
	defer rows.Close()
	var out []bot.UnansweredQuestion
	for rows.Next() {
		var q bot.UnansweredQuestion
		var enc []byte
		if err := rows.Scan(&q.Language, &enc, &q.Count, &q.FirstSeen, &q.LastSeen); err != nil {
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
