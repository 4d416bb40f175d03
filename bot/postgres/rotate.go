package postgres

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"
)

// sealedColumns lists every sealed column with its associated data.
var sealedColumns = []struct{ table, column, aad string }{
	{"conversations", "chat_enc", aadChat},
	{"conversations", "state_enc", aadState},
	{"messages", "text_enc", aadMessage},
	{"outbox", "chat_enc", aadChat},
	{"outbox", "payload_enc", aadPayload},
	{"referrals", "summary_enc", aadSummary},
	{"referrals", "name_enc", aadName},
	{"referrals", "phone_enc", aadPhone},
	{"referrals", "appointment_place_enc", aadPlace},
	{"referral_notes", "text_enc", aadNote},
	{"unanswered_asks", "text_enc", aadUnanswered},
	{"queued_inbounds", "inbound_enc", aadInbound},
}

// RotateCounts tells, per table.column, how many values were re-sealed.
type RotateCounts map[string]int64

// RotateKeys re-seals every value not sealed with the current key, seals
// the appointment places still in plain text (from before schema 5), and
// recomputes the chat hashes with the current key, in batches of batch rows, each batch
// in its own short transaction so that serving goes on. When it returns
// without error, keys other than the current one can be retired.
func (db *DB) RotateKeys(ctx context.Context, batch int) (RotateCounts, error) {
	if batch <= 0 {
		batch = 500
	}
	counts := RotateCounts{}
	current := db.Keys.CurrentID()
	prefix := append([]byte{1, byte(len(current))}, current...)
	for _, col := range sealedColumns {
		for {
			n, err := db.rotateBatch(ctx, col.table, col.column, col.aad, prefix, batch)
			if err != nil {
				return counts, err
			}
			counts[col.table+"."+col.column] += n
			if n < int64(batch) {
				break
			}
		}
	}
	n, err := db.SealLegacyPlaces(ctx, batch)
	counts["referrals.appointment_place"] = n
	if err != nil {
		return counts, err
	}
	n, err = db.rehashChats(ctx, batch)
	counts["conversations.chat_hash"] = n
	return counts, err
}

// rotateBatch reseals, under the current key, up to batch values of
// table.column sealed under another key, and returns how many it did.
func (db *DB) rotateBatch(ctx context.Context, table, column, aad string, prefix []byte, batch int) (int64, error) {
	var done int64
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		q := fmt.Sprintf(`SELECT id, %[2]s FROM %[1]s WHERE %[2]s IS NOT NULL AND substring(%[2]s FROM 1 FOR %[3]d) <> $1
			ORDER BY id LIMIT %[4]d FOR UPDATE SKIP LOCKED`, table, column, len(prefix), batch)
		rows, err := tx.Query(ctx, q, prefix)
		if err != nil {
			return err
		}
		type item struct {
			id  int64
			val []byte
		}
		var items []item
		var it item
		if _, err := pgx.ForEachRow(rows, []any{&it.id, &it.val}, func() error {
			items = append(items, item{it.id, append([]byte(nil), it.val...)})
			return nil
		}); err != nil {
			return err
		}
		for _, it := range items {
			plain, err := db.Keys.Open(it.val, aad)
			if err != nil {
				return fmt.Errorf("%s.%s id %d: %w (is its key still in YOL_DATA_KEY?)", table, column, it.id, err)
			}
			upd := fmt.Sprintf("UPDATE %s SET %s = $2 WHERE id = $1", table, column)
			if _, err := tx.Exec(ctx, upd, it.id, db.Keys.Seal(plain, aad)); err != nil {
				return err
			}
			done++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("rotate %s.%s: %w", table, column, err)
	}
	return done, nil
}

// rehashChats recomputes chat_hash under the current key for conversations
// whose hash was made with an older one, and for their outbox rows.
func (db *DB) rehashChats(ctx context.Context, batch int) (int64, error) {
	var total int64
	var afterID int64
	for {
		var n int
		err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
			rows, err := tx.Query(ctx, `SELECT id, chat_enc, channel, chat_hash FROM conversations WHERE id > $1 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`, afterID, batch)
			if err != nil {
				return err
			}
			type item struct {
				id      int64
				chat    []byte
				channel string
				hash    []byte
			}
			var items []item
			var it item
			if _, err := pgx.ForEachRow(rows, []any{&it.id, &it.chat, &it.channel, &it.hash}, func() error {
				items = append(items, item{it.id, append([]byte(nil), it.chat...), it.channel, append([]byte(nil), it.hash...)})
				return nil
			}); err != nil {
				return err
			}
			n = len(items)
			for _, it := range items {
				afterID = it.id
				plain, err := db.Keys.Open(it.chat, aadChat)
				if err != nil {
					return fmt.Errorf("conversation %d: %w", it.id, err)
				}
				id, err := strconv.ParseInt(string(plain), 10, 64)
				if err != nil {
					return fmt.Errorf("conversation %d: bad chat id", it.id)
				}
				h := db.Keys.Index(indexChat, it.channel+":"+strconv.FormatInt(id, 10))
				if string(h) == string(it.hash) {
					continue
				}
				if _, err := tx.Exec(ctx, "UPDATE conversations SET chat_hash = $2 WHERE id = $1", it.id, h); err != nil {
					return err
				}
				// The conversation's replies waiting for a channel that takes
				// them by chat (migration 0007) follow it.
				if _, err := tx.Exec(ctx, "UPDATE outbox SET chat_hash = $2 WHERE conversation_id = $1 AND chat_hash IS NOT NULL", it.id, h); err != nil {
					return err
				}
				total++
			}
			return nil
		})
		if err != nil {
			return total, fmt.Errorf("rotate chat hashes: %w", err)
		}
		if n < batch {
			return total, nil
		}
	}
}
