package main

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/yol-project/yol/bot/metrics"
	"github.com/yol-project/yol/bot/postgres/pgtest"
)

// The database pool and the dead-letter bounds come from the environment,
// with defaults; bad values are named.
func TestConfigCapacity(t *testing.T) {
	tests := []struct {
		name       string
		env        map[string]string
		wantPool   int
		wantTries  int
		wantGiveUp time.Duration
		wantErr    string
	}{
		{"defaults", nil, 32, 5, 10 * time.Minute, ""},
		{"set", map[string]string{"YOL_DB_POOL": "48", "YOL_SEND_ATTEMPTS": "3", "YOL_SEND_GIVE_UP": "2m"}, 48, 3, 2 * time.Minute, ""},
		{"pool too small", map[string]string{"YOL_DB_POOL": "1"}, 0, 0, 0, "YOL_DB_POOL"},
		{"pool not a number", map[string]string{"YOL_DB_POOL": "many"}, 0, 0, 0, "YOL_DB_POOL"},
		{"attempts zero", map[string]string{"YOL_SEND_ATTEMPTS": "0"}, 0, 0, 0, "YOL_SEND_ATTEMPTS"},
		{"give up not a duration", map[string]string{"YOL_SEND_GIVE_UP": "10"}, 0, 0, 0, "YOL_SEND_GIVE_UP"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, errs := loadWith(tt.env, nil)
			if tt.wantErr != "" {
				if len(errs) != 1 || !strings.Contains(errs[0].Error(), tt.wantErr) {
					t.Fatalf("errors = %v, want one naming %s", errs, tt.wantErr)
				}
				return
			}
			if len(errs) != 0 {
				t.Fatalf("errors: %v", errs)
			}
			if c.DBPool != tt.wantPool || c.SendAttempts != tt.wantTries || c.SendGiveUp != tt.wantGiveUp {
				t.Errorf("got pool %d, attempts %d, give up %v; want %d, %d, %v", c.DBPool, c.SendAttempts, c.SendGiveUp,
					tt.wantPool, tt.wantTries, tt.wantGiveUp)
			}
		})
	}
}

// yol sizes its pool from YOL_DB_POOL (not from the number of CPUs), hands
// the dead-letter bounds to the store, and counts dead letters in a metric.
func TestAppCapacityWiring(t *testing.T) {
	ctx := context.Background()
	cfg, errs := loadWith(map[string]string{"DATABASE_URL": pgtest.URL(t), "YOL_DATA_KEY": testKey(t),
		"YOL_DB_POOL": "7", "YOL_SEND_ATTEMPTS": "2", "YOL_SEND_GIVE_UP": "1m"}, nil)
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	met := metrics.New()
	a, err := (&Main{}).openApp(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), met)
	if err != nil {
		t.Fatal(err)
	}
	defer a.close(ctx)
	if got := a.db.Pool.Config().MaxConns; got != 7 {
		t.Errorf("pool size = %d, want 7 (YOL_DB_POOL)", got)
	}
	if n, d := a.db.GiveUpAfter(); n != 2 || d != time.Minute {
		t.Errorf("GiveUpAfter = %d, %v; want 2, 1m", n, d)
	}
	if _, err := a.db.Pool.Exec(ctx, `INSERT INTO outbox (chat_enc, method, payload_enc, failed_at, dead_at) VALUES ('\x01', 'reply', '\x02', now(), now())`); err != nil {
		t.Fatal(err)
	}
	families, err := met.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range families {
		if f.GetName() == "yol_dead_letters" {
			found = true
			if v := f.GetMetric()[0].GetGauge().GetValue(); v != 1 {
				t.Errorf("yol_dead_letters = %v, want 1", v)
			}
		}
	}
	if !found {
		t.Error("no yol_dead_letters metric")
	}
}
