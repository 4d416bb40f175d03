package telegram

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/bot/telegram/telegramtest"
	"github.com/yol-project/yol/migrations"
)

// PostgreSQL stops during load and comes back: the channel recovers by
// itself, every update is handled once and every reply sent, in order.
func TestPostgresRestartRecovers(t *testing.T) {
	ctx := context.Background()
	dir := pgtest.DataDir(t)
	cluster, err := postgres.StartCluster(ctx, dir, "yol")
	if err != nil {
		t.Fatalf("cannot start a private PostgreSQL: %v", err)
	}
	t.Cleanup(func() { cluster.Stop(context.Background()) })
	db, err := postgres.Open(ctx, cluster.URL("yol"), pgtest.Keys(t), migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	fake := telegramtest.New(t)
	rec := newRecorder(realService(t, db))
	r := start(t, fake, rec, db, nil)

	chats := []int64{21, 22, 23, 24, 25}
	for _, c := range chats {
		fake.Text(c, "/start")
	}
	waitFor(t, "first round committed", 20*time.Second, func() bool {
		return count(t, db, "SELECT count(*) FROM inbound_updates") == len(chats)
	})
	if err := cluster.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	var last int64
	for _, c := range chats {
		fake.Text(c, "/help")
		last = fake.Text(c, "/menu")
	}
	time.Sleep(1500 * time.Millisecond)
	if c := fake.Confirmed(); c > last {
		t.Fatalf("updates acknowledged while the database was down")
	}
	if cluster, err = postgres.StartCluster(ctx, dir, "yol"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			var n, pending int
			err := db.Pool.QueryRow(ctx, "SELECT (SELECT count(*) FROM inbound_updates), (SELECT count(*) FROM outbox WHERE sent_at IS NULL)").Scan(&n, &pending)
			t.Logf("updates %d, pending %d (%v), confirmed %d, last %d", n, pending, err, fake.Confirmed(), last)
			logs := r.logs.String()
			if len(logs) > 6000 {
				logs = logs[len(logs)-6000:]
			}
			t.Logf("logs:\n%s", logs)
		}
	})
	waitFor(t, "everything committed and sent after the restart", 30*time.Second, func() bool {
		var n, pending int
		if db.Pool.QueryRow(ctx, "SELECT (SELECT count(*) FROM inbound_updates), (SELECT count(*) FROM outbox WHERE sent_at IS NULL)").Scan(&n, &pending) != nil {
			return false
		}
		return n == 3*len(chats) && pending == 0
	})
	r.stop(t)
	for id, n := range rec.handled {
		if n != 1 {
			t.Errorf("update %d handled %d times", id, n)
		}
	}
	for _, c := range chats {
		if got, want := gotCalls(fake, c), expectedCalls(c, rec.repliesOf(c)); !slices.Equal(got, want) {
			t.Errorf("chat %d: sent %q, want %q", c, got, want)
		}
	}
	if fake.Confirmed() != last+1 {
		t.Errorf("offset: got %d, want %d", fake.Confirmed(), last+1)
	}
}
