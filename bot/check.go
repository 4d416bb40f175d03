package bot

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/yol-project/yol/bot/dialog"
	"github.com/yol-project/yol/bot/locale"
)

// Finding is one problem `yol check` reports.
type Finding struct {
	Text    string // "file:line: what is wrong"
	Warning bool   // reported, but does not fail the check
}

// CheckContent validates a content pack as a whole: each part on its own
// (dialogs, knowledge, locales) and the links between them: every message
// ID used anywhere exists in every language, every action is one the
// Service provides, and the eligibility dialog asks every question of the
// knowledge with all its answers. Languages whose status is "incomplete"
// get warnings for missing texts instead of errors.
// extraIDs are message IDs other parts of the program render (the console's
// notices, for one).
func CheckContent(fsys fs.FS, extraIDs ...string) (*Content, []Finding) {
	c, probs := LoadContent(fsys)
	var out []Finding
	for _, p := range probs {
		out = append(out, Finding{Text: p, Warning: strings.Contains(p, "warning")})
	}
	if c == nil {
		return nil, out
	}
	texts := c.Texts
	var errLangs, warnLangs []string
	for _, l := range texts.Languages() {
		if l.Status == locale.StatusIncomplete {
			warnLangs = append(warnLangs, l.Code)
		} else {
			errLangs = append(errLangs, l.Code)
		}
	}
	missingIn := func(id string, langs []string) []string {
		var m []string
		for _, l := range langs {
			if !texts.Has(l, id) {
				m = append(m, l)
			}
		}
		return m
	}
	report := func(where, id string) {
		if m := missingIn(id, errLangs); len(m) > 0 {
			out = append(out, Finding{Text: fmt.Sprintf("%s: message %q is missing in %s", where, id, strings.Join(m, ", "))})
		}
		if m := missingIn(id, warnLangs); len(m) > 0 {
			out = append(out, Finding{Text: fmt.Sprintf("%s: message %q is missing in %s (incomplete languages)", where, id, strings.Join(m, ", ")), Warning: true})
		}
	}
	for _, p := range c.Dialogs.Check(dialog.Known{HasAction: func(name string) bool { return actions[name] != nil }}) {
		out = append(out, Finding{Text: p.String(), Warning: p.Severity != dialog.SeverityError})
	}
	seen := map[string]bool{}
	for _, m := range c.Dialogs.MessageIDs() {
		report(fmt.Sprintf("%s:%d", m.File, m.Line), m.ID)
		seen[m.ID] = true
		if m.Button {
			out = append(out, checkLabel(c, m)...)
		}
	}
	for _, m := range c.KB.MessageIDs() {
		report(fmt.Sprintf("%s:%d", m.File, m.Line), m.ID)
		seen[m.ID] = true
	}
	for _, id := range ServiceMessageIDs {
		report("bot/messages.go (used by the program)", id)
		seen[id] = true
	}
	for _, id := range extraIDs {
		report("used by the staff console", id)
		seen[id] = true
	}
	tests, tprobs := LoadConversationTests(fsys, path.Join(ContentDirs.Dialogs, "tests"))
	for _, p := range tprobs {
		out = append(out, Finding{Text: p})
	}
	fails, _ := RunConversationTests(context.Background(), c, tests)
	for _, f := range fails {
		out = append(out, Finding{Text: f.String()})
	}
	// Texts that a translation has but the source language lacks are stale.
	for _, l := range texts.Languages() {
		if l.Code == texts.Source() {
			continue
		}
		for id, ref := range texts.IDs(l.Code) {
			if !texts.Has(texts.Source(), id) {
				out = append(out, Finding{Text: fmt.Sprintf("%s:%d: message %q is not in the source language %s (renamed or removed?)", ref.File, ref.Line, id, texts.Source()), Warning: true})
			}
		}
	}
	out = append(out, checkScripts(texts)...)
	sort.SliceStable(out, func(i, j int) bool { return findingLess(out[i].Text, out[j].Text) })
	return c, out
}

// checkScripts warns about texts of a language written in another script
// (Persian, Arabic, Russian) that hold a run of Latin words: an English
// phrase left untranslated. Names and codes are allowed (see
// locale.LatinRun).
func checkScripts(texts *locale.Bundle) []Finding {
	var out []Finding
	for _, l := range texts.Languages() {
		if l.WrittenInLatin() {
			continue
		}
		for id, ref := range texts.IDs(l.Code) {
			for _, raw := range texts.Raw(l.Code, id) {
				if run := locale.LatinRun(templateless(raw)); run != "" {
					out = append(out, Finding{Text: fmt.Sprintf("%s:%d: message %q in %s holds Latin words %q: translate them (names and codes may stay)", ref.File, ref.Line, id, l.Code, run), Warning: true})
					break
				}
			}
		}
	}
	return out
}

// templateless drops {{...}} actions from a text as written.
func templateless(s string) string {
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			return s
		}
		j := strings.Index(s[i:], "}}")
		if j < 0 {
			return s[:i]
		}
		s = s[:i] + " " + s[i+j+2:]
	}
}

// Button label limits, in characters: a phone shows about this many on a
// full-width button before it cuts the label.
const (
	labelWarn  = 40
	labelError = 64
)

// checkLabel reports button labels too long for a phone screen.
func checkLabel(c *Content, m dialog.MessageRef) []Finding {
	var out []Finding
	for _, l := range c.Texts.Languages() {
		if !c.Texts.Has(l.Code, m.ID) {
			continue
		}
		n := utf8.RuneCountInString(c.Texts.Text(l.Code, m.ID, nil, nil))
		switch {
		case n > labelError:
			out = append(out, Finding{Text: fmt.Sprintf("%s:%d: button label %q is %d characters in %s; a phone shows about %d: shorten it", m.File, m.Line, m.ID, n, l.Code, labelWarn)})
		case n > labelWarn:
			out = append(out, Finding{Text: fmt.Sprintf("%s:%d: button label %q is %d characters in %s; a phone may cut it after about %d", m.File, m.Line, m.ID, n, l.Code, labelWarn), Warning: true})
		}
	}
	return out
}

// findingLess orders "file:line: ..." texts by file, then line number.
func findingLess(a, b string) bool {
	fa, la := fileLine(a)
	fb, lb := fileLine(b)
	if fa != fb {
		return fa < fb
	}
	if la != lb {
		return la < lb
	}
	return a < b
}

func fileLine(s string) (string, int) {
	file, rest, _ := strings.Cut(s, ":")
	n, _, _ := strings.Cut(rest, ":")
	line, err := strconv.Atoi(n)
	if err != nil {
		return file, 0
	}
	return file, line
}

// Coverage is one language's translation coverage.
type Coverage struct {
	Language locale.Language
	Have     int
	Total    int
	Missing  []string
}

// TranslationCoverage counts, for each language, how many of the message
// IDs the pack uses it has.
func TranslationCoverage(c *Content) []Coverage {
	ids := map[string]bool{}
	for _, m := range c.Dialogs.MessageIDs() {
		ids[m.ID] = true
	}
	for _, m := range c.KB.MessageIDs() {
		ids[m.ID] = true
	}
	for _, id := range ServiceMessageIDs {
		ids[id] = true
	}
	var out []Coverage
	for _, l := range c.Texts.Languages() {
		cov := Coverage{Language: l, Total: len(ids)}
		for id := range ids {
			if c.Texts.Has(l.Code, id) {
				cov.Have++
			} else {
				cov.Missing = append(cov.Missing, id)
			}
		}
		sort.Strings(cov.Missing)
		out = append(out, cov)
	}
	return out
}
