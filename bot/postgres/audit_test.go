package postgres_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/bot/staff"
)

// TestAuditOnce: callers at once write one entry; another account, action
// or detail is another entry; an entry older than since does not count.
func TestAuditOnce(t *testing.T) {
	ctx := context.Background()
	db := pgtest.DB(t)
	a := &staff.Account{Login: "eda", Name: "Eda", Role: staff.RoleEditor, PasswordHash: "$argon2id$z"}
	b := &staff.Account{Login: "ada", Name: "Ada", Role: staff.RoleAdmin, PasswordHash: "$argon2id$z"}
	for _, acc := range []*staff.Account{a, b} {
		if err := db.CreateAccount(ctx, acc, 0); err != nil {
			t.Fatal(err)
		}
	}
	entry := func(id int64, action, version string) staff.AuditEntry {
		return staff.AuditEntry{StaffID: id, Action: action, Detail: map[string]string{"version": version}}
	}
	hourAgo := time.Now().Add(-time.Hour)
	var wg sync.WaitGroup
	var mu sync.Mutex
	added := 0
	for range 8 {
		wg.Go(func() {
			ok, err := db.AuditOnce(ctx, entry(a.ID, "content.simulate", "2"), hourAgo)
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				added++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if added != 1 {
		t.Errorf("8 callers at once: got %d added, want 1", added)
	}
	for _, tc := range []struct {
		name  string
		e     staff.AuditEntry
		since time.Time
		want  bool
	}{
		{"the same within the hour", entry(a.ID, "content.simulate", "2"), hourAgo, false},
		{"another version", entry(a.ID, "content.simulate", "3"), hourAgo, true},
		{"another account", entry(b.ID, "content.simulate", "2"), hourAgo, true},
		{"another action", entry(a.ID, "content.push", "2"), hourAgo, true},
		{"the same, since after it", entry(a.ID, "content.simulate", "2"), time.Now().Add(time.Minute), true},
	} {
		got, err := db.AuditOnce(ctx, tc.e, tc.since)
		if err != nil || got != tc.want {
			t.Errorf("%s: got added %v (%v), want %v", tc.name, got, err, tc.want)
		}
	}
	log, err := db.AuditLog(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range log {
		if e.Action == "content.simulate" || e.Action == "content.push" {
			n++
		}
	}
	if n != 5 {
		t.Errorf("entries written: got %d, want 5", n)
	}
}
