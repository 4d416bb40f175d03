package editor

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/yol-project/yol/bot"

	"github.com/yol-project/yol/bot/dialog"
	"github.com/yol-project/yol/bot/kb"
	"github.com/yol-project/yol/bot/locale"
	"github.com/yol-project/yol/bot/problem"
)

// CheckContent validates a content pack as a whole: each part on its own
// (dialogs, knowledge, locales) and the links between them: every message
// ID used anywhere exists in every language, every action is one the
// Service provides, every command and language the knowledge names
// (search intents, the command menu, the official language, search words)
// is one the pack has, and the pack has its settings. It runs the pack's
// conversation tests too. Languages whose status is "incomplete" get
// warnings for missing texts instead of errors.
// extraIDs are message IDs other parts of the program render (the console's
// notices, for one). The problems come sorted by file and line.
func CheckContent(fsys fs.FS, extraIDs ...string) (*bot.Content, []problem.Problem) {
	c, out := bot.LoadPack(fsys)
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
	report := func(file string, line int, id string) {
		if m := missingIn(id, errLangs); len(m) > 0 {
			out = append(out, problem.Problem{File: file, Line: line, Message: fmt.Sprintf("message %q is missing in %s", id, strings.Join(m, ", "))})
		}
		if m := missingIn(id, warnLangs); len(m) > 0 {
			out = append(out, problem.Problem{File: file, Line: line, Severity: problem.Warning,
				Message: fmt.Sprintf("message %q is missing in %s (incomplete languages)", id, strings.Join(m, ", "))})
		}
	}
	out = append(out, c.Dialogs.Check(dialog.Known{HasAction: func(name string) bool { return bot.HasAction(name) }})...)
	for _, m := range c.Dialogs.MessageIDs() {
		report(m.File, m.Line, m.ID)
		if m.Button {
			out = append(out, checkLabel(c, m)...)
		}
	}
	for _, m := range c.KB.MessageIDs() {
		report(m.File, m.Line, m.ID)
	}
	for _, m := range c.Settings.CommandMenu {
		report(settingsFile(), m.Line, m.Description)
	}
	for _, id := range bot.ServiceMessageIDs {
		report("bot/messages.go (used by the program)", 0, id)
	}
	for _, id := range extraIDs {
		report("used by the staff console", 0, id)
	}
	out = append(out, checkSettings(fsys, c)...)
	tests, tprobs := LoadConversationTests(fsys, path.Join(bot.ContentDirs.Dialogs, "tests"))
	out = append(out, tprobs...)
	fails, _ := RunConversationTests(context.Background(), c, tests)
	for _, f := range fails {
		out = append(out, f.Problem())
	}
	// Texts that a translation has but the source language lacks are stale.
	for _, l := range texts.Languages() {
		if l.Code == texts.Source() {
			continue
		}
		for id, ref := range texts.IDs(l.Code) {
			if !texts.Has(texts.Source(), id) {
				out = append(out, problem.Problem{File: ref.File, Line: ref.Line, Severity: problem.Warning,
					Message: fmt.Sprintf("message %q is not in the source language %s (renamed or removed?)", id, texts.Source())})
			}
		}
	}
	out = append(out, checkScripts(texts)...)
	out = append(out, checkConsole(texts, c.Settings.StaffLanguages)...)
	slices.SortStableFunc(out, problem.Compare)
	return c, out
}

// settingsFile is where a pack's settings are.
func settingsFile() string { return path.Join(bot.ContentDirs.Knowledge, kb.FileSettings) }

// checkSettings checks what the knowledge names outside itself: the pack
// has its settings, and every command (search intents, the command menu)
// is a command of the dialogs and every language one of the pack's.
func checkSettings(fsys fs.FS, c *bot.Content) []problem.Problem {
	var out []problem.Problem
	if _, err := fs.Stat(fsys, settingsFile()); err != nil {
		out = append(out, problem.Problem{File: settingsFile(), Message: "missing: a pack names its country, official language, " +
			"time zone, currency and command menu here (see the default pack's)"})
	}
	commands := map[string]bool{}
	for _, cmd := range c.Dialogs.Commands() {
		commands[cmd[0]] = true
	}
	for _, r := range c.KB.CommandRefs() {
		if !commands[r.Command] {
			out = append(out, problem.Problem{File: r.File, Line: r.Line,
				Message: fmt.Sprintf("no command /%s in the dialogs (commands: in %s/*.yaml)", r.Command, bot.ContentDirs.Dialogs)})
		}
	}
	var langs []string
	for _, l := range c.Texts.Languages() {
		langs = append(langs, l.Code)
	}
	for _, r := range c.KB.LanguageRefs() {
		if c.Texts.Language(r.Lang) == nil {
			out = append(out, problem.Problem{File: r.File, Line: r.Line,
				Message: fmt.Sprintf("language %q is not one of the pack's (%s in %s/languages.yaml)", r.Lang, strings.Join(langs, ", "), bot.ContentDirs.Locales)})
		}
	}
	return out
}

// checkScripts warns about texts of a language written in another script
// (Persian, Arabic, Russian) that hold a run of Latin words: an English
// phrase left untranslated. Names and codes are allowed (see
// locale.LatinRun).
func checkScripts(texts *locale.Bundle) []problem.Problem {
	var out []problem.Problem
	for _, l := range texts.Languages() {
		if l.WrittenInLatin() {
			continue
		}
		for id, ref := range texts.IDs(l.Code) {
			for _, raw := range texts.Raw(l.Code, id) {
				if run := locale.LatinRun(templateless(raw)); run != "" {
					out = append(out, problem.Problem{File: ref.File, Line: ref.Line, Severity: problem.Warning,
						Message: fmt.Sprintf("message %q in %s holds Latin words %q: translate them (names and codes may stay)", id, l.Code, run)})
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
func checkLabel(c *bot.Content, m dialog.MessageRef) []problem.Problem {
	var out []problem.Problem
	for _, l := range c.Texts.Languages() {
		if !c.Texts.Has(l.Code, m.ID) {
			continue
		}
		n := utf8.RuneCountInString(c.Texts.Text(l.Code, m.ID, nil, nil))
		switch {
		case n > labelError:
			out = append(out, problem.Problem{File: m.File, Line: m.Line,
				Message: fmt.Sprintf("button label %q is %d characters in %s; a phone shows about %d: shorten it", m.ID, n, l.Code, labelWarn)})
		case n > labelWarn:
			out = append(out, problem.Problem{File: m.File, Line: m.Line, Severity: problem.Warning,
				Message: fmt.Sprintf("button label %q is %d characters in %s; a phone may cut it after about %d", m.ID, n, l.Code, labelWarn)})
		}
	}
	return out
}

// checkConsole reports every text of the staff console (console.* of the
// source language) missing in a staff language (the settings'
// staff_languages) the pack has, at the source text's line. (A pack without a staff language
// shows the console in English there; one without console texts at all
// gets the built-in pack's.)
func checkConsole(texts *locale.Bundle, staffLanguages []string) []problem.Problem {
	var out []problem.Problem
	var langs []string
	for _, l := range staffLanguages {
		if l != texts.Source() && texts.Language(l) != nil {
			langs = append(langs, l)
		}
	}
	for id, ref := range texts.IDs(texts.Source()) {
		if !strings.HasPrefix(id, bot.ConsoleTextPrefix) {
			continue
		}
		var missing []string
		for _, l := range langs {
			if !texts.Has(l, id) {
				missing = append(missing, l)
			}
		}
		if len(missing) > 0 {
			out = append(out, problem.Problem{File: ref.File, Line: ref.Line,
				Message: fmt.Sprintf("console text %q is missing in %s (staff languages: the console shows it in English)", id, strings.Join(missing, ", "))})
		}
	}
	return out
}

// Coverage is one language's translation coverage of one part: the
// person's side (Part "") or the staff console (Part "console", counted in
// the staff languages only).
type Coverage struct {
	Language locale.Language
	Part     string
	Have     int
	Total    int
	Missing  []string
}

// TranslationCoverage counts, for each language, how many of the message
// IDs the pack uses it has (console.* texts apart: they are counted after,
// for the staff languages only).
func TranslationCoverage(c *bot.Content) []Coverage {
	ids := map[string]bool{}
	for _, m := range c.Dialogs.MessageIDs() {
		ids[m.ID] = true
	}
	for _, m := range c.KB.MessageIDs() {
		ids[m.ID] = true
	}
	for _, m := range c.Settings.CommandMenu {
		ids[m.Description] = true
	}
	for _, id := range bot.ServiceMessageIDs {
		ids[id] = true
	}
	console := map[string]bool{}
	for id := range ids {
		if strings.HasPrefix(id, bot.ConsoleTextPrefix) {
			delete(ids, id)
		}
	}
	for id := range c.Texts.IDs(c.Texts.Source()) {
		if strings.HasPrefix(id, bot.ConsoleTextPrefix) {
			console[id] = true
		}
	}
	count := func(l locale.Language, part string, ids map[string]bool) Coverage {
		cov := Coverage{Language: l, Part: part, Total: len(ids)}
		for id := range ids {
			if c.Texts.Has(l.Code, id) {
				cov.Have++
			} else {
				cov.Missing = append(cov.Missing, id)
			}
		}
		sort.Strings(cov.Missing)
		return cov
	}
	var out []Coverage
	for _, l := range c.Texts.Languages() {
		out = append(out, count(l, "", ids))
	}
	for _, code := range c.Settings.StaffLanguages {
		if l := c.Texts.Language(code); l != nil {
			out = append(out, count(*l, "console", console))
		}
	}
	return out
}
