// Package postgres is Yol's store: PostgreSQL through pgx, the migrations
// runner, and a private local cluster for when no DATABASE_URL is given.
// Personal values are sealed with bot/seal before they are written.
package postgres

import (
	"context"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/yol-project/yol/bot/seal"
)

// Querier is what both a pool and a transaction offer.
type Querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// DB is the store: a connection pool and the keys that seal personal data.
type DB struct {
	Pool       *pgxpool.Pool
	Keys       *seal.Keyring
	migrations fs.FS
}

// Open connects to url. It does not migrate; call Migrate or Ready.
func Open(ctx context.Context, url string, keys *seal.Keyring, migrations fs.FS) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx's parse errors can repeat the URL, password included.
		return nil, fmt.Errorf("open database: DATABASE_URL is not a valid PostgreSQL URL")
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	return &DB{Pool: pool, Keys: keys, migrations: migrations}, nil
}

// Close closes every connection.
func (db *DB) Close() { db.Pool.Close() }

// Migrate applies pending migrations.
func (db *DB) Migrate(ctx context.Context) ([]Migration, error) {
	return Migrate(ctx, db.Pool, db.migrations)
}

// Schema reports how the database's schema compares with this binary's.
func (db *DB) Schema(ctx context.Context) (SchemaStatus, error) {
	return Status(ctx, db.Pool, db.migrations)
}

// Ready returns nil when the database answers and its schema is the one this
// binary expects.
func (db *DB) Ready(ctx context.Context) error {
	st, err := db.Schema(ctx)
	if err != nil {
		return err
	}
	if st.Applied > st.Known {
		return fmt.Errorf("%w: database at %d, binary knows %d", ErrSchemaNewer, st.Applied, st.Known)
	}
	if !st.Current() {
		return fmt.Errorf("schema at version %d, want %d: run yol migrate", st.Applied, st.Known)
	}
	return nil
}
