package postgres_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/migrations"
)

func emptyPool(t *testing.T) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), pgtest.EmptyURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

func TestMigrateFromZero(t *testing.T) {
	ctx := context.Background()
	pool := emptyPool(t)
	known, err := postgres.LoadMigrations(migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	applied, err := postgres.Migrate(ctx, pool, migrations.FS)
	if err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	if got, want := len(applied), len(known); got != want {
		t.Errorf("applied %d migrations, want %d", got, want)
	}
	for _, table := range []string{"conversations", "messages", "inbound_updates", "outbox", "referrals",
		"referral_events", "referral_notes", "staff_accounts", "staff_sessions", "audit_log", "analytics_events"} {
		var ok bool
		if err := pool.QueryRow(ctx, "SELECT to_regclass($1) IS NOT NULL", table).Scan(&ok); err != nil || !ok {
			t.Errorf("table %s missing after migration (err %v)", table, err)
		}
	}
	again, err := postgres.Migrate(ctx, pool, migrations.FS)
	if err != nil || len(again) != 0 {
		t.Errorf("second Migrate applied %d, err %v; want 0, nil", len(again), err)
	}
	st, err := postgres.Status(ctx, pool, migrations.FS)
	if err != nil || !st.Current() {
		t.Errorf("Status = %+v, %v; want current", st, err)
	}
}

func TestMigrateConcurrentAppliesOnce(t *testing.T) {
	ctx := context.Background()
	pool := emptyPool(t)
	var wg sync.WaitGroup
	counts := make([]int, 4)
	errs := make([]error, 4)
	for i := range counts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			applied, err := postgres.Migrate(ctx, pool, migrations.FS)
			counts[i], errs[i] = len(applied), err
		}()
	}
	wg.Wait()
	total := 0
	for i := range counts {
		if errs[i] != nil {
			t.Errorf("migrator %d: %v", i, errs[i])
		}
		total += counts[i]
	}
	known, _ := postgres.LoadMigrations(migrations.FS)
	if total != len(known) {
		t.Errorf("migrations applied %d times in all, want %d", total, len(known))
	}
}

func TestRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	db := pgtest.DB(t)
	if _, err := db.Pool.Exec(ctx, "INSERT INTO schema_migrations (version, name, checksum) VALUES (999, 'from_the_future', 'x')"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); !errors.Is(err, postgres.ErrSchemaNewer) {
		t.Errorf("Migrate err = %v, want ErrSchemaNewer", err)
	}
	if err := db.Ready(ctx); !errors.Is(err, postgres.ErrSchemaNewer) {
		t.Errorf("Ready err = %v, want ErrSchemaNewer", err)
	}
}

func TestRefusesEditedMigration(t *testing.T) {
	ctx := context.Background()
	pool := emptyPool(t)
	v1 := fstest.MapFS{"0001_a.sql": {Data: []byte("-- Why: test\nCREATE TABLE a (x int);")}}
	if _, err := postgres.Migrate(ctx, pool, v1); err != nil {
		t.Fatal(err)
	}
	edited := fstest.MapFS{"0001_a.sql": {Data: []byte("-- Why: test\nCREATE TABLE a (x bigint);")}}
	_, err := postgres.Migrate(ctx, pool, edited)
	if err == nil || !strings.Contains(err.Error(), "was changed after it was applied") {
		t.Errorf("Migrate of an edited file: err = %v", err)
	}
}

func TestFailedMigrationRollsBack(t *testing.T) {
	ctx := context.Background()
	pool := emptyPool(t)
	fsys := fstest.MapFS{
		"0001_a.sql": {Data: []byte("-- Why: test\nCREATE TABLE a (x int);")},
		"0002_b.sql": {Data: []byte("-- Why: test\nCREATE TABLE b (x int); SELECT broken syntax here;")},
	}
	applied, err := postgres.Migrate(ctx, pool, fsys)
	if err == nil || len(applied) != 1 {
		t.Fatalf("Migrate = %d applied, err %v; want 1 and an error", len(applied), err)
	}
	var exists bool
	pool.QueryRow(ctx, "SELECT to_regclass('b') IS NOT NULL").Scan(&exists)
	if exists {
		t.Error("table b exists after its migration failed; want the transaction rolled back")
	}
	st, _ := postgres.Status(ctx, pool, fsys)
	if got, want := st.Applied, 1; got != want {
		t.Errorf("applied version = %d, want %d", got, want)
	}
}

func TestLoadMigrationsRules(t *testing.T) {
	tests := []struct {
		name string
		fsys fstest.MapFS
		want string
	}{
		{"bad name", fstest.MapFS{"1_a.sql": {Data: []byte("-- Why: x")}}, "name must look like"},
		{"gap", fstest.MapFS{"0001_a.sql": {Data: []byte("-- Why: x")}, "0003_c.sql": {Data: []byte("-- Why: x")}}, "expected version 2"},
		{"no why", fstest.MapFS{"0001_a.sql": {Data: []byte("CREATE TABLE a ();")}}, "-- Why:"},
	}
	for _, tt := range tests {
		_, err := postgres.LoadMigrations(tt.fsys)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want it to mention %q", tt.name, err, tt.want)
		}
	}
	ms, err := postgres.LoadMigrations(migrations.FS)
	if err != nil || len(ms) == 0 {
		t.Fatalf("shipped migrations: %d, %v", len(ms), err)
	}
}
