package main

import (
	"context"
	"testing"
	"time"

	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/postgres/pgtest"
)

// TestReadyzFollowsTheDatabase: /readyz answers 503 while PostgreSQL is down
// and 200 again once it is back, without restarting yol.
func TestReadyzFollowsTheDatabase(t *testing.T) {
	ctx := context.Background()
	dir := pgtest.DataDir(t)
	c, err := postgres.StartCluster(ctx, dir, "yol")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Stop(context.Background()) })
	r := startServe(t, map[string]string{"DATABASE_URL": c.URL("yol"), "YOL_DATA_KEY": testKey(t)})
	if code, _ := get(t, "http://"+r.addr+"/readyz"); code != 200 {
		t.Fatalf("/readyz = %d before the outage, want 200", code)
	}
	if err := c.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if code, _ := get(t, "http://"+r.addr+"/readyz"); code != 503 {
		t.Errorf("/readyz = %d while the database is down, want 503", code)
	}
	if code, _ := get(t, "http://"+r.addr+"/healthz"); code != 200 {
		t.Errorf("/healthz = %d while the database is down, want 200 (the process is alive)", code)
	}
	c2, err := postgres.StartCluster(ctx, dir, "yol")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c2.Stop(context.Background()) })
	deadline := time.Now().Add(15 * time.Second)
	for {
		code, _ := get(t, "http://"+r.addr+"/readyz")
		if code == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz = %d 15s after the database came back", code)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
