package editor

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/yol-project/yol/bot/kb"
)

// searchFile is the pack's file of search words.
const searchFile = "knowledge/" + kb.FileSearch

// targetPattern accepts what search words can point at.
var targetPattern = regexp.MustCompile(`^(article|pathway|document|city):[a-z0-9_]+$`)

// AddSearchPhrase returns a copy of files in which phrase is one more search
// word of target ("article:<id>", ...) in lang (knowledge/search.yaml,
// section synonyms): appended to the language's list where the target has
// one, else as a new line or a new target at the end of the section; every
// other line stays as it was. The phrase is plain words: no brackets,
// commas, quotes or #, at most 60 characters.
func AddSearchPhrase(files map[string][]byte, target, lang, phrase string) (map[string][]byte, error) {
	phrase = strings.Join(strings.Fields(phrase), " ")
	switch {
	case !targetPattern.MatchString(target):
		return nil, fmt.Errorf("add search phrase: %q is not an article, pathway, document or city", target)
	case !validLang(lang):
		return nil, fmt.Errorf("add search phrase: bad language %q", lang)
	case phrase == "" || utf8.RuneCountInString(phrase) > 60 || strings.ContainsAny(phrase, "[]{},\"'#:&*!|>%@`"):
		return nil, fmt.Errorf("add search phrase: %q: plain words only, at most 60 characters", phrase)
	}
	src, ok := files[searchFile]
	if !ok {
		return nil, fmt.Errorf("add search phrase: the pack has no %s", searchFile)
	}
	lines := strings.SplitAfter(string(src), "\n")
	start, end := -1, len(lines) // the synonyms section
	for i, l := range lines {
		if strings.HasPrefix(l, "synonyms:") {
			start = i
		} else if start >= 0 && i > start && len(l) > 0 && l[0] != ' ' && l[0] != '#' && l[0] != '\n' {
			end = i
			break
		}
	}
	if start < 0 {
		return nil, fmt.Errorf("add search phrase: %s has no synonyms section", searchFile)
	}
	head := "  " + target + ":"
	t := -1
	for i := start + 1; i < end; i++ {
		if strings.TrimRight(lines[i], "\n") == head {
			t = i
		}
	}
	insertAt, newLines := 0, ""
	switch {
	case t < 0: // a new target at the end of the section
		insertAt = end
		for insertAt > start+1 && strings.TrimSpace(lines[insertAt-1]) == "" {
			insertAt--
		}
		newLines = "\n" + head + "\n    " + lang + ": [" + phrase + "]\n"
	default:
		last := t
		for i := t + 1; i < end && strings.HasPrefix(lines[i], "    "); i++ {
			last = i
			if strings.HasPrefix(lines[i], "    "+lang+": [") {
				l := strings.TrimRight(lines[i], "\n")
				if !strings.HasSuffix(l, "]") {
					return nil, fmt.Errorf("add search phrase: %s:%d: the %s list of %s is not on one line", searchFile, i+1, lang, target)
				}
				sep := ", "
				if strings.HasSuffix(l, "[]") {
					sep = ""
				}
				lines[i] = strings.TrimSuffix(l, "]") + sep + phrase + "]\n"
				return withFile(files, searchFile, strings.Join(lines, "")), nil
			}
		}
		insertAt, newLines = last+1, "    "+lang+": ["+phrase+"]\n"
	}
	out := strings.Join(lines[:insertAt], "") + newLines + strings.Join(lines[insertAt:], "")
	return withFile(files, searchFile, out), nil
}

// withFile is a copy of files with file p set to s.
func withFile(files map[string][]byte, p, s string) map[string][]byte {
	out := make(map[string][]byte, len(files))
	for k, v := range files {
		out[k] = v
	}
	out[p] = []byte(s)
	return out
}
