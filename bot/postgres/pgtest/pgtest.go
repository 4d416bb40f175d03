// Package pgtest hands each test a fresh, migrated PostgreSQL database.
//
// It connects to TEST_DATABASE_URL, else DATABASE_URL; with neither set it
// starts (once for the whole `go test ./...` run, shared by every package's
// test binary through a file lock) a private cluster in
// $TMPDIR/yol-test-<uid>, the same way `yol serve` starts its own. The
// schema is migrated once into a template database named after a hash of
// the migrations; each test gets CREATE DATABASE ... TEMPLATE, which takes
// tens of milliseconds, and the database is dropped when the test ends.
package pgtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/seal"
	"github.com/yol-project/yol/migrations"
)

var (
	once     sync.Once
	adminURL string
	tmplName string
	setupErr error
)

// ClusterDir is where the shared test cluster lives when no URL is given.
func ClusterDir() string {
	return filepath.Join(os.TempDir(), fmt.Sprintf("yol-test-%d", os.Getuid()))
}

// ServerURL returns the URL of the server's maintenance database, starting
// the shared test cluster if needed. Tests that need a server of their own
// (to stop it, say) should not use it.
func ServerURL(t testing.TB) string {
	t.Helper()
	once.Do(setup)
	if setupErr != nil {
		t.Fatalf("pgtest: %v", setupErr)
	}
	return adminURL
}

// URL creates a fresh migrated database and returns its URL; it is dropped
// when the test ends.
func URL(t testing.TB) string {
	t.Helper()
	return create(t, "")
}

// EmptyURL creates a fresh database with no schema at all.
func EmptyURL(t testing.TB) string {
	t.Helper()
	return create(t, "template0")
}

// create makes a database from template ("" means the migrated template).
func create(t testing.TB, template string) string {
	t.Helper()
	admin := ServerURL(t)
	if template == "" {
		template = tmplName
	}
	name := "yol_t_" + randomHex(6)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("pgtest: connect: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, template)); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		conn, err := pgx.Connect(ctx, admin)
		if err != nil {
			t.Errorf("pgtest: connect to drop %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: drop %s: %v", name, err)
		}
	})
	return withDatabase(admin, name)
}

// Pool returns a pool on a fresh migrated database, closed when the test ends.
func Pool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), URL(t))
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// Keys returns a fresh random keyring.
func Keys(t testing.TB) *seal.Keyring {
	t.Helper()
	k, err := seal.GenerateKey("test1")
	if err != nil {
		t.Fatal(err)
	}
	r, err := seal.ParseKeyring(k)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// DB returns the store on a fresh migrated database with a random key.
func DB(t testing.TB) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), URL(t), Keys(t), migrations.FS)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(db.Close)
	return db
}

// setup finds the server the tests use (TEST_DATABASE_URL, DATABASE_URL or
// a shared private cluster) and makes sure the template database exists.
func setup() {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	adminURL = os.Getenv("TEST_DATABASE_URL")
	if adminURL == "" {
		adminURL = os.Getenv("DATABASE_URL")
	}
	if adminURL == "" {
		adminURL, setupErr = sharedCluster(ctx)
		if setupErr != nil {
			return
		}
	}
	setupErr = ensureTemplate(ctx)
}

// sharedCluster starts the test cluster once per machine and user; the file
// lock makes parallel test binaries wait for the first one.
func sharedCluster(ctx context.Context) (string, error) {
	dir := ClusterDir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	lock, err := os.OpenFile(filepath.Join(dir, "lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return "", err
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return "", fmt.Errorf("lock %s: %w", lock.Name(), err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	c, err := postgres.StartCluster(ctx, dir, "postgres")
	if err != nil {
		return "", err
	}
	// Left running for the other test binaries of this run; `make test`
	// stops it at the end (scripts/test).
	return c.URL("postgres"), nil
}

// ensureTemplate makes the template database, migrated, unless it exists;
// its name carries a hash of the migrations, so a new migration gets a new
// template.
func ensureTemplate(ctx context.Context) error {
	ms, err := postgres.LoadMigrations(migrations.FS)
	if err != nil {
		return err
	}
	h := sha256.New()
	for _, m := range ms {
		h.Write([]byte(m.Checksum))
	}
	tmplName = "yol_tmpl_" + hex.EncodeToString(h.Sum(nil))[:12]

	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	// One test binary builds the template; the others wait on this lock.
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock(7956210)"); err != nil {
		return err
	}
	defer conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(7956210)")
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate)", tmplName).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+tmplName+" WITH (FORCE)"); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+tmplName); err != nil {
		return fmt.Errorf("create template: %w", err)
	}
	pool, err := pgxpool.New(ctx, withDatabase(adminURL, tmplName))
	if err != nil {
		return err
	}
	_, err = postgres.Migrate(ctx, pool, migrations.FS)
	pool.Close()
	if err != nil {
		return fmt.Errorf("migrate template: %w", err)
	}
	if _, err := conn.Exec(ctx, "ALTER DATABASE "+tmplName+" WITH is_template true"); err != nil {
		return err
	}
	return nil
}

// withDatabase returns a connection string for another database on the
// same server, in URL or key=value form.
func withDatabase(rawURL, db string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme == "" {
		// key=value form
		return strings.TrimSpace(rawURL) + " dbname=" + db
	}
	u.Path = "/" + db
	return u.String()
}

// randomHex returns n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// DataDir returns a new folder, inside the test's temporary folder, for a
// private cluster of the test's own (to stop and restart it): the folders
// above it are opened for the unprivileged user the server runs as when the
// test runs as root.
func DataDir(t testing.TB) string {
	t.Helper()
	base := t.TempDir()
	for d := base; d != os.TempDir() && d != "/"; d = filepath.Dir(d) {
		os.Chmod(d, 0o711)
	}
	return filepath.Join(base, "data")
}
