package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/yol-project/yol/bot/staff"
)

// Campaign sources (migration 0015): staff create them in the console; a
// person's campaign_source is a source's code, '' (came without a link) or
// '?' (a payload that named no source).

// CreateCampaignSource stores a new source (staff.ErrCodeTaken when its
// code is used) and audits it. It does not validate: callers run
// CampaignSource.Problem; the table's checks refuse what slips through.
func (db *DB) CreateCampaignSource(ctx context.Context, c *staff.CampaignSource, staffID int64) error {
	var by *int64
	if staffID != 0 {
		by = &staffID
	}
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO campaign_sources (code, name, region, medium, created_by) VALUES ($1, $2, $3, $4, $5)
			RETURNING id, created_at`, c.Code, c.Name, c.Region, string(c.Medium), by).Scan(&c.ID, &c.CreatedAt)
		var pgErr *pgconn.PgError
		switch {
		case errors.As(err, &pgErr) && pgErr.Code == "23505": // unique
			return staff.ErrCodeTaken
		case err != nil:
			return fmt.Errorf("create campaign source: %w", err)
		}
		return audit(ctx, tx, staff.AuditEntry{StaffID: staffID, Action: "campaign.create",
			Detail: map[string]string{"code": c.Code, "medium": string(c.Medium)}})
	})
}

// CampaignSources returns every source, newest first.
func (db *DB) CampaignSources(ctx context.Context) ([]staff.CampaignSource, error) {
	rows, err := db.Pool.Query(ctx, `SELECT c.id, c.code, c.name, c.region, c.medium, coalesce(s.login, ''), c.created_at
		FROM campaign_sources c LEFT JOIN staff_accounts s ON s.id = c.created_by ORDER BY c.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("campaign sources: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (staff.CampaignSource, error) {
		var c staff.CampaignSource
		var medium string
		err := r.Scan(&c.ID, &c.Code, &c.Name, &c.Region, &medium, &c.CreatedBy, &c.CreatedAt)
		c.Medium = staff.Medium(medium)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("campaign sources: %w", err)
	}
	return out, nil
}

// CampaignSourceExists implements bot.CampaignTx: whether a source has the
// code, read in the message's transaction.
func (t *tx) CampaignSourceExists(ctx context.Context, code string) (bool, error) {
	ptx, err := t.now(ctx)
	if err != nil {
		return false, err
	}
	var ok bool
	if err := ptx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM campaign_sources WHERE code = $1)", code).Scan(&ok); err != nil {
		return false, fmt.Errorf("campaign source: %w", err)
	}
	return ok, nil
}
