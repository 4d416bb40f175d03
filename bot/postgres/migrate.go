package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// migrationLockID is the advisory lock that serialises migrations between
// processes sharing one database ("yolmigr" in ASCII).
const migrationLockID = 0x796f6c6d696772

// ErrSchemaNewer means the database was migrated by a newer yol: this binary
// does not know its schema and must not write to it.
var ErrSchemaNewer = errors.New("database schema is newer than this yol")

// Migration is one numbered SQL file.
type Migration struct {
	Version  int
	Name     string
	SQL      string
	Checksum string
}

var migrationName = regexp.MustCompile(`^(\d{4})_([a-z0-9_]+)\.sql$`)

// LoadMigrations reads NNNN_name.sql files from fsys. Versions must start at
// 1 and have no gaps, and each file must open with a "-- Why:" comment.
func LoadMigrations(fsys fs.FS) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var ms []Migration
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".sql" {
			continue
		}
		m := migrationName.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("migration %s: name must look like 0001_what_it_does.sql", e.Name())
		}
		b, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", e.Name(), err)
		}
		if !strings.HasPrefix(string(b), "-- Why:") {
			return nil, fmt.Errorf("migration %s: must start with a \"-- Why:\" comment", e.Name())
		}
		v, _ := strconv.Atoi(m[1])
		sum := sha256.Sum256(b)
		ms = append(ms, Migration{Version: v, Name: m[2], SQL: string(b), Checksum: hex.EncodeToString(sum[:])})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migration %04d_%s: expected version %d (versions start at 1 without gaps)", m.Version, m.Name, i+1)
		}
	}
	return ms, nil
}

// SchemaStatus tells how a database's schema compares with the migrations
// this binary carries.
type SchemaStatus struct {
	Applied int // highest version recorded in the database
	Known   int // highest version this binary knows
}

// Current reports whether the schema is exactly what this binary expects.
func (s SchemaStatus) Current() bool { return s.Applied == s.Known }

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    integer PRIMARY KEY,
	name       text NOT NULL,
	checksum   text NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now()
)`

// Migrate applies the pending migrations of fsys, each in its own
// transaction, under an advisory lock so that several processes starting at
// once apply each migration exactly once. It refuses a database whose schema
// is newer than the files, and a database where an applied file was edited.
func Migrate(ctx context.Context, pool *pgxpool.Pool, fsys fs.FS) (applied []Migration, err error) {
	ms, err := LoadMigrations(fsys)
	if err != nil {
		return nil, err
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate: connect: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", int64(migrationLockID)); err != nil {
		return nil, fmt.Errorf("migrate: lock: %w", err)
	}
	defer func() {
		// A fresh context: the caller's may be cancelled, and a lock left
		// behind on a pooled connection would block the next migration.
		if _, uerr := conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", int64(migrationLockID)); uerr != nil && err == nil {
			err = fmt.Errorf("migrate: unlock: %w", uerr)
		}
	}()
	if _, err := conn.Exec(ctx, createMigrationsTable); err != nil {
		return nil, fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	done, err := appliedChecksums(ctx, conn.Conn())
	if err != nil {
		return nil, err
	}
	for v := range done {
		if v > len(ms) {
			return nil, fmt.Errorf("%w: database is at version %d, this binary knows %d", ErrSchemaNewer, maxKey(done), len(ms))
		}
	}
	for _, m := range ms {
		if sum, ok := done[m.Version]; ok {
			if sum != m.Checksum {
				return nil, fmt.Errorf("migrate: %04d_%s.sql was changed after it was applied; add a new migration instead", m.Version, m.Name)
			}
			continue
		}
		err := pgx.BeginFunc(ctx, conn.Conn(), func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, m.SQL); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)", m.Version, m.Name, m.Checksum)
			return err
		})
		if err != nil {
			return applied, fmt.Errorf("migrate: apply %04d_%s.sql: %w", m.Version, m.Name, err)
		}
		applied = append(applied, m)
	}
	return applied, nil
}

// Status compares the database's schema with the migrations in fsys without
// changing anything.
func Status(ctx context.Context, q Querier, fsys fs.FS) (SchemaStatus, error) {
	ms, err := LoadMigrations(fsys)
	if err != nil {
		return SchemaStatus{}, err
	}
	st := SchemaStatus{Known: len(ms)}
	var exists bool
	if err := q.QueryRow(ctx, "SELECT to_regclass('schema_migrations') IS NOT NULL").Scan(&exists); err != nil {
		return st, fmt.Errorf("schema status: %w", err)
	}
	if !exists {
		return st, nil
	}
	if err := q.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&st.Applied); err != nil {
		return st, fmt.Errorf("schema status: %w", err)
	}
	return st, nil
}

// appliedChecksums returns the checksums of the migrations applied, by
// version.
func appliedChecksums(ctx context.Context, conn *pgx.Conn) (map[int]string, error) {
	rows, err := conn.Query(ctx, "SELECT version, checksum FROM schema_migrations")
	if err != nil {
		return nil, fmt.Errorf("migrate: read schema_migrations: %w", err)
	}
	done := map[int]string{}
	var v int
	var sum string
	_, err = pgx.ForEachRow(rows, []any{&v, &sum}, func() error {
		done[v] = sum
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("migrate: read schema_migrations: %w", err)
	}
	return done, nil
}

// maxKey returns the largest key of m, or 0.
func maxKey(m map[int]string) int {
	n := 0
	for k := range m {
		n = max(n, k)
	}
	return n
}
