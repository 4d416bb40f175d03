package kb

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Synonyms are the search words editors add to the content, besides the
// articles' keywords: more words per item and language, and the phrases
// that show a clear intent (open a journey, or one article directly).
type Synonyms struct {
	// Words: item reference ("pathway:asylum") -> language -> words.
	Words map[string]map[string][]string `yaml:"synonyms"`
	// Intents: target ("journey:documents", "article:fines_overstay") ->
	// language -> phrases. A phrase matches when each of its words is in the
	// question, in order and close together (words sharing a 5-letter
	// prefix match).
	Intents map[string]map[string][]string `yaml:"intents"`
}

//go:embed search_synonyms.yaml
var defaultSynonyms []byte

var (
	defaultSynOnce sync.Once
	defaultSyn     *Synonyms
)

// DefaultSynonyms returns the built-in synonyms and intents
// (bot/kb/search_synonyms.yaml).
func DefaultSynonyms() *Synonyms {
	defaultSynOnce.Do(func() {
		s, err := ParseSynonyms(defaultSynonyms)
		if err != nil {
			panic("kb: built-in search_synonyms.yaml: " + err.Error())
		}
		defaultSyn = s
	})
	return defaultSyn
}

// ParseSynonyms reads a synonyms file (strict YAML; see search_synonyms.yaml).
func ParseSynonyms(data []byte) (*Synonyms, error) {
	var s Synonyms
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("synonyms: %w", err)
	}
	for target := range s.Intents {
		k, id, ok := strings.Cut(target, ":")
		if !ok || id == "" || (k != RefJourney && k != RefArticle) {
			return nil, fmt.Errorf("synonyms: intent %q: want journey:<command> or article:<id>", target)
		}
	}
	return &s, nil
}

// Check returns the references of the synonyms that the base does not have.
func (s *Synonyms) Check(b *Base) []string {
	var bad []string
	exists := func(ref string) bool {
		k, id, _ := strings.Cut(ref, ":")
		switch k {
		case RefArticle:
			return b.Article(id) != nil
		case RefPathway:
			return b.Pathway(id) != nil
		case RefDocument:
			return b.Document(id) != nil
		case RefCity:
			for _, c := range b.cities {
				if c.ID == id {
					return true
				}
			}
		case RefJourney:
			return true // commands are the dialogs' business
		}
		return false
	}
	for ref := range s.Words {
		if !exists(ref) {
			bad = append(bad, ref)
		}
	}
	for ref := range s.Intents {
		if !exists(ref) {
			bad = append(bad, ref)
		}
	}
	sort.Strings(bad)
	return bad
}

type intent struct {
	target string
	lang   string
	words  []string
	order  int
}

func intentWords(s, lang string) []string {
	var out []string
	for _, w := range strings.Fields(Normalize(s, lang)) {
		if lang == "ar" || lang == "fa" {
			w = stripArabicArticle(w)
		}
		out = append(out, w)
	}
	return out
}

func compileIntents(s *Synonyms) []intent {
	var out []intent
	targets := make([]string, 0, len(s.Intents))
	for t := range s.Intents {
		targets = append(targets, t)
	}
	sort.Strings(targets)
	for _, t := range targets {
		for lang, phrases := range s.Intents[t] {
			for _, p := range phrases {
				if ws := intentWords(p, lang); len(ws) > 0 {
					out = append(out, intent{target: t, lang: lang, words: ws, order: len(out)})
				}
			}
		}
	}
	return out
}

// sameWord reports whether a question word matches a phrase word: equal,
// sharing a prefix of 5 runes, or (short words) the phrase word begins the
// question word, which is at most 2 runes longer.
func sameWord(q, p string) bool {
	if q == p {
		return true
	}
	qr, pr := []rune(q), []rune(p)
	if len(qr) >= prefixRunes && len(pr) >= prefixRunes {
		return string(qr[:prefixRunes]) == string(pr[:prefixRunes])
	}
	if len(pr) >= 4 {
		return strings.HasPrefix(q, p)
	}
	return len(pr) >= 3 && strings.HasPrefix(q, p) && len(qr)-len(pr) <= 2
}

// Route is where a question leads.
type Route struct {
	// Intent is a clear intent: "journey:<command>" to open a journey, or
	// "article:<id>" to show one article; "" when there is none.
	Intent string
	// Answers are the journeys and articles the question may want, best
	// first (the intent, if any, first).
	Answers []string
	// Hits are the raw search results (articles, pathways, documents,
	// cities), best first.
	Hits []Hit
	// Found is false when nothing matched well: offer a person.
	Found bool
}

// Articles returns the article IDs among the answers, best first, at most n.
func (r Route) Articles(n int) []string {
	var out []string
	for _, a := range r.Answers {
		if id, ok := strings.CutPrefix(a, RefArticle+":"); ok && len(out) < n {
			out = append(out, id)
		}
	}
	return out
}

// FoundScore is the lowest best score that counts as a good match. Below it
// the question is "not understood" and a person is offered. Measured on the
// labelled questions (testdata/questions): off-topic questions score below
// it, real ones above.
const FoundScore = 3.0

// Route reads a question: a clear intent (phrases in the synonyms), and the
// search results turned into journeys and articles: a pathway leads to its
// first article, a document to the documents journey, a city to the
// nearest-office journey.
func (ix *Index) Route(query, lang string) Route {
	r := Route{Hits: ix.Search(query, lang, 0)}
	// Intents.
	qwords := map[string][]string{}
	bestLen, bestOrder := 0, 0
	for _, in := range ix.intents {
		ws, ok := qwords[in.lang]
		if !ok {
			ws = intentWords(query, in.lang)
			qwords[in.lang] = ws
		}
		if !containsAll(ws, in.words) {
			continue
		}
		n := 0
		for _, w := range in.words {
			n += utf8.RuneCountInString(w)
		}
		if n > bestLen || n == bestLen && in.order < bestOrder {
			bestLen, bestOrder, r.Intent = n, in.order, in.target
		}
	}
	// Search results as answers.
	score := map[string]float64{}
	add := func(target string, s float64) {
		if s > score[target] {
			score[target] = s
		}
	}
	for _, h := range r.Hits {
		switch h.Kind() {
		case RefArticle:
			add(h.Ref, h.Score)
		case RefPathway:
			if p := ix.base.Pathway(h.ID()); p != nil {
				for i, a := range p.Articles {
					add(RefArticle+":"+a, h.Score*(0.9-0.1*float64(i)))
				}
				if p.Fallback || p.Kind == KindHelp {
					add(RefJourney+":person", h.Score*0.9)
				}
			}
		case RefDocument:
			add(RefJourney+":documents", h.Score*0.5)
		case RefCity:
			add(RefJourney+":office", h.Score*0.6)
		}
	}
	targets := make([]string, 0, len(score))
	for t := range score {
		targets = append(targets, t)
	}
	sort.Slice(targets, func(i, j int) bool {
		if score[targets[i]] != score[targets[j]] {
			return score[targets[i]] > score[targets[j]]
		}
		return targets[i] < targets[j]
	})
	if r.Intent != "" {
		r.Answers = append(r.Answers, r.Intent)
	}
	for _, t := range targets {
		if t != r.Intent {
			r.Answers = append(r.Answers, t)
		}
	}
	r.Found = r.Intent != "" || len(targets) > 0 && score[targets[0]] >= FoundScore
	if !r.Found {
		r.Answers = nil
	}
	return r
}

// maxGap is how many question words may come between two words of an
// intent phrase.
const maxGap = 2

// containsAll reports whether the phrase's words occur in the question in
// order, each within maxGap words of the one before ("what documents do I
// need" matches "what documents", "documents ... what" does not).
func containsAll(question, phrase []string) bool {
	var try func(p, from int, first bool) bool
	try = func(p, from int, first bool) bool {
		if p == len(phrase) {
			return true
		}
		to := len(question)
		if !first {
			to = min(to, from+maxGap+1)
		}
		for i := from; i < to; i++ {
			if sameWord(question[i], phrase[p]) && try(p+1, i+1, false) {
				return true
			}
		}
		return false
	}
	return try(0, 0, true)
}
