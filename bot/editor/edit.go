package editor

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/yol-project/yol/bot"
)

// Editing a text of a pack in place (the console's translations page): the
// one entry of the locale file changes, every other line stays as it was,
// so that an exported version differs from what was pushed by that entry
// alone.

// ErrNotEditable is the error of a text the console cannot edit in place:
// one with plural forms (edited in its file).
var ErrNotEditable = errors.New("the text has plural forms: edit it in its file")

// SetText returns a copy of files in which message id of lang reads text.
// The entry is rewritten where it is; a text the language lacks is added at
// the end of the language's file of the same part as the source language's
// (locales/dialogs.en.yaml → locales/dialogs.ru.yaml).
func SetText(files map[string][]byte, source, lang, id, text string) (map[string][]byte, error) {
	if !validLang(lang) || !validID(id) {
		return nil, fmt.Errorf("set text: bad language %q or id %q", lang, id)
	}
	if strings.ContainsRune(text, 0) || !utf8.ValidString(text) {
		return nil, errors.New("set text: the text is not valid UTF-8")
	}
	out := make(map[string][]byte, len(files))
	for p, b := range files {
		out[p] = b
	}
	value := quote(text)
	for _, p := range slices.Sorted(maps.Keys(files)) {
		if !isLocaleOf(p, lang) {
			continue
		}
		start, end, plural, found, err := entryLines(files[p], id)
		if err != nil {
			return nil, fmt.Errorf("set text: %s: %w", p, err)
		}
		if !found {
			continue
		}
		if plural {
			return nil, ErrNotEditable
		}
		lines := strings.SplitAfter(string(files[p]), "\n")
		repl := id + ": " + value + "\n"
		out[p] = []byte(strings.Join(lines[:start-1], "") + repl + strings.Join(lines[end:], ""))
		return out, nil
	}
	// Not in the language yet: beside the source's entry's part.
	part := "dialogs"
	for _, p := range slices.Sorted(maps.Keys(files)) {
		if isLocaleOf(p, source) {
			if _, _, _, found, _ := entryLines(files[p], id); found {
				part = strings.TrimSuffix(path.Base(p), "."+source+".yaml")
				break
			}
		}
	}
	p := "locales/" + part + "." + lang + ".yaml"
	b := files[p]
	if len(b) > 0 && !bytes.HasSuffix(b, []byte("\n")) {
		b = append(append([]byte(nil), b...), '\n')
	}
	out[p] = append(append([]byte(nil), b...), []byte(id+": "+value+"\n")...)
	return out, nil
}

// entryLines finds id among the top-level keys of a locale file: the lines
// from its key to its value's end (1-based, inclusive; comments and blank
// lines before the next key belong to that key), and whether its value is
// a mapping of plural forms.
func entryLines(b []byte, id string) (start, end int, plural, found bool, err error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return 0, 0, false, false, err
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return 0, 0, false, false, nil
	}
	m := doc.Content[0].Content
	lines := strings.Split(string(b), "\n")
	for i := 0; i+1 < len(m); i += 2 {
		if m[i].Value != id {
			continue
		}
		start, end = m[i].Line, len(lines)
		if i+2 < len(m) {
			end = m[i+2].Line - 1
		}
		for end > start && (strings.TrimSpace(lines[end-1]) == "" || strings.HasPrefix(strings.TrimSpace(lines[end-1]), "#")) {
			end--
		}
		return start, end, m[i+1].Kind == yaml.MappingNode, true, nil
	}
	return 0, 0, false, false, nil
}

// quote writes text as a YAML double-quoted scalar (JSON's string syntax
// is valid YAML), with no HTML escaping.
func quote(text string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(text) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

// isLocaleOf reports whether p is a locale file of lang.
func isLocaleOf(p, lang string) bool {
	return strings.HasPrefix(p, "locales/") && strings.HasSuffix(p, "."+lang+".yaml") && !strings.Contains(strings.TrimPrefix(p, "locales/"), "/")
}

var (
	langPattern = regexp.MustCompile(`^[a-z]{2}$`)
	idPattern   = regexp.MustCompile(`^[a-z0-9_]+(\.[a-z0-9_]+)+$`)
	placeholder = regexp.MustCompile(`\{\{\s*\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}`)
)

// validLang accepts a language code.
func validLang(s string) bool { return langPattern.MatchString(s) }

// validID accepts a message ID.
func validID(s string) bool { return idPattern.MatchString(s) }

// TextProblems are the live checks of a translation as the translator
// types it: every placeholder of the source text exactly once and no other,
// a button label short enough for a phone, no empty text. They name
// message IDs of the console's texts (with template data).
func TextProblems(c *bot.Content, lang, id, text string) []string {
	var out []string
	if strings.TrimSpace(text) == "" {
		return []string{"console.texts.problem.empty"}
	}
	src := strings.Join(c.Texts.Raw(c.Texts.Source(), id), " ")
	want, got := placeholders(src), placeholders(text)
	if !slices.Equal(want, got) {
		out = append(out, "console.texts.problem.placeholders")
	}
	for _, m := range c.Dialogs.MessageIDs() {
		if m.ID == id && m.Button && utf8.RuneCountInString(text) > labelWarn {
			out = append(out, "console.texts.problem.too_long")
			break
		}
	}
	return out
}

// placeholders lists the template names in s, sorted, once each.
func placeholders(s string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	slices.Sort(out)
	return out
}
