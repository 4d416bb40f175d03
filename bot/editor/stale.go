package editor

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/problem"
)

// DefaultStaleAge is how old a fact's "verified on" date may be before it is
// listed as stale (`yol check --stale`): about six months.
const DefaultStaleAge = 180 * 24 * time.Hour

// StaleFact is a fact whose "verified on" date is too old or missing.
type StaleFact struct {
	File       string // the knowledge file, e.g. "offices.yaml"
	Kind       string // pathway, document, article, office or hotline
	ID         string
	VerifiedOn string // as written; "" or not a date: missing
	Missing    bool   // no valid verified-on date
}

// Stale lists the facts of the pack (pathways with their fees and terms,
// documents, articles, offices with their addresses, phones and hours,
// help numbers) whose "verified on" date is older than age at now, or
// missing.
func Stale(c *bot.Content, now time.Time, age time.Duration) []StaleFact {
	var out []StaleFact
	cut := now.Add(-age)
	check := func(file, kind, id, verified string) {
		d, err := time.Parse("2006-01-02", verified)
		if err == nil && !d.Before(cut) {
			return
		}
		out = append(out, StaleFact{File: file, Kind: kind, ID: id, VerifiedOn: verified, Missing: err != nil})
	}
	kb := c.KB
	for _, x := range kb.Pathways() {
		check("pathways.yaml", "pathway", x.ID, x.VerifiedOn)
	}
	for _, x := range kb.Documents() {
		check("documents.yaml", "document", x.ID, x.VerifiedOn)
	}
	for _, x := range kb.Articles() {
		check("articles.yaml", "article", x.ID, x.VerifiedOn)
	}
	for _, x := range kb.Offices() {
		check("offices.yaml", "office", x.ID, x.VerifiedOn)
	}
	for _, x := range kb.Hotlines() {
		check("offices.yaml", "hotline", x.ID, x.VerifiedOn)
	}
	return out
}

// StaleFacts lists Stale's facts as warnings, each at its line in fsys
// (`yol check --stale`): somebody should check them against their
// sources again.
func StaleFacts(fsys fs.FS, c *bot.Content, now time.Time, age time.Duration) []problem.Problem {
	var out []problem.Problem
	what := map[string]string{"hotline": "help number"}
	for _, f := range Stale(c, now, age) {
		p := path.Join(bot.ContentDirs.Knowledge, f.File)
		kind := f.Kind
		if w, ok := what[kind]; ok {
			kind = w
		}
		msg := fmt.Sprintf("%s %q was verified on %s, more than %d days ago: check it against its sources again", kind, f.ID, f.VerifiedOn, int(age.Hours()/24))
		if f.Missing {
			msg = fmt.Sprintf("%s %q has no valid verified-on date (%q)", kind, f.ID, f.VerifiedOn)
		}
		out = append(out, problem.Problem{File: p, Line: lineOfID(fsys, p, f.ID), Severity: problem.Warning, Message: msg})
	}
	return out
}

// lineOfID finds the line of "id: <id>" in a file of fsys (0 when not
// found).
func lineOfID(fsys fs.FS, file, id string) int {
	b, err := fs.ReadFile(fsys, file)
	if err != nil {
		return 0
	}
	re := regexp.MustCompile(`^\s*-?\s*id:\s*"?` + regexp.QuoteMeta(id) + `"?\s*$`)
	for i, line := range strings.Split(string(b), "\n") {
		if re.MatchString(line) {
			return i + 1
		}
	}
	return 0
}
