package postgres_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/migrations"
)

// TestContentVersionsStoredAndPublished: a pack is stored once per
// checksum, its files come back as they went in, a path outside a pack is
// refused, exactly one version is live, and a publish reaches a listener
// at once.
func TestContentVersionsStoredAndPublished(t *testing.T) {
	db := pgtest.DB(t)
	ctx := context.Background()
	files := map[string][]byte{"dialogs/main.yaml": []byte("spec: 1\n"), "locales/dialogs.en.yaml": []byte("a: \"b\"\n")}
	if _, err := db.LiveContent(ctx); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("live on a new database: %v, want ErrNotFound", err)
	}
	id, existed, err := db.PushContent(ctx, files, "nigar", "first", 0)
	if err != nil || existed {
		t.Fatalf("push: %d %v %v", id, existed, err)
	}
	if again, existed, _ := db.PushContent(ctx, files, "someone", "", 0); again != id || !existed {
		t.Errorf("the same pack stored twice: %d %v", again, existed)
	}
	if _, _, err := db.PushContent(ctx, map[string][]byte{"../etc/passwd.yaml": []byte("x")}, "x", "", 0); err == nil {
		t.Errorf("a path outside a pack was stored")
	}
	got, err := db.ContentFiles(ctx, id)
	if err != nil || len(got) != 2 || string(got["locales/dialogs.en.yaml"]) != "a: \"b\"\n" {
		t.Fatalf("files: %v %v", got, err)
	}
	files["locales/dialogs.en.yaml"] = []byte("a: \"c\"\n")
	id2, _, err := db.PushContent(ctx, files, "nigar", "second", id)
	if err != nil || id2 == id {
		t.Fatalf("a changed pack: %d %v", id2, err)
	}
	var seen atomic.Int32
	lctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { db.ListenContent(lctx, time.Hour, func() { seen.Add(1) }); close(done) }()
	time.Sleep(200 * time.Millisecond) // the listener is connected
	for _, v := range []int64{id, id2} {
		if err := db.PublishContent(ctx, v, "nigar"); err != nil {
			t.Fatal(err)
		}
		if live, _ := db.LiveContent(ctx); live != v {
			t.Errorf("live = %d, want %d", live, v)
		}
	}
	deadline := time.Now().Add(3 * time.Second)
	for seen.Load() < 2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	<-done
	if seen.Load() < 2 {
		t.Errorf("the listener saw %d publishes, want 2", seen.Load())
	}
	if err := db.PublishContent(ctx, 999, "x"); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("publishing a missing version: %v", err)
	}
	vs, err := db.ContentVersions(ctx, 10)
	if err != nil || len(vs) != 2 || !vs[0].Live || vs[1].Live || vs[0].Parent != id || vs[0].Files != 2 {
		t.Errorf("versions: %+v %v", vs, err)
	}
	var audits int
	db.Pool.QueryRow(ctx, "SELECT count(*) FROM audit_log WHERE action IN ('content.push', 'content.publish')").Scan(&audits)
	if audits != 4 {
		t.Errorf("audit rows = %d, want 2 pushes and 2 publishes", audits)
	}
}

// Migration 0011 on a database that holds cases: they stay, and no
// content is live until the first start stores the built-in pack.
func TestMigration0011KeepsData(t *testing.T) {
	ctx := context.Background()
	pool := emptyPool(t)
	if _, err := postgres.Migrate(ctx, pool, migrationsUpTo(t, 10)); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO referrals (code, department) VALUES ('AAA-0001', 'baku_central')`); err != nil {
		t.Fatal(err)
	}
	applied, err := postgres.Migrate(ctx, pool, migrations.FS)
	if err != nil || len(applied) == 0 || applied[0].Version != 11 {
		t.Fatalf("migrate up: %v %v", applied, err)
	}
	var cases, live int
	pool.QueryRow(ctx, "SELECT (SELECT count(*) FROM referrals), (SELECT count(*) FROM content_live)").Scan(&cases, &live)
	if cases != 1 || live != 0 {
		t.Errorf("after 0011: %d cases, %d live; want 1 and 0", cases, live)
	}
}

// TestApprovalsAndTextReviews: a version is approved by someone other than
// its author only; a text review holds the text it read; both audited; and
// migration 0012 applies on a database that already holds versions.
func TestApprovalsAndTextReviews(t *testing.T) {
	ctx := context.Background()
	pool := emptyPool(t)
	if _, err := postgres.Migrate(ctx, pool, migrationsUpTo(t, 11)); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO content_versions (author, checksum) VALUES ('built-in', 'x')`); err != nil {
		t.Fatal(err)
	}
	if _, err := postgres.Migrate(ctx, pool, migrations.FS); err != nil {
		t.Fatalf("migrate to 12 with a version stored: %v", err)
	}
	db := pgtest.DB(t)
	id, _, err := db.PushContent(ctx, map[string][]byte{"dialogs/main.yaml": []byte("spec: 1\n")}, "nigar", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ApproveContent(ctx, id, "nigar", 0); !errors.Is(err, postgres.ErrSelfApproval) {
		t.Errorf("self-approval: %v, want ErrSelfApproval", err)
	}
	if err := db.ApproveContent(ctx, id, "rauf", 0); err != nil {
		t.Fatal(err)
	}
	if err := db.ApproveContent(ctx, 999, "rauf", 0); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("a missing version: %v", err)
	}
	vs, _ := db.ContentVersions(ctx, 5)
	if len(vs) == 0 || vs[0].ApprovedBy != "rauf" {
		t.Errorf("versions: %+v", vs)
	}
	if err := db.ReviewText(ctx, "fa", "common.back", "بازگشت", "leyla", 0); err != nil {
		t.Fatal(err)
	}
	rs, err := db.TextReviews(ctx, "fa")
	if err != nil || rs["common.back"].Reviewer != "leyla" || rs["common.back"].TextSHA != bot.TextSHA("بازگشت") {
		t.Errorf("reviews: %+v %v", rs, err)
	}
	if rs, _ := db.TextReviews(ctx, "ru"); len(rs) != 0 {
		t.Errorf("another language's reviews: %v", rs)
	}
}
