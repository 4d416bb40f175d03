package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/seal"
	"github.com/yol-project/yol/migrations"
)

// database is an open store plus, when yol started it, the private cluster.
type database struct {
	*postgres.DB
	cluster *postgres.Cluster
}

// close closes the pool, then stops a private cluster this process started.
func (d *database) close(ctx context.Context) error {
	d.DB.Close()
	if d.cluster != nil {
		return d.cluster.Stop(ctx)
	}
	return nil
}

// openDatabase connects to DATABASE_URL or, when it is unset, to the private
// cluster in the data directory (started if needed).
func openDatabase(ctx context.Context, cfg Config, keys *seal.Keyring, log *slog.Logger) (*database, error) {
	url := cfg.DatabaseURL
	var cluster *postgres.Cluster
	if url == "" {
		c, err := postgres.StartCluster(ctx, cfg.DataDir, "yol")
		if err != nil {
			return nil, err
		}
		cluster = c
		if c.Started() {
			log.Info("started a private PostgreSQL (DATABASE_URL is unset)", "dir", c.Dir, "port", c.Port)
		} else {
			log.Info("reusing a running private PostgreSQL", "dir", c.Dir, "port", c.Port)
		}
		url = c.URL("yol")
	}
	db, err := postgres.Open(ctx, url, keys, migrations.FS)
	if err != nil {
		if cluster != nil {
			cluster.Stop(context.WithoutCancel(ctx))
		}
		return nil, err
	}
	return &database{DB: db, cluster: cluster}, nil
}

// dataKey returns YOL_DATA_KEY or the key file in the data directory. When
// neither exists and create is true, a new key is generated into the file.
func dataKey(cfg Config, create bool, log *slog.Logger) (*seal.Keyring, error) {
	if cfg.DataKey != nil {
		return cfg.DataKey, nil
	}
	path := filepath.Join(cfg.DataDir, "data.key")
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && create {
		k, gerr := seal.GenerateKey("k1")
		if gerr != nil {
			return nil, gerr
		}
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return nil, fmt.Errorf("data key: %w", err)
		}
		if err := os.WriteFile(path, []byte(k+"\n"), 0o600); err != nil {
			return nil, fmt.Errorf("data key: %w", err)
		}
		log.Warn("generated a new data encryption key: back it up, without it the stored conversations cannot be read; in production set YOL_DATA_KEY", "file", path)
		b = []byte(k)
	} else if err != nil {
		return nil, fmt.Errorf("data key: YOL_DATA_KEY is unset and %s cannot be read: %w", path, err)
	}
	ring, err := seal.ParseKeyring(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, fmt.Errorf("data key in %s: %w", path, err)
	}
	return ring, nil
}

// commandDB opens the database for a one-shot command and either migrates it
// or checks that its schema is current. Problems are printed; ok is false
// then and there is nothing to close.
func (m *Main) commandDB(ctx context.Context, cfg Config, keys *seal.Keyring, migrate bool) (db *database, ok bool) {
	db, err := openDatabase(ctx, cfg, keys, newLogger(m.Stderr))
	if err == nil {
		if migrate {
			_, err = db.Migrate(ctx)
		} else {
			err = db.Ready(ctx)
		}
		if err != nil {
			db.close(context.WithoutCancel(ctx))
		}
	}
	if err != nil {
		fmt.Fprintf(m.Stderr, "yol: %v\n", err)
		return nil, false
	}
	return db, true
}
