package kb

import (
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// Synonyms are the search words editors add to the content
// (knowledge/search.yaml), besides the articles' keywords: more words per
// item and language, the phrases that show a clear intent (open a
// journey, or one article directly), and the spellings people type.
type Synonyms struct {
	// Words: item reference ("pathway:asylum") -> language -> words.
	Words map[string]map[string][]string `yaml:"synonyms"`
	// Intents: target ("journey:documents", "article:fines_overstay") ->
	// language -> phrases. A phrase matches when each of its words is in the
	// question, in order and close together (words sharing a 5-letter
	// prefix match).
	Intents map[string]map[string][]string `yaml:"intents"`
	// Spellings: language -> written form -> the spellings people type for
	// it: dialect words (Arabic شو for ماذا), colloquial forms, frequent
	// words in another script (Persian "ba" for با). A spelling is read as
	// its written form, in the questions and in the texts alike.
	Spellings map[string]map[string][]string `yaml:"spellings"`
}

type intent struct {
	target string
	words  []int // word numbers in the language's intentIndex
	runes  int   // letters in the phrase: the longest phrase wins
	order  int
}

// intentIndex holds the intent phrases of one language, with their words
// indexed the way matches reads them.
type intentIndex struct {
	lang    string
	intents []intent
	words   []string
	city    map[int]bool // the words that are city names (they match {city})
	exact   map[string][]int
	p5      map[string][]int // words of prefixRunes runes or more by their first prefixRunes runes
	p4      map[string][]int // words of 4 runes
	p3      map[string][]int // words of 3 runes
}

// word returns the number of word w in the index, adding it (and its
// prefix keys) when new.
func (ii *intentIndex) word(w string) int {
	if ids, ok := ii.exact[w]; ok {
		return ids[0]
	}
	id := len(ii.words)
	ii.words = append(ii.words, w)
	ii.exact[w] = []int{id}
	rs := []rune(w)
	switch n := len(rs); {
	case n >= prefixRunes:
		k := string(rs[:prefixRunes])
		ii.p5[k] = append(ii.p5[k], id)
	case n == 4:
		ii.p4[w] = append(ii.p4[w], id)
	case n == 3:
		ii.p3[w] = append(ii.p3[w], id)
	}
	return id
}

// matches returns the numbers of the phrase words that the question word q
// matches, appended to ids: equal, sharing the first prefixRunes runes, or
// (short phrase words) beginning q, a 3-rune word only when q is at most 2
// runes longer.
func (ii *intentIndex) matches(q string, ids []int) []int {
	ids = append(ids, ii.exact[q]...)
	rs := []rune(q)
	n := len(rs)
	if n >= prefixRunes {
		for _, id := range ii.p5[string(rs[:prefixRunes])] {
			if ii.words[id] != q {
				ids = append(ids, id)
			}
		}
	}
	if n > 4 {
		ids = append(ids, ii.p4[string(rs[:4])]...)
	}
	if n > 3 && n <= 5 {
		ids = append(ids, ii.p3[string(rs[:3])]...)
	}
	for _, id := range ids {
		if ii.city[id] {
			return append(ids, cityWord)
		}
	}
	return ids
}

// cityWord is the word number of {city} in an intent phrase: any city name
// ("migration service in {city}").
const (
	cityWord        = -1
	cityPlaceholder = "{city}"
	cityMarker      = "xxcityxx" // {city} once normalised
)

// newIntentIndex returns an empty intentIndex for a language, knowing the
// city names of its index.
func newIntentIndex(lang string, li *langIndex) *intentIndex {
	ii := &intentIndex{lang: lang, exact: map[string][]int{}, p5: map[string][]int{}, p4: map[string][]int{}, p3: map[string][]int{}, city: map[int]bool{}}
	for _, w := range li.cityWords {
		ii.city[ii.word(w)] = true
	}
	return ii
}

// compileIntents builds the intent index of each language from the
// synonyms' intent phrases, in a stable order; a {city} placeholder stands
// for any city name.
func compileIntents(s *Synonyms, byLang map[string]*langIndex) map[string]*intentIndex {
	out := map[string]*intentIndex{}
	targets := make([]string, 0, len(s.Intents))
	for t := range s.Intents {
		targets = append(targets, t)
	}
	sort.Strings(targets)
	order := 0
	for _, t := range targets {
		langs := make([]string, 0, len(s.Intents[t]))
		for l := range s.Intents[t] {
			langs = append(langs, l)
		}
		sort.Strings(langs)
		for _, lang := range langs {
			li := byLang[lang]
			if li == nil {
				continue
			}
			ii := out[lang]
			if ii == nil {
				ii = newIntentIndex(lang, li)
				out[lang] = ii
			}
			for _, p := range s.Intents[t][lang] {
				ws := li.words(strings.ReplaceAll(p, cityPlaceholder, " "+cityMarker+" "))
				if len(ws) == 0 {
					continue
				}
				in := intent{target: t, order: order}
				order++
				for _, w := range ws {
					if w == cityMarker {
						in.words = append(in.words, cityWord)
						in.runes += 4
						continue
					}
					in.words = append(in.words, ii.word(w))
					in.runes += utf8.RuneCountInString(w)
					li.vocab[w] = true
				}
				ii.intents = append(ii.intents, in)
			}
		}
	}
	return out
}

// intent returns the clear intent of a question read in the language of
// ii: the longest phrase whose words occur in order, close together.
func (ii *intentIndex) intent(lq *langQuery) (target string, runes, order int) {
	// Where each phrase word occurs in the question.
	pos := map[int][]int{}
	var ids []int
	for i, forms := range lq.forms {
		ids = ids[:0]
		for _, f := range forms {
			ids = ii.matches(f, ids)
		}
		for _, id := range ids {
			if ps := pos[id]; len(ps) == 0 || ps[len(ps)-1] != i {
				pos[id] = append(ps, i)
			}
		}
	}
	if len(pos) == 0 {
		return "", 0, 0
	}
	for _, in := range ii.intents {
		if in.runes < runes || in.runes == runes && target != "" && in.order > order {
			continue
		}
		if _, ok := pos[in.words[0]]; !ok || !containsAll(pos, in.words) {
			continue
		}
		target, runes, order = in.target, in.runes, in.order
	}
	return target, runes, order
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

// intentYield: an article intent yields to another, unrelated article whose
// search score is more than 1/intentYield times its own.
const intentYield = 0.65

// offTopicUnknown is how many words unknown to every index make a question
// off-topic when only one of its words leads to the best hit.
const offTopicUnknown = 2

// Route reads a question: a clear intent (phrases in the synonyms), and the
// search results turned into journeys and articles: a pathway leads to its
// first article, a document to the documents journey, a city to the
// nearest-office journey.
func (ix *Index) Route(query, lang string) Route {
	q := ix.read(query, lang)
	r := Route{Hits: ix.search(q, lang, 0)}
	// Intents, in every language.
	bestLen, bestOrder := 0, 0
	for _, l := range ix.langs {
		ii := ix.intents[l]
		if ii == nil {
			continue
		}
		if t, n, o := ii.intent(q.langs[l]); t != "" && (n > bestLen || n == bestLen && o < bestOrder) {
			bestLen, bestOrder, r.Intent = n, o, t
		}
	}
	// Search results as answers.
	score := map[string]float64{}
	from := map[string]Hit{} // the hit behind each answer's score
	var h Hit
	add := func(target string, s float64) {
		if s > score[target] {
			score[target] = s
			from[target] = h
		}
	}
	for _, h = range r.Hits {
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
			// A city leads to the nearest office when the question is about
			// little else ("Gəncə", "in Ganja?"), not "weather in Baku": at
			// most one other word, and one the knowledge base knows.
			if m, _, _, u := ix.support(q, h); len(q.langs[h.Lang].words)-m <= 1 && u == 0 {
				add(RefJourney+":office", h.Score*0.6)
			}
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
	if k, _, _ := strings.Cut(r.Intent, ":"); k == RefArticle && len(targets) > 0 &&
		targets[0] != r.Intent && strings.HasPrefix(targets[0], RefArticle+":") && score[targets[0]] >= FoundScore &&
		score[r.Intent] < intentYield*score[targets[0]] && !ix.related(r.Intent, targets[0]) {
		// An article intent ("how much to pay": the fees) yields when the
		// search clearly prefers another article, found on its own (a weak
		// hit, or a document or pathway, never beats the editors' phrase)
		// ("I overstayed my visa, how
		// much do I have to pay": the fines); not to an article the editors
		// made related to it ("how much is the fine": the fines, not paying
		// them).
		r.Intent = ""
	}
	if r.Intent != "" {
		r.Answers = append(r.Answers, r.Intent)
	}
	for _, t := range targets {
		if t != r.Intent {
			r.Answers = append(r.Answers, t)
		}
	}
	r.Found = r.Intent != "" || len(targets) > 0 && score[targets[0]] >= FoundScore
	if r.Found && r.Intent == "" {
		// The question is about something else ("kebab in Baku", "погода
		// завтра в Баку") when one word of it leads to the best answer and
		// it has words the knowledge base does not know at all, or when
		// only a city name leads there (a city says where, not what) and it
		// has other words. A city leading to the office journey has passed
		// its own test above.
		best := from[targets[0]]
		m, what, others, u := ix.support(q, best)
		viaCity := best.Kind() == RefCity && targets[0] == RefJourney+":office"
		if m <= 1 && u >= offTopicUnknown || !viaCity && what == 0 && others > 0 {
			r.Found = false
		}
	}
	if !r.Found {
		r.Answers = nil
	}
	return r
}

// related reports whether two article references are related (either
// lists the other in its related articles).
func (ix *Index) related(a, b string) bool {
	ida, _ := strings.CutPrefix(a, RefArticle+":")
	idb, ok := strings.CutPrefix(b, RefArticle+":")
	if !ok {
		return false
	}
	x, y := ix.base.Article(ida), ix.base.Article(idb)
	return x != nil && y != nil && (slices.Contains(x.Related, idb) || slices.Contains(y.Related, ida))
}

// maxGap is how many question words may come between two words of an
// intent phrase.
const maxGap = 2

// containsAll reports whether the phrase's words occur in the question in
// order, each within maxGap words of the one before ("what documents do I
// need" matches "what documents", "documents ... what" does not); pos
// holds the positions of each phrase word in the question.
func containsAll(pos map[int][]int, phrase []int) bool {
	var try func(p, after int) bool
	try = func(p, after int) bool {
		if p == len(phrase) {
			return true
		}
		for _, i := range pos[phrase[p]] {
			if i <= after {
				continue
			}
			if p > 0 && i > after+maxGap+1 {
				break
			}
			if try(p+1, i) {
				return true
			}
		}
		return false
	}
	return try(0, -1)
}
