package editor

import (
	"bytes"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/kb"
)

// What a draft changes, and whether that needs a second person's approval
// (issue #15): a draft that changes legal text (a message id starting with
// one of the pack's legal_texts prefixes, knowledge/settings.yaml), a fact
// (any knowledge file but the search words) or a dialog needs it; a draft
// that changes only other texts or the search words does not.

// TextChange is one text of one language that a draft changes; Old is ""
// for a text the language did not have, New "" for one it dropped.
type TextChange struct {
	Lang, ID, Old, New string
	Legal              bool // the text is legal text
}

// FileChange is a file of the pack other than a locale file that a draft
// changes, with the lines it removed and added.
type FileChange struct {
	Path         string
	Removed      []string
	Added        []string
	NeedApproval bool // a fact or a dialog; false for the search words
}

// MarkChange is a fact whose unconfirmed mark a draft sets or clears:
// the bot starts or stops saying "not confirmed yet" after it. In a fact
// written on one line (a fee) the line diff alone hides it.
type MarkChange struct {
	Fact Fact // the fact as the draft has it
	Set  bool // marked unconfirmed; false: the mark cleared
}

// Changes is what a draft changes against the version it was made from.
type Changes struct {
	Texts []TextChange
	Files []FileChange
	Marks []MarkChange
}

// NeedsApproval reports whether the changes need a second person's
// approval before they are published.
func (c Changes) NeedsApproval() bool {
	for _, t := range c.Texts {
		if t.Legal {
			return true
		}
	}
	for _, f := range c.Files {
		if f.NeedApproval {
			return true
		}
	}
	return false
}

// Diff returns what draft changes against parent (both a pack's files by
// path). The legal prefixes are the draft's own; a draft whose settings
// cannot be read counts every text as legal.
func Diff(parent, draft map[string][]byte) Changes {
	legal, ok := legalPrefixes(draft)
	var c Changes
	paths := slices.Sorted(maps.Keys(merge(parent, draft)))
	for _, p := range paths {
		old, neu := parent[p], draft[p]
		if bytes.Equal(old, neu) {
			continue
		}
		if lang, isLocale := localeLang(p); isLocale {
			oldT, errO := flatTexts(old)
			newT, errN := flatTexts(neu)
			if errO != nil || errN != nil {
				c.Files = append(c.Files, lineChange(p, old, neu, true))
				continue
			}
			for _, id := range slices.Sorted(maps.Keys(merge(oldT, newT))) {
				if oldT[id] != newT[id] {
					c.Texts = append(c.Texts, TextChange{Lang: lang, ID: id, Old: oldT[id], New: newT[id], Legal: !ok || isLegal(id, legal)})
				}
			}
			continue
		}
		c.Files = append(c.Files, lineChange(p, old, neu, p != searchFile))
	}
	if slices.ContainsFunc(c.Files, func(f FileChange) bool { return strings.HasPrefix(f.Path, bot.ContentDirs.Knowledge+"/") }) {
		c.Marks = markChanges(parent, draft)
	}
	return c
}

// markChanges lists the facts whose unconfirmed mark draft sets or clears
// against parent (none when either's facts cannot be read).
func markChanges(parent, draft map[string][]byte) []MarkChange {
	before, err := Facts(parent)
	if err != nil {
		return nil
	}
	after, err := Facts(draft)
	if err != nil {
		return nil
	}
	was := map[string]bool{}
	for _, f := range before {
		was[markIdentity(f)] = f.Unconfirmed
	}
	var out []MarkChange
	for _, f := range after {
		if w, ok := was[markIdentity(f)]; ok && w != f.Unconfirmed {
			out = append(out, MarkChange{Fact: f, Set: f.Unconfirmed})
		}
	}
	return out
}

// markIdentity names a fact across versions: a fee's key holds its place
// in its owner's list, which a draft may change by adding or removing a
// fee, so fees and fines go by their owner and label.
func markIdentity(f Fact) string {
	if f.Kind == FactFee || f.Kind == FactFine {
		return strings.Join([]string{f.Kind, f.File, f.Owner, f.Label}, "|")
	}
	return f.Key
}

// merge returns the union of the keys of a and b (values of b win).
func merge[V any](a, b map[string]V) map[string]V {
	out := maps.Clone(a)
	if out == nil {
		out = map[string]V{}
	}
	maps.Copy(out, b)
	return out
}

// legalPrefixes reads the legal_texts prefixes of a pack's settings.
func legalPrefixes(files map[string][]byte) ([]string, bool) {
	var s kb.Settings
	b, found := files[path.Join(bot.ContentDirs.Knowledge, kb.FileSettings)]
	if !found || yaml.Unmarshal(b, &s) != nil {
		return nil, false
	}
	return s.LegalTexts, true
}

// isLegal reports whether message id is legal text.
func isLegal(id string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(id, p) {
			return true
		}
	}
	return false
}

// localeLang returns the language of a locale file's path.
func localeLang(p string) (string, bool) {
	rest, ok := strings.CutPrefix(p, bot.ContentDirs.Locales+"/")
	if !ok || strings.Contains(rest, "/") || !strings.HasSuffix(rest, ".yaml") {
		return "", false
	}
	parts := strings.Split(strings.TrimSuffix(rest, ".yaml"), ".")
	if len(parts) != 2 || !validLang(parts[1]) {
		return "", false
	}
	return parts[1], true
}

// flatTexts reads a locale file into id → text; a text with plural forms
// reads as its forms, one "form: text" a line.
func flatTexts(b []byte) (map[string]string, error) {
	out := map[string]string{}
	if len(b) == 0 {
		return out, nil
	}
	var raw map[string]any
	if err := yaml.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("read locale file: %w", err)
	}
	for id, v := range raw {
		switch v := v.(type) {
		case string:
			out[id] = v
		case map[string]any:
			var lines []string
			for _, form := range slices.Sorted(maps.Keys(v)) {
				lines = append(lines, fmt.Sprintf("%s: %v", form, v[form]))
			}
			out[id] = strings.Join(lines, "\n")
		default:
			out[id] = fmt.Sprint(v)
		}
	}
	return out, nil
}

// lineChange lists the lines of old missing from neu and those of neu
// missing from old (a readable diff of a fact or dialog file).
func lineChange(p string, old, neu []byte, needApproval bool) FileChange {
	count := func(b []byte) map[string]int {
		m := map[string]int{}
		for _, l := range strings.Split(string(b), "\n") {
			m[l]++
		}
		return m
	}
	o, n := count(old), count(neu)
	fc := FileChange{Path: p, NeedApproval: needApproval}
	for _, l := range strings.Split(string(old), "\n") {
		if n[l] > 0 {
			n[l]--
			continue
		}
		if strings.TrimSpace(l) != "" {
			fc.Removed = append(fc.Removed, l)
		}
	}
	for _, l := range strings.Split(string(neu), "\n") {
		if o[l] > 0 {
			o[l]--
			continue
		}
		if strings.TrimSpace(l) != "" {
			fc.Added = append(fc.Added, l)
		}
	}
	return fc
}
