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

// StaleFacts lists the facts of the pack (pathways with their fees and
// terms, documents, articles, offices with their addresses, phones and
// hours, help numbers) whose "verified on" date is older than age at now,
// or missing, each at its line in fsys, as warnings: somebody should check
// them against their sources again.
func StaleFacts(fsys fs.FS, c *bot.Content, now time.Time, age time.Duration) []problem.Problem {
	var out []problem.Problem
	cut := now.Add(-age)
	check := func(file, id, verified, what string) {
		p := path.Join(bot.ContentDirs.Knowledge, file)
		d, err := time.Parse("2006-01-02", verified)
		if err == nil && !d.Before(cut) {
			return
		}
		msg := fmt.Sprintf("%s %q was verified on %s, more than %d days ago: check it against its sources again", what, id, verified, int(age.Hours()/24))
		if err != nil {
			msg = fmt.Sprintf("%s %q has no valid verified-on date (%q)", what, id, verified)
		}
		out = append(out, problem.Problem{File: p, Line: lineOfID(fsys, p, id), Severity: problem.Warning, Message: msg})
	}
	kb := c.KB
	for _, x := range kb.Pathways() {
		check("pathways.yaml", x.ID, x.VerifiedOn, "pathway")
	}
	for _, x := range kb.Documents() {
		check("documents.yaml", x.ID, x.VerifiedOn, "document")
	}
	for _, x := range kb.Articles() {
		check("articles.yaml", x.ID, x.VerifiedOn, "article")
	}
	for _, x := range kb.Offices() {
		check("offices.yaml", x.ID, x.VerifiedOn, "office")
	}
	for _, x := range kb.Hotlines() {
		check("offices.yaml", x.ID, x.VerifiedOn, "help number")
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
