package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/referral"
)

// CreateReferral stores a new referral with a unique code. A conversation
// has at most one open referral: when it has one already, nothing is
// stored, r is filled with the open one and the error is
// bot.ErrReferralOpen. The database holds the rule too (a unique index on
// the conversation of open referrals), so two parallel requests cannot both
// create one: the second waits for the first and then finds its referral.
func (t *tx) CreateReferral(ctx context.Context, c *bot.Conversation, r *bot.Referral) error {
	ptx, err := t.now(ctx)
	if err != nil {
		return err
	}
	for attempt := 0; ; attempt++ {
		err := ptx.QueryRow(ctx, `INSERT INTO referrals (code, conversation_id, department, language, pathway, status, contact_method,
			summary_enc, phone_enc, campaign_source) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
			ON CONFLICT DO NOTHING RETURNING id, created_at`,
			r.Code, c.ID, r.Department, r.Language, r.Pathway, string(referral.StatusNew), r.ContactMethod,
			t.db.Keys.SealString(encodeSummary(r.Summary, r.Summaries), aadSummary), t.db.Keys.SealString(r.Phone, aadPhone), r.Campaign).Scan(&r.ID, &r.CreatedAt)
		if err == nil {
			break
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("create referral: %w", err)
		}
		// Nothing inserted: the conversation has an open referral, or the
		// code is taken.
		open, err := t.openReferral(ctx, ptx, c.ID)
		switch {
		case err == nil:
			*r = *open
			return bot.ErrReferralOpen
		case !errors.Is(err, bot.ErrNotFound):
			return fmt.Errorf("create referral: %w", err)
		case attempt >= 5:
			return fmt.Errorf("create referral: no free code after %d draws", attempt+1)
		}
		r.Code = bot.NewReferralCode() // taken: draw again
	}
	if _, err := ptx.Exec(ctx, "INSERT INTO referral_events (referral_id, to_status) VALUES ($1, $2)", r.ID, string(referral.StatusNew)); err != nil {
		return fmt.Errorf("create referral: %w", err)
	}
	return nil
}

// OpenReferral returns the conversation's referral that is not closed yet,
// or bot.ErrNotFound.
func (t *tx) OpenReferral(ctx context.Context, c *bot.Conversation) (*bot.Referral, error) {
	ptx, err := t.now(ctx)
	if err != nil {
		return nil, err
	}
	return t.openReferral(ctx, ptx, c.ID)
}

// openReferral returns the conversation's latest referral not yet closed,
// or bot.ErrNotFound.
func (t *tx) openReferral(ctx context.Context, q Querier, conversationID int64) (*bot.Referral, error) {
	var r bot.Referral
	var appt *time.Time
	var place []byte
	var legacyPlace string
	err := q.QueryRow(ctx, `SELECT id, code, department, language, pathway, status, contact_method, appointment_at,
		appointment_place_enc, appointment_place, created_at
		FROM referrals WHERE conversation_id = $1 AND closed_at IS NULL ORDER BY id DESC LIMIT 1`, conversationID).
		Scan(&r.ID, &r.Code, &r.Department, &r.Language, &r.Pathway, &r.Status, &r.ContactMethod, &appt, &place, &legacyPlace, &r.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, bot.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("open referral: %w", err)
	}
	if appt != nil {
		r.AppointmentAt = *appt
	}
	if r.AppointmentPlace, err = t.db.openPlace(place, legacyPlace); err != nil {
		return nil, fmt.Errorf("open referral %d: %w", r.ID, err)
	}
	return &r, nil
}
