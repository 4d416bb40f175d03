package main

import (
	"context"
	"flag"
	"fmt"
)

// migrate runs `yol migrate`: it applies the pending migrations and prints
// the schema version.
func (m *Main) migrate(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.Usage = func() {
		fmt.Fprintln(m.Stderr, "Usage: yol migrate\n\nApplies pending migrations to DATABASE_URL (or the private PostgreSQL) and exits.")
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg, ok := m.config()
	if !ok {
		return 2
	}
	log := newLogger(m.Stderr)
	db, err := openDatabase(ctx, cfg, nil, log)
	if err != nil {
		fmt.Fprintf(m.Stderr, "yol: %v\n", err)
		return 1
	}
	defer db.close(context.WithoutCancel(ctx))
	applied, err := db.Migrate(ctx)
	for _, a := range applied {
		fmt.Fprintf(m.Stdout, "applied %04d_%s\n", a.Version, a.Name)
	}
	if err != nil {
		fmt.Fprintf(m.Stderr, "yol: %v\n", err)
		return 1
	}
	st, err := db.Schema(ctx)
	if err != nil {
		fmt.Fprintf(m.Stderr, "yol: %v\n", err)
		return 1
	}
	fmt.Fprintf(m.Stdout, "schema at version %d\n", st.Applied)
	return 0
}
