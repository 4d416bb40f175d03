package postgres_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/migrations"
)

// clusterDir returns a folder that the server's user can reach even when the
// test runs as root (t.TempDir is private to the test's user).
func clusterDir(t *testing.T) string {
	t.Helper()
	return pgtest.DataDir(t)
}

func startCluster(t *testing.T, dir string) *postgres.Cluster {
	t.Helper()
	c, err := postgres.StartCluster(context.Background(), dir, "yol")
	if err != nil {
		t.Fatalf("StartCluster: %v", err)
	}
	t.Cleanup(func() { c.Stop(context.Background()) })
	return c
}

func TestPrivateClusterStartStopReuse(t *testing.T) {
	ctx := context.Background()
	dir := clusterDir(t)
	c := startCluster(t, dir)
	if !c.Started() {
		t.Fatal("Started() = false for a new cluster")
	}
	db, err := postgres.Open(ctx, c.URL("yol"), nil, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	var listen string
	if err := db.Pool.QueryRow(ctx, "SHOW listen_addresses").Scan(&listen); err != nil || listen != "127.0.0.1" {
		t.Errorf("listen_addresses = %q (%v), want 127.0.0.1 only", listen, err)
	}
	db.Close()
	if fi, err := os.Stat(filepath.Join(dir, "postgres.password")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("password file mode = %v (%v), want 0600", fi.Mode().Perm(), err)
	}
	if err := c.Stop(ctx); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if _, err := os.Stat(filepath.Join(c.Dir, "postmaster.pid")); !os.IsNotExist(err) {
		t.Errorf("postmaster.pid still there after Stop (err %v)", err)
	}

	// A second start reuses the cluster and its data.
	c2 := startCluster(t, dir)
	db2, err := postgres.Open(ctx, c2.URL("yol"), nil, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if err := db2.Ready(ctx); err != nil {
		t.Errorf("Ready after restart: %v (schema should have been kept)", err)
	}

	// A cluster found running (a crashed yol left it) is reused, not restarted.
	c3 := startCluster(t, dir)
	if c3.Started() || c3.Port != c2.Port {
		t.Errorf("third start: Started=%v port %d; want reuse of port %d", c3.Started(), c3.Port, c2.Port)
	}
}

func TestReadyFollowsTheDatabase(t *testing.T) {
	ctx := context.Background()
	dir := clusterDir(t)
	c := startCluster(t, dir)
	db, err := postgres.Open(ctx, c.URL("yol"), nil, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Ready(ctx); err == nil {
		t.Error("Ready = nil before migrations; want an error")
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.Ready(ctx); err != nil {
		t.Fatalf("Ready after migrate: %v", err)
	}
	if err := c.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 3*time.Second)
	err = db.Ready(short)
	cancel()
	if err == nil {
		t.Fatal("Ready = nil while the database is down")
	}
	c2 := startCluster(t, dir)
	if c2.Port != c.Port {
		t.Fatalf("restarted on port %d, want the previous port %d", c2.Port, c.Port)
	}
	// The same pool recovers by itself once the server is back.
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := db.Ready(ctx)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Ready still failing 10s after the restart: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
