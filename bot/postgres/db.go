// Package postgres is Yol's store: PostgreSQL through pgx, the migrations
// runner, and a private local cluster for when no DATABASE_URL is given.
// Personal values are sealed with bot/seal before they are written.
package postgres

import (
	"context"
	"fmt"
	"io/fs"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/yol-project/yol/bot"
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
	Pool *pgxpool.Pool
	Keys *seal.Keyring
	// SendAttempts and SendGiveUp say when a reply Telegram keeps refusing
	// becomes a dead letter (GiveUpAfter); zero: the defaults.
	SendAttempts int
	SendGiveUp   time.Duration
	// Teaser renders the neutral first line of a discreet notice in a
	// language (bot.ContentHolder.Teaser): every notice sent unasked
	// (notify) is discreet unless the person turned it off. Nil: notices
	// are sent as they are, unless they carry their own Reply.Teaser.
	Teaser     func(lang string) *bot.Teaser
	migrations fs.FS
}

// DefaultPoolSize is the size `yol serve` gives its pool unless configured
// (YOL_DB_POOL): the Telegram intake's 16 workers, the sender, the answers
// of parked conversations and the console together; three processes stay
// within PostgreSQL's default max_connections of 100.
const DefaultPoolSize = 32

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

// SetPoolSize replaces the pool by one of n connections (YOL_DB_POOL), with
// the same settings otherwise. Call it right after Open, before any use:
// work under way on the old pool is cut short.
func (db *DB) SetPoolSize(ctx context.Context, n int) error {
	if n <= 0 || int32(n) == db.Pool.Config().MaxConns {
		return nil
	}
	cfg := db.Pool.Config()
	cfg.MaxConns = int32(n)
	if cfg.MinConns > cfg.MaxConns {
		cfg.MinConns = cfg.MaxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("resize the database pool: %w", err)
	}
	old := db.Pool
	db.Pool = pool
	old.Close()
	return nil
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
