package main

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/editor"
	"github.com/yol-project/yol/bot/problem"
	"github.com/yol-project/yol/bot/web"
)

// check runs `yol check`: it validates a content pack and prints its
// problems, or a dialog as a Mermaid chart, and the translation coverage
// on request.
func (m *Main) check(ctx context.Context, args []string) int {
	fl := flag.NewFlagSet("check", flag.ContinueOnError)
	fl.SetOutput(m.Stderr)
	coverage := fl.Bool("coverage", false, "print translation coverage per language with its review status")
	graph := fl.String("graph", "", "print `DIALOG` as a Mermaid flowchart")
	stale := fl.Bool("stale", false, "also list the facts whose verified-on date is older than --stale-age")
	staleAge := fl.Duration("stale-age", editor.DefaultStaleAge, "how old a verified-on date may be with --stale")
	fl.Usage = func() {
		fmt.Fprintln(m.Stderr, "Usage: yol check [--coverage] [--stale [--stale-age 4320h]] [--graph DIALOG] [DIR]\n\n"+
			"Validates the content pack in DIR (a folder holding dialogs/, knowledge/ and locales/; default:\n"+
			"YOL_CONTENT_DIR, else the current folder when it has dialogs/, else the built-in pack).\n"+
			"Problems are printed as file:line: message; the exit status is 1 when there is any error.")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return 2
	}
	fsys, where := m.checkTarget(fl.Arg(0))
	c, probs := editor.CheckContent(fsys, web.MessageIDs...)
	if *graph != "" {
		if c == nil {
			fmt.Fprintln(m.Stderr, "yol: the content does not load; run yol check without --graph to see why")
			return 1
		}
		g, err := c.Dialogs.Mermaid(*graph)
		if err != nil {
			fmt.Fprintf(m.Stderr, "yol: %v\n", err)
			return 1
		}
		fmt.Fprintln(m.Stdout, g)
		return 0
	}
	if *stale && c != nil {
		probs = append(probs, editor.StaleFacts(fsys, c, time.Now(), *staleAge)...)
	}
	errs, warns := 0, 0
	for _, p := range probs {
		if p.Severity == problem.Warning {
			warns++
			fmt.Fprintf(m.Stdout, "%s: %s (warning)\n", p.Where(), p.Message)
		} else {
			errs++
			fmt.Fprintf(m.Stdout, "%s: %s\n", p.Where(), p.Message)
		}
	}
	if *coverage && c != nil {
		m.printCoverage(c)
	}
	fmt.Fprintf(m.Stdout, "checked %s: %d error(s), %d warning(s)\n", where, errs, warns)
	if errs > 0 || c == nil {
		return 1
	}
	return 0
}

// checkTarget returns the content pack to check and how to name it: arg,
// else YOL_CONTENT_DIR, else the current folder when it has dialogs/, else
// the built-in pack.
func (m *Main) checkTarget(arg string) (fs.FS, string) {
	dir := arg
	if dir == "" {
		dir = strings.TrimSpace(m.Getenv("YOL_CONTENT_DIR"))
	}
	if dir == "" {
		if fi, err := os.Stat("dialogs"); err == nil && fi.IsDir() {
			dir = "."
		}
	}
	if dir == "" {
		return embeddedPack(), "the built-in content"
	}
	abs, _ := filepath.Abs(dir)
	return os.DirFS(dir), abs
}

// printCoverage prints the translation coverage of each language and the
// texts each lacks.
func (m *Main) printCoverage(c *bot.Content) {
	fmt.Fprintln(m.Stdout, "\nTranslation coverage:")
	w := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "language\tname\tstatus\ttexts\tcoverage")
	for _, cv := range editor.TranslationCoverage(c) {
		pct := 100.0
		if cv.Total > 0 {
			pct = 100 * float64(cv.Have) / float64(cv.Total)
		}
		status := string(cv.Language.Status)
		if status == "needs_native_review" {
			status = "needs native review"
		}
		code := cv.Language.Code
		if cv.Part != "" { // the staff console's texts, in the staff languages
			code += " (" + cv.Part + ")"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%d/%d\t%.1f%%\n", code, cv.Language.Name, status, cv.Have, cv.Total, pct)
	}
	w.Flush()
	for _, cv := range editor.TranslationCoverage(c) {
		if len(cv.Missing) > 0 {
			fmt.Fprintf(m.Stdout, "missing in %s: %s\n", cv.Language.Code, strings.Join(cv.Missing, ", "))
		}
	}
}
