package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// The appointment place staff type ("room 5, ask for Leyla") is personal:
// it is sealed in referrals.appointment_place_enc. Rows written before
// schema 5 hold it in plain text in referrals.appointment_place, which is
// still read until SealLegacyPlaces (run by yol keys rotate) has moved it.

const aadPlace = "referrals.appointment_place"

// openPlace returns a referral's appointment place: the sealed value, else
// the plain one of a row from before schema 5.
func (db *DB) openPlace(sealed []byte, legacy string) (string, error) {
	if sealed == nil {
		return legacy, nil
	}
	place, err := db.Keys.OpenString(sealed, aadPlace)
	if err != nil {
		return "", fmt.Errorf("appointment place: %w", err)
	}
	return place, nil
}

// SealLegacyPlaces seals the appointment places still held in plain text
// (written before schema 5) and empties the plain column, in batches of
// batch rows, each in its own short transaction. It returns how many it
// sealed; run again, it finds nothing to do.
func (db *DB) SealLegacyPlaces(ctx context.Context, batch int) (int64, error) {
	if batch <= 0 {
		batch = 500
	}
	var total int64
	for {
		var n int
		err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
			rows, err := tx.Query(ctx, `SELECT id, appointment_place FROM referrals WHERE appointment_place <> ''
				ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`, batch)
			if err != nil {
				return err
			}
			type item struct {
				id    int64
				place string
			}
			items, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (item, error) {
				var it item
				return it, row.Scan(&it.id, &it.place)
			})
			if err != nil {
				return err
			}
			n = len(items)
			for _, it := range items {
				// A place set since (sealed) wins over the plain one.
				if _, err := tx.Exec(ctx, `UPDATE referrals SET appointment_place_enc = coalesce(appointment_place_enc, $2),
					appointment_place = '' WHERE id = $1`, it.id, db.Keys.SealString(it.place, aadPlace)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return total, fmt.Errorf("seal appointment places: %w", err)
		}
		total += int64(n)
		if n < batch {
			return total, nil
		}
	}
}
