package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/staff"
)

// Content versions (migration 0011): whole packs stored with their author,
// parent and checksum; exactly one is live.

// ContentChannel is the NOTIFY channel of a publish: its payload is the
// live version's id.
const ContentChannel = "yol_content"

// PackChecksum is the checksum of a pack's files: sha256 over each path,
// its size and its bytes, in path order.
func PackChecksum(files map[string][]byte) string {
	h := sha256.New()
	for _, p := range slices.Sorted(maps.Keys(files)) {
		h.Write([]byte(p + "\x00" + strconv.Itoa(len(files[p])) + "\x00"))
		h.Write(files[p])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// PushContent stores files as a new draft version by author (parent is the
// version it was made from, 0 for none). A pack stored before with the same
// checksum is not stored twice: its id comes back with existed true.
func (db *DB) PushContent(ctx context.Context, files map[string][]byte, author, note string, parent int64) (id int64, existed bool, err error) {
	if len(files) == 0 {
		return 0, false, errors.New("push content: no files")
	}
	sum := PackChecksum(files)
	err = pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		// One push of a pack at a time, so that two replicas starting
		// together store the built-in pack once.
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtext('yol.content.push'))"); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, "SELECT id FROM content_versions WHERE checksum = $1 ORDER BY id LIMIT 1", sum).Scan(&id)
		if err == nil {
			existed = true
			return nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		var par *int64
		if parent != 0 {
			par = &parent
		}
		if err := tx.QueryRow(ctx, "INSERT INTO content_versions (parent_id, author, note, checksum) VALUES ($1, $2, $3, $4) RETURNING id",
			par, author, note, sum).Scan(&id); err != nil {
			return err
		}
		for _, p := range slices.Sorted(maps.Keys(files)) {
			if _, err := tx.Exec(ctx, "INSERT INTO content_files (version_id, path, data) VALUES ($1, $2, $3)", id, p, files[p]); err != nil {
				var pgErr *pgconn.PgError
				if errors.As(err, &pgErr) && pgErr.Code == "23514" {
					return fmt.Errorf("%q is not a file of a content pack (dialogs/, knowledge/ or locales/, *.yaml)", p)
				}
				return err
			}
		}
		return audit(ctx, tx, staff.AuditEntry{Action: "content.push", Detail: map[string]string{"version": strconv.FormatInt(id, 10), "author": author}})
	})
	if err != nil {
		return 0, false, fmt.Errorf("push content: %w", err)
	}
	return id, existed, nil
}

// ContentFiles returns the files of version id (bot.ErrNotFound when there
// is none).
func (db *DB) ContentFiles(ctx context.Context, id int64) (map[string][]byte, error) {
	rows, err := db.Pool.Query(ctx, "SELECT path, data FROM content_files WHERE version_id = $1", id)
	if err != nil {
		return nil, fmt.Errorf("content files: %w", err)
	}
	files := map[string][]byte{}
	var p string
	var data []byte
	if _, err := pgx.ForEachRow(rows, []any{&p, &data}, func() error {
		files[p] = append([]byte(nil), data...)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("content files: %w", err)
	}
	if len(files) == 0 {
		return nil, bot.ErrNotFound
	}
	return files, nil
}

// ContentVersions lists the latest versions, newest first.
func (db *DB) ContentVersions(ctx context.Context, limit int) ([]bot.ContentVersion, error) {
	rows, err := db.Pool.Query(ctx, `SELECT v.id, coalesce(v.parent_id, 0), v.author, v.note, v.checksum, v.created_at,
		coalesce(v.published_at, 'epoch'::timestamptz), coalesce(l.version_id = v.id, false),
		(SELECT count(*) FROM content_files f WHERE f.version_id = v.id), coalesce(v.approved_by, '')
		FROM content_versions v LEFT JOIN content_live l ON l.version_id = v.id ORDER BY v.id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("content versions: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (bot.ContentVersion, error) {
		var v bot.ContentVersion
		err := r.Scan(&v.ID, &v.Parent, &v.Author, &v.Note, &v.Checksum, &v.CreatedAt, &v.PublishedAt, &v.Live, &v.Files, &v.ApprovedBy)
		if v.PublishedAt.Equal(time.Unix(0, 0)) {
			v.PublishedAt = time.Time{}
		}
		return v, err
	})
	if err != nil {
		return nil, fmt.Errorf("content versions: %w", err)
	}
	return out, nil
}

// LiveContent returns the id of the live version, or bot.ErrNotFound
// before anything was published.
func (db *DB) LiveContent(ctx context.Context) (int64, error) {
	var id int64
	err := db.Pool.QueryRow(ctx, "SELECT version_id FROM content_live WHERE id = 1").Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, bot.ErrNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("live content: %w", err)
	}
	return id, nil
}

// PublishContent makes version id live (the caller has checked it: see
// `yol content publish`), tells every replica (NOTIFY), and audits it.
// Publishing an earlier version is a rollback.
func (db *DB) PublishContent(ctx context.Context, id int64, by string) error {
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, "UPDATE content_versions SET published_at = now() WHERE id = $1", id)
		if err != nil {
			return fmt.Errorf("publish content: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return bot.ErrNotFound
		}
		if _, err := tx.Exec(ctx, `INSERT INTO content_live (id, version_id, published_by) VALUES (1, $1, $2)
			ON CONFLICT (id) DO UPDATE SET version_id = $1, published_at = now(), published_by = $2`, id, by); err != nil {
			return fmt.Errorf("publish content: %w", err)
		}
		if _, err := tx.Exec(ctx, "SELECT pg_notify($1, $2)", ContentChannel, strconv.FormatInt(id, 10)); err != nil {
			return fmt.Errorf("publish content: %w", err)
		}
		return audit(ctx, tx, staff.AuditEntry{Action: "content.publish", Detail: map[string]string{"version": strconv.FormatInt(id, 10), "by": by}})
	})
}

// ListenContent calls changed at every publish seen on ContentChannel, and
// every interval in any case (a notice can be missed while the connection
// is down), until ctx ends.
func (db *DB) ListenContent(ctx context.Context, interval time.Duration, changed func()) {
	for ctx.Err() == nil {
		db.listenOnce(ctx, interval, changed)
		// The connection broke: check now, then listen again shortly.
		changed()
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

// listenOnce listens on one connection until it fails or ctx ends. The
// connection leaves the pool (a listening connection is this process's
// own) and is closed after.
func (db *DB) listenOnce(ctx context.Context, interval time.Duration, changed func()) {
	pooled, err := db.Pool.Acquire(ctx)
	if err != nil {
		return
	}
	conn := pooled.Hijack()
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+ContentChannel); err != nil {
		return
	}
	for {
		wctx, cancel := context.WithTimeout(ctx, interval)
		_, err := conn.WaitForNotification(wctx)
		cancel()
		switch {
		case ctx.Err() != nil:
			return
		case err == nil || errors.Is(err, context.DeadlineExceeded):
			changed() // a publish, or the periodic check
		default:
			return
		}
	}
}
