// Package locale holds every user-facing text of a content pack: a go-i18n
// bundle loaded from locales/<part>.<lang>.yaml files, the list of languages
// with their review status, and language matching for Telegram's
// language_code.
package locale

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"

	"github.com/yol-project/yol/bot/problem"
)

// Status is a language's translation status.
type Status string

// The translation statuses an editor may give a language.
const (
	StatusSource       Status = "source"              // the language the texts are written in
	StatusComplete     Status = "complete"            // translated and reviewed by a native speaker
	StatusNeedsReview  Status = "needs_native_review" // translated, not yet reviewed by a native speaker
	StatusIncomplete   Status = "incomplete"          // partly translated
	languagesFile             = "languages.yaml"
	defaultLanguageTag        = "en"
)

// Language is one language the pack speaks.
type Language struct {
	Code   string `yaml:"code"`   // ISO 639-1, e.g. "az"
	Name   string `yaml:"name"`   // its own name, e.g. "Azərbaycanca"
	RTL    bool   `yaml:"rtl"`    // written right to left
	Script string `yaml:"script"` // ISO 15924: Latn (default), Cyrl, Arab
	Status Status `yaml:"status"` // translation status
	Note   string `yaml:"note"`   // who translated, what to review
}

// Bundle is the loaded texts of all languages. It is immutable.
type Bundle struct {
	bundle  *i18n.Bundle
	source  string
	langs   []Language
	byCode  map[string]*Language
	ids     map[string]map[string]Ref      // lang -> message ID -> where
	raw     map[string]map[string][]string // lang -> message ID -> its texts as written (every plural form)
	matcher language.Matcher
	tags    []language.Tag
	locs    map[string]*i18n.Localizer
	missing atomic.Pointer[func(lang, id string)]
}

// Ref is where a message is defined.
type Ref struct {
	File string
	Line int
}

// Load reads dir/languages.yaml and every dir/*.<lang>.yaml file.
func Load(fsys fs.FS, dir string) (*Bundle, []problem.Problem) {
	var probs []problem.Problem
	b := &Bundle{byCode: map[string]*Language{}, ids: map[string]map[string]Ref{}, raw: map[string]map[string][]string{}}
	langFile := path.Join(dir, languagesFile)
	raw, err := fs.ReadFile(fsys, langFile)
	if err != nil {
		return nil, []problem.Problem{{File: langFile, Message: "cannot read the list of languages: " + err.Error()}}
	}
	var lf struct {
		Source    string     `yaml:"source"`
		Languages []Language `yaml:"languages"`
	}
	if err := strictYAML(raw, &lf); err != nil {
		line, msg := yamlError(err)
		return nil, []problem.Problem{{File: langFile, Line: line, Message: msg}}
	}
	for i := range lf.Languages {
		l := &lf.Languages[i]
		switch {
		case l.Code == "" || len(l.Code) != 2 || strings.ToLower(l.Code) != l.Code:
			probs = append(probs, problem.Problem{File: langFile, Message: fmt.Sprintf("language %q: code must be two lowercase letters (ISO 639-1)", l.Code)})
			continue
		case b.byCode[l.Code] != nil:
			probs = append(probs, problem.Problem{File: langFile, Message: fmt.Sprintf("language %q listed twice", l.Code)})
			continue
		}
		switch l.Script {
		case "", ScriptLatin, ScriptCyrillic, ScriptArabic:
		default:
			probs = append(probs, problem.Problem{File: langFile, Message: fmt.Sprintf("language %q: script %q must be one of Latn, Cyrl, Arab", l.Code, l.Script)})
		}
		switch l.Status {
		case StatusSource, StatusComplete, StatusNeedsReview, StatusIncomplete:
		default:
			probs = append(probs, problem.Problem{File: langFile, Message: fmt.Sprintf("language %q: status %q must be one of source, complete, needs_native_review, incomplete", l.Code, l.Status)})
		}
		b.langs = append(b.langs, *l)
	}
	for i := range b.langs {
		b.byCode[b.langs[i].Code] = &b.langs[i]
	}
	b.source = lf.Source
	if b.source == "" {
		b.source = defaultLanguageTag
	}
	if b.byCode[b.source] == nil {
		probs = append(probs, problem.Problem{File: langFile, Message: fmt.Sprintf("source language %q is not in the list", b.source)})
		return nil, probs
	}
	b.bundle = i18n.NewBundle(language.Make(b.source))
	b.bundle.RegisterUnmarshalFunc("yaml", yaml.Unmarshal)

	files, err := fs.Glob(fsys, path.Join(dir, "*.*.yaml"))
	if err != nil {
		return nil, append(probs, problem.Problem{File: dir, Message: err.Error()})
	}
	sort.Strings(files)
	for _, f := range files {
		probs = append(probs, b.loadFile(fsys, f)...)
	}
	b.tags = make([]language.Tag, 0, len(b.langs))
	b.tags = append(b.tags, language.Make(b.source)) // the matcher's fallback comes first
	for _, l := range b.langs {
		if l.Code != b.source {
			b.tags = append(b.tags, language.Make(l.Code))
		}
	}
	b.matcher = language.NewMatcher(b.tags)
	b.locs = make(map[string]*i18n.Localizer, len(b.langs))
	for _, l := range b.langs {
		b.locs[l.Code] = i18n.NewLocalizer(b.bundle, l.Code, b.source)
	}
	return b, probs
}

// loadFile loads one messages file into the bundle, for the language its
// name ends with, and returns its problems: unknown languages, duplicate
// or empty messages and malformed plural forms.
func (b *Bundle) loadFile(fsys fs.FS, file string) []problem.Problem {
	base := strings.TrimSuffix(path.Base(file), ".yaml")
	lang := base[strings.LastIndexByte(base, '.')+1:]
	if b.byCode[lang] == nil {
		return []problem.Problem{{File: file, Message: fmt.Sprintf("language %q is not listed in %s", lang, languagesFile)}}
	}
	raw, err := fs.ReadFile(fsys, file)
	if err != nil {
		return []problem.Problem{{File: file, Message: err.Error()}}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		line, msg := yamlError(err)
		return []problem.Problem{{File: file, Line: line, Message: msg}}
	}
	var probs []problem.Problem
	if len(doc.Content) == 0 {
		return nil
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		return []problem.Problem{{File: file, Line: top.Line, Message: "want a mapping of message IDs to texts"}}
	}
	if b.ids[lang] == nil {
		b.ids[lang] = map[string]Ref{}
		b.raw[lang] = map[string][]string{}
	}
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		if prev, dup := b.ids[lang][k.Value]; dup {
			probs = append(probs, problem.Problem{File: file, Line: k.Line, Message: fmt.Sprintf("message %q is already defined at %s:%d", k.Value, prev.File, prev.Line)})
			continue
		}
		switch v.Kind {
		case yaml.ScalarNode:
			if strings.TrimSpace(v.Value) == "" {
				probs = append(probs, problem.Problem{File: file, Line: v.Line, Message: fmt.Sprintf("message %q is empty", k.Value)})
			}
			b.raw[lang][k.Value] = []string{v.Value}
		case yaml.MappingNode:
			for j := 0; j+1 < len(v.Content); j += 2 {
				switch v.Content[j].Value {
				case "zero", "one", "two", "few", "many", "other":
					b.raw[lang][k.Value] = append(b.raw[lang][k.Value], v.Content[j+1].Value)
				case "description":
				default:
					probs = append(probs, problem.Problem{File: file, Line: v.Content[j].Line, Message: fmt.Sprintf("message %q: unknown field %q (want plural forms zero, one, two, few, many, other)", k.Value, v.Content[j].Value)})
				}
			}
		default:
			probs = append(probs, problem.Problem{File: file, Line: v.Line, Message: fmt.Sprintf("message %q: want text or plural forms", k.Value)})
		}
		b.ids[lang][k.Value] = Ref{File: file, Line: k.Line}
	}
	if _, err := b.bundle.ParseMessageFileBytes(raw, file); err != nil {
		probs = append(probs, problem.Problem{File: file, Message: "go-i18n: " + err.Error()})
	}
	return probs
}

// Source is the language the texts are written in first.
func (b *Bundle) Source() string { return b.source }

// Languages lists the pack's languages in the order of languages.yaml.
func (b *Bundle) Languages() []Language { return append([]Language(nil), b.langs...) }

// Language returns the language with code, or nil.
func (b *Bundle) Language(code string) *Language { return b.byCode[code] }

// Has reports whether message id is defined in lang.
func (b *Bundle) Has(lang, id string) bool {
	_, ok := b.ids[lang][id]
	return ok
}

// Raw returns message id of lang as written in its file, every plural form,
// with its templates unrendered.
func (b *Bundle) Raw(lang, id string) []string { return b.raw[lang][id] }

// IDs lists the message IDs defined in lang.
func (b *Bundle) IDs(lang string) map[string]Ref { return b.ids[lang] }

// Match returns the pack language closest to a Telegram language_code or an
// Accept-Language value; the source language when nothing is close.
func (b *Bundle) Match(code string) string {
	code = strings.TrimSpace(code)
	if code == "" {
		return b.source
	}
	if b.byCode[strings.ToLower(code)] != nil {
		return strings.ToLower(code)
	}
	tags, _, err := language.ParseAcceptLanguage(code)
	if err != nil || len(tags) == 0 {
		return b.source
	}
	_, idx, conf := b.matcher.Match(tags...)
	if conf == language.No {
		return b.source
	}
	base, _ := b.tags[idx].Base()
	return base.String()
}

// OnMissing sets a function called when a text falls back to the source
// language (to count it). It may be called from many goroutines.
func (b *Bundle) OnMissing(f func(lang, id string)) { b.missing.Store(&f) }

// Text renders message id in lang with data; plural forms use count when
// it is not nil. A text missing in lang falls back to the source language;
// a text missing everywhere renders as its ID in brackets, never an error
// shown to a person.
func (b *Bundle) Text(lang, id string, data map[string]any, count any) string {
	loc := b.locs[lang]
	if loc == nil {
		lang, loc = b.source, b.locs[b.source]
	}
	if !b.Has(lang, id) {
		if f := b.missing.Load(); f != nil {
			(*f)(lang, id)
		}
	}
	s, err := loc.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: count})
	if s == "" || err != nil && !b.Has(b.source, id) {
		return "[" + id + "]"
	}
	return s
}

// strictYAML decodes raw into v, refusing fields v does not have.
func strictYAML(raw []byte, v any) error {
	dec := yaml.NewDecoder(strings.NewReader(string(raw)))
	dec.KnownFields(true)
	return dec.Decode(v)
}

// yamlError returns the line and message of a yaml error (line 0 when it
// names none).
func yamlError(err error) (int, string) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if n, tail, ok := strings.Cut(rest, ":"); ok {
			if line, err := strconv.Atoi(n); err == nil {
				return line, strings.TrimSpace(tail)
			}
		}
	}
	if te, ok := err.(*yaml.TypeError); ok && len(te.Errors) > 0 {
		return yamlError(fmt.Errorf("%s", te.Errors[0]))
	}
	return 0, msg
}
