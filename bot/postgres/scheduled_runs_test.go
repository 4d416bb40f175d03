package postgres_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/postgres/pgtest"
)

// Eight replicas (each its own pool) that try to run one job at once on
// one database: exactly one runs it; after the interval one runs it again,
// and another job is claimed on its own.
func TestClaimRunOncePerInterval(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	var replicas []*postgres.DB
	for range 8 {
		pool, err := pgxpool.New(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(pool.Close)
		replicas = append(replicas, &postgres.DB{Pool: pool})
	}
	race := func(name string, every time.Duration) int {
		var won atomic.Int32
		var wg sync.WaitGroup
		for _, db := range replicas {
			wg.Go(func() {
				ok, err := db.ClaimRun(ctx, name, every)
				if err != nil {
					t.Error(err)
				}
				if ok {
					won.Add(1)
				}
			})
		}
		wg.Wait()
		return int(won.Load())
	}
	if got, want := race("purge", time.Hour), 1; got != want {
		t.Errorf("first interval: %d replicas ran the job, want %d", got, want)
	}
	if got, want := race("purge", time.Hour), 0; got != want {
		t.Errorf("same interval again: %d replicas ran the job, want %d", got, want)
	}
	if got, want := race("other", time.Hour), 1; got != want {
		t.Errorf("another job: %d replicas ran it, want %d", got, want)
	}
	if _, err := replicas[0].Pool.Exec(ctx, "UPDATE scheduled_runs SET last_run = now() - interval '61 minutes' WHERE name = 'purge'"); err != nil {
		t.Fatal(err)
	}
	if got, want := race("purge", time.Hour), 1; got != want {
		t.Errorf("next interval: %d replicas ran the job, want %d", got, want)
	}
}

// Migration 17 on a database that holds data: the new table starts empty
// and the data is kept.
func TestMigrationScheduledRunsOnExistingData(t *testing.T) {
	ctx := context.Background()
	pool := emptyPool(t)
	if _, err := postgres.Migrate(ctx, pool, migrationsUpTo(t, 16)); err != nil {
		t.Fatalf("migrate to 16: %v", err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO conversations (chat_hash, chat_enc) VALUES ('a', 'x')`); err != nil {
		t.Fatal(err)
	}
	applied, err := postgres.Migrate(ctx, pool, migrationsUpTo(t, 17))
	if err != nil || len(applied) != 1 || applied[0].Version != 17 {
		t.Fatalf("migrate to 17: %v, %v", applied, err)
	}
	var conversations, runs int
	pool.QueryRow(ctx, "SELECT (SELECT count(*) FROM conversations), (SELECT count(*) FROM scheduled_runs)").Scan(&conversations, &runs)
	if conversations != 1 || runs != 0 {
		t.Errorf("after 17: %d conversations, %d runs; want 1, 0", conversations, runs)
	}
}
