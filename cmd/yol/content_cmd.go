package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"text/tabwriter"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/editor"
	"github.com/yol-project/yol/bot/problem"
	"github.com/yol-project/yol/bot/web"
)

const contentUsage = `Usage: yol content list
       yol content push [--author NAME] [--note TEXT] [DIR]
       yol content publish [--by NAME] ID
       yol content export ID DIR

Content versions are whole packs (dialogs, knowledge, locales) stored in the
database; exactly one is live, and every yol serve switches to it within
seconds of a publish (unless it runs with YOL_CONTENT_DIR, for development).

push     stores DIR (default: the built-in pack) as a new draft version.
publish  checks a version as yol check does, conversation tests included, and
         makes it live when it has no error. Publishing an earlier version is
         a rollback.
export   writes a version's files to DIR, in the layout of the repository.`

// content manages content versions: `yol content`.
func (m *Main) content(ctx context.Context, args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(m.Stderr, contentUsage)
		return 2
	}
	fl := flag.NewFlagSet("content "+args[0], flag.ContinueOnError)
	fl.SetOutput(m.Stderr)
	author := fl.String("author", "", "who made the version (default: $USER)")
	by := fl.String("by", "", "who publishes it (default: $USER)")
	note := fl.String("note", "", "what changed, for the list")
	if err := fl.Parse(args[1:]); err != nil {
		return 2
	}
	rest := fl.Args()
	// How many arguments each subcommand takes, at least and at most.
	want, known := map[string][2]int{"list": {0, 0}, "push": {0, 1}, "publish": {1, 1}, "export": {2, 2}}[args[0]]
	if !known || len(rest) < want[0] || len(rest) > want[1] {
		fmt.Fprintln(m.Stderr, contentUsage)
		return 2
	}
	var id int64
	if args[0] == "publish" || args[0] == "export" {
		n, err := strconv.ParseInt(rest[0], 10, 64)
		if err != nil || n <= 0 {
			fmt.Fprintf(m.Stderr, "yol content %s: %q is not a version number (see yol content list)\n", args[0], rest[0])
			return 2
		}
		id = n
	}
	cfg, ok := m.config()
	if !ok {
		return 2
	}
	db, ok := m.commandDB(ctx, cfg, nil, true)
	if !ok {
		return 1
	}
	defer db.close(context.WithoutCancel(ctx))
	user := m.Getenv("USER")
	if user == "" {
		user = "yol"
	}
	switch args[0] {
	case "list":
		vs, err := db.ContentVersions(ctx, 50)
		if err != nil {
			fmt.Fprintf(m.Stderr, "yol: %v\n", err)
			return 1
		}
		w := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tLIVE\tCREATED\tAUTHOR\tFILES\tNOTE")
		for _, v := range vs {
			live := ""
			if v.Live {
				live = "live"
			}
			fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%d\t%s\n", v.ID, live, v.CreatedAt.Format("2006-01-02 15:04"), v.Author, v.Files, v.Note)
		}
		w.Flush()
		return 0
	case "push":
		fsys := embeddedPack()
		if len(rest) == 1 {
			fsys = os.DirFS(rest[0])
		}
		files, err := bot.PackFiles(fsys)
		if err != nil || len(files) == 0 {
			fmt.Fprintf(m.Stderr, "yol: no content pack there (dialogs/, knowledge/ and locales/ with *.yaml files): %v\n", err)
			return 1
		}
		if *author == "" {
			*author = user
		}
		live, _ := db.LiveContent(ctx)
		id, existed, err := db.PushContent(ctx, files, *author, *note, live)
		if err != nil {
			fmt.Fprintf(m.Stderr, "yol: %v\n", err)
			return 1
		}
		if existed {
			fmt.Fprintf(m.Stdout, "the same pack is version %d already\n", id)
			return 0
		}
		fmt.Fprintf(m.Stdout, "stored %d files as draft version %d; check and publish it with: yol content publish %d\n", len(files), id, id)
		return 0
	case "export":
		files, ok := m.versionFiles(ctx, db, id)
		if !ok {
			return 1
		}
		for p, b := range files {
			dst := filepath.Join(rest[1], filepath.FromSlash(p))
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				fmt.Fprintf(m.Stderr, "yol: %v\n", err)
				return 1
			}
			if err := os.WriteFile(dst, b, 0o644); err != nil {
				fmt.Fprintf(m.Stderr, "yol: %v\n", err)
				return 1
			}
		}
		fmt.Fprintf(m.Stdout, "wrote the %d files of version %d to %s\n", len(files), id, rest[1])
		return 0
	}
	// publish
	files, ok := m.versionFiles(ctx, db, id)
	if !ok {
		return 1
	}
	c, probs := editor.CheckContent(bot.PackFS(files), web.MessageIDs...)
	if c == nil || problem.HasErrors(probs) {
		fmt.Fprintf(m.Stderr, "yol: version %d has errors; it is not published:\n  %s\n", id, problemLines(probs))
		return 1
	}
	if *by == "" {
		*by = user
	}
	if err := db.PublishContent(ctx, id, *by); err != nil {
		fmt.Fprintf(m.Stderr, "yol: %v\n", err)
		return 1
	}
	fmt.Fprintf(m.Stdout, "version %d is live (content %s); every yol serve switches to it within seconds\n", id, c.Version)
	return 0
}

// versionFiles reads the files of content version id; on failure it has
// said why.
func (m *Main) versionFiles(ctx context.Context, db *database, id int64) (map[string][]byte, bool) {
	files, err := db.ContentFiles(ctx, id)
	if errors.Is(err, bot.ErrNotFound) {
		fmt.Fprintf(m.Stderr, "yol: there is no content version %d\n", id)
		return nil, false
	}
	if err != nil {
		fmt.Fprintf(m.Stderr, "yol: %v\n", err)
		return nil, false
	}
	return files, true
}
