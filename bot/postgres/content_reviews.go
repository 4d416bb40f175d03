package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/staff"
)

// ErrSelfApproval is the error of an author approving their own version.
var ErrSelfApproval = errors.New("a version is approved by someone other than its author")

// ApproveContent records that by, who is not its author, approved version
// id for publishing; audited.
func (db *DB) ApproveContent(ctx context.Context, id int64, by string, staffID int64) error {
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		var author string
		err := tx.QueryRow(ctx, "SELECT author FROM content_versions WHERE id = $1 FOR UPDATE", id).Scan(&author)
		if errors.Is(err, pgx.ErrNoRows) {
			return bot.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("approve content: %w", err)
		}
		if author == by {
			return ErrSelfApproval
		}
		if _, err := tx.Exec(ctx, "UPDATE content_versions SET approved_by = $2, approved_at = now() WHERE id = $1", id, by); err != nil {
			return fmt.Errorf("approve content: %w", err)
		}
		return audit(ctx, tx, staff.AuditEntry{StaffID: staffID, Action: "content.approve", Detail: map[string]string{"version": strconv.FormatInt(id, 10)}})
	})
}

// TextReviews returns the reviews of lang's texts, by message ID.
func (db *DB) TextReviews(ctx context.Context, lang string) (map[string]bot.TextReview, error) {
	rows, err := db.Pool.Query(ctx, "SELECT message_id, text_sha, reviewer, reviewed_at FROM text_reviews WHERE lang = $1", lang)
	if err != nil {
		return nil, fmt.Errorf("text reviews: %w", err)
	}
	out := map[string]bot.TextReview{}
	var id string
	var r bot.TextReview
	if _, err := pgx.ForEachRow(rows, []any{&id, &r.TextSHA, &r.Reviewer, &r.ReviewedAt}, func() error {
		out[id] = r
		return nil
	}); err != nil {
		return nil, fmt.Errorf("text reviews: %w", err)
	}
	return out, nil
}

// ReviewText records that reviewer read message id of lang as text (its
// TextSHA) and found it right; audited.
func (db *DB) ReviewText(ctx context.Context, lang, id, text, reviewer string, staffID int64) error {
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO text_reviews (lang, message_id, text_sha, reviewer) VALUES ($1, $2, $3, $4)
			ON CONFLICT (lang, message_id) DO UPDATE SET text_sha = $3, reviewer = $4, reviewed_at = now()`,
			lang, id, bot.TextSHA(text), reviewer); err != nil {
			return fmt.Errorf("review text: %w", err)
		}
		return audit(ctx, tx, staff.AuditEntry{StaffID: staffID, Action: "text.review", Detail: map[string]string{"lang": lang, "id": id}})
	})
}
