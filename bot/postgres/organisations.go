package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/org"
	"github.com/yol-project/yol/bot/staff"
)

// The organisations admins add (migration 0009): free legal aid
// organisations and protection partners. The departments come from the
// content pack and are not stored here.

const organisationColumns = `id, kind, protects, names, cities, contact, hours, languages, coalesce(retired_at, 'epoch'::timestamptz)`

// Organisations returns every stored organisation, retired ones included,
// by id.
func (db *DB) Organisations(ctx context.Context) ([]org.Organisation, error) {
	return organisations(ctx, db.Pool)
}

// Organisations implements bot.Tx: the organisations a case may go to,
// read in the message's transaction.
func (t *tx) Organisations(ctx context.Context) ([]org.Organisation, error) {
	ptx, err := t.now(ctx)
	if err != nil {
		return nil, err
	}
	return organisations(ctx, ptx)
}

// organisations reads the organisations through q.
func organisations(ctx context.Context, q Querier) ([]org.Organisation, error) {
	rows, err := q.Query(ctx, "SELECT "+organisationColumns+" FROM organisations ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("organisations: %w", err)
	}
	out, err := pgx.CollectRows(rows, scanOrganisation)
	if err != nil {
		return nil, fmt.Errorf("organisations: %w", err)
	}
	return out, nil
}

// scanOrganisation reads one row of organisationColumns.
func scanOrganisation(r pgx.CollectableRow) (org.Organisation, error) {
	var o org.Organisation
	var kind string
	var protects []string
	var names []byte
	var retired time.Time
	if err := r.Scan(&o.ID, &kind, &protects, &names, &o.Cities, &o.Contact, &o.Hours, &o.Languages, &retired); err != nil {
		return o, err
	}
	o.Kind = org.Kind(kind)
	for _, p := range protects {
		o.Protects = append(o.Protects, org.Danger(p))
	}
	if err := json.Unmarshal(names, &o.Names); err != nil {
		return o, fmt.Errorf("organisation %s: names: %w", o.ID, err)
	}
	if retired.After(time.Unix(0, 0)) {
		o.RetiredAt = retired
	}
	return o, nil
}

// SaveOrganisation creates the organisation, or updates it when it exists
// and update is true (org.ErrExists when it exists and update is false;
// bot.ErrNotFound when updating one that does not), and audits the change.
// It does not validate: callers run Organisation.Validate against the pack.
func (db *DB) SaveOrganisation(ctx context.Context, o org.Organisation, update bool, staffID int64) error {
	if o.Kind == org.Department {
		return fmt.Errorf("%w: departments come from the content pack", org.ErrInvalid)
	}
	names, err := json.Marshal(o.Names)
	if err != nil {
		return fmt.Errorf("save organisation: %w", err)
	}
	protects := make([]string, 0, len(o.Protects))
	for _, p := range o.Protects {
		protects = append(protects, string(p))
	}
	nonNil := func(s []string) []string {
		if s == nil {
			return []string{}
		}
		return s
	}
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		var tag pgconn.CommandTag
		var err error
		action := "org.create"
		if update {
			action = "org.update"
			tag, err = tx.Exec(ctx, `UPDATE organisations SET kind = $2, protects = $3, names = $4, cities = $5, contact = $6, hours = $7,
				languages = $8, updated_at = now() WHERE id = $1`,
				o.ID, string(o.Kind), protects, names, nonNil(o.Cities), o.Contact, o.Hours, nonNil(o.Languages))
		} else {
			tag, err = tx.Exec(ctx, `INSERT INTO organisations (id, kind, protects, names, cities, contact, hours, languages)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
				o.ID, string(o.Kind), protects, names, nonNil(o.Cities), o.Contact, o.Hours, nonNil(o.Languages))
		}
		var pgErr *pgconn.PgError
		switch {
		case errors.As(err, &pgErr) && pgErr.Code == "23514": // a CHECK
			return fmt.Errorf("%w: %s", org.ErrInvalid, pgErr.ConstraintName)
		case err != nil:
			return fmt.Errorf("save organisation: %w", err)
		case tag.RowsAffected() == 0 && update:
			return bot.ErrNotFound
		case tag.RowsAffected() == 0:
			return org.ErrExists
		}
		return audit(ctx, tx, staff.AuditEntry{StaffID: staffID, Action: action, Detail: map[string]string{"organisation": o.ID, "kind": string(o.Kind)}})
	})
}

// RetireOrganisation stops an organisation taking new cases (its open
// cases stay with it) and audits it; bot.ErrNotFound when there is none
// such or it is retired already.
func (db *DB) RetireOrganisation(ctx context.Context, id string, staffID int64) error {
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, "UPDATE organisations SET retired_at = now(), updated_at = now() WHERE id = $1 AND retired_at IS NULL", id)
		if err != nil {
			return fmt.Errorf("retire organisation: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return bot.ErrNotFound
		}
		return audit(ctx, tx, staff.AuditEntry{StaffID: staffID, Action: "org.retire", Detail: map[string]string{"organisation": id}})
	})
}
