package main

import (
	"context"
	"flag"
	"fmt"
	"sort"

	"github.com/yol-project/yol/bot/seal"
)

// keys runs `yol keys`: new prints a new data key, rotate reseals the
// stored values.
func (m *Main) keys(ctx context.Context, args []string) int {
	usage := func() int {
		fmt.Fprintln(m.Stderr, "Usage:\n  yol keys new [ID]   print a new random key for YOL_DATA_KEY\n"+
			"  yol keys rotate     re-seal every stored value with the first key of YOL_DATA_KEY\n\n"+
			"To rotate: put the new key first, YOL_DATA_KEY=\"k2:NEW,k1:OLD\"; restart yol serve; run yol keys rotate\n"+
			"(it works in small batches while yol serves); then remove k1 from YOL_DATA_KEY.")
		return 2
	}
	if len(args) == 0 {
		return usage()
	}
	switch args[0] {
	case "new":
		id := "k1"
		if len(args) > 1 {
			id = args[1]
		}
		k, err := seal.GenerateKey(id)
		if err == nil {
			_, err = seal.ParseKeyring(k) // validates the id
		}
		if err != nil {
			fmt.Fprintf(m.Stderr, "yol: %v\n", err)
			return 1
		}
		fmt.Fprintln(m.Stdout, k)
		return 0
	case "rotate":
		return m.rotate(ctx, args[1:])
	}
	return usage()
}

// rotate runs `yol keys rotate`: it reseals every stored value with the
// first key of YOL_DATA_KEY, in batches, and prints the counts.
func (m *Main) rotate(ctx context.Context, args []string) int {
	fl := flag.NewFlagSet("keys rotate", flag.ContinueOnError)
	fl.SetOutput(m.Stderr)
	batch := fl.Int("batch", 500, "rows re-sealed per transaction")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	cfg, ok := m.config()
	if !ok {
		return 2
	}
	log := newLogger(m.Stderr)
	keys, err := dataKey(cfg, false, log)
	if err != nil {
		fmt.Fprintf(m.Stderr, "yol: %v\n", err)
		return 1
	}
	db, ok := m.commandDB(ctx, cfg, keys, false)
	if !ok {
		return 1
	}
	defer db.close(context.WithoutCancel(ctx))
	counts, err := db.RotateKeys(ctx, *batch)
	names := make([]string, 0, len(counts))
	for n := range counts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(m.Stdout, "%-28s %d re-sealed\n", n, counts[n])
	}
	if err != nil {
		fmt.Fprintf(m.Stderr, "yol: %v\n", err)
		return 1
	}
	fmt.Fprintf(m.Stdout, "every value is sealed with key %q; older keys can be removed from YOL_DATA_KEY\n", keys.CurrentID())
	return 0
}
