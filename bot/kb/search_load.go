package kb

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// FileSearch holds the pack's search words (see SEARCH.md): more words per
// item, the phrases of clear intents and the spellings people type. It is
// optional; without it the search reads the texts and keywords alone.
const FileSearch = "search.yaml"

// searchFile is search.yaml.
type searchFile struct {
	Spec int `yaml:"spec"`
	// KeywordsRequired are the languages every article must have keywords
	// in (articles.yaml).
	KeywordsRequired []string `yaml:"keywords_required"`
	Synonyms         `yaml:",inline"`

	doc *yaml.Node
}

// loadSearch reads search.yaml, when the pack has one, and checks what
// needs no other file: the kind of every target, and the languages named
// (for the check of the whole pack). The targets themselves are checked
// once every item is known (checkSearch).
func (l *loader) loadSearch() {
	const name = FileSearch
	l.b.search = &Synonyms{}
	var f searchFile
	doc, ok := l.read(name, &f, true)
	if !ok {
		return
	}
	f.doc = doc
	l.search = &f
	l.b.search = &f.Synonyms
	for i, lang := range f.KeywordsRequired {
		l.language(name, lineAt(doc, "keywords_required", i), lang)
	}
	for _, section := range []string{"synonyms", "intents"} {
		eachPair(child(doc, section), func(target, langs *yaml.Node) {
			kind, id, _ := strings.Cut(target.Value, ":")
			switch {
			case id == "":
				l.errf(name, target.Line, "%s: %q: want kind:id, like article:fines_overstay", section, target.Value)
			case section == "intents" && kind == RefJourney:
				l.commands = append(l.commands, CommandRef{Command: id, File: l.file(name), Line: target.Line})
			case section == "intents" && kind != RefArticle:
				l.errf(name, target.Line, "intents: %q: a phrase opens a journey (journey:<command>) or shows an article (article:<id>)", target.Value)
			case section == "synonyms" && kind != RefArticle && kind != RefPathway && kind != RefDocument && kind != RefCity:
				l.errf(name, target.Line, "synonyms: %q: words are for an article:, pathway:, document: or city:", target.Value)
			}
			eachPair(langs, func(lang, _ *yaml.Node) { l.language(name, lang.Line, lang.Value) })
		})
	}
	eachPair(child(doc, "spellings"), func(lang, _ *yaml.Node) { l.language(name, lang.Line, lang.Value) })
}

// checkSearch reports the items search.yaml names that the knowledge does
// not have (a misspelt id would silently find nothing).
func (l *loader) checkSearch() {
	if l.search == nil {
		return
	}
	const name = FileSearch
	for _, section := range []string{"synonyms", "intents"} {
		eachPair(child(l.search.doc, section), func(target, _ *yaml.Node) {
			kind, id, _ := strings.Cut(target.Value, ":")
			var known, checked bool
			switch kind {
			case RefArticle:
				known, checked = l.b.aByID[id] != nil, !l.failed[FileArticles]
			case RefPathway:
				known, checked = l.b.pByID[id] != nil, !l.failed[FilePathways]
			case RefDocument:
				known, checked = l.b.dByID[id] != nil, !l.failed[FileDocuments]
			case RefCity:
				known, checked = l.hasCity(id), true
			}
			if checked && !known && id != "" {
				l.errf(name, target.Line, "%s: %q: there is no %s %q", section, target.Value, kind, id)
			}
		})
	}
}

// hasCity reports whether a city with the given ID is loaded.
func (l *loader) hasCity(id string) bool {
	for _, c := range l.b.cities {
		if c.ID == id {
			return true
		}
	}
	return false
}

// keywordsRequired returns the languages every article needs keywords in.
func (l *loader) keywordsRequired() []string {
	if l.search == nil {
		return nil
	}
	return l.search.KeywordsRequired
}

// keywordsRequiredText lists them for a message: "en, ru and az".
func (l *loader) keywordsRequiredText() string {
	langs := l.keywordsRequired()
	if len(langs) < 2 {
		return strings.Join(langs, "")
	}
	return strings.Join(langs[:len(langs)-1], ", ") + " and " + langs[len(langs)-1]
}

// eachPair calls f with each key and value of mapping n, in order.
func eachPair(n *yaml.Node, f func(k, v *yaml.Node)) {
	if n == nil || n.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		f(n.Content[i], n.Content[i+1])
	}
}
