package kb

import (
	"math"
	"sort"
	"strings"
	"unicode/utf8"
)

// BM25 parameters.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
	// prefixRunes is the shared prefix that makes two words one: a light
	// stemmer that works the same in every language ("штраф", "штрафы",
	// "штрафа"; "deport", "deportation").
	prefixRunes = 5
	// prefixWeight discounts a match through a shared prefix against an
	// exact one.
	prefixWeight = 0.8
	// otherLangWeight discounts a match in another language's texts (a
	// Russian question while the chat is in Uzbek).
	otherLangWeight = 0.6
)

// Field weights: a word in a title or among the editors' keywords says more
// about the topic than a word in the body.
const (
	weightTitle    = 2
	weightKeywords = 3
	weightBody     = 1
)

// Reference kinds of search items and answers ("kind:id").
const (
	RefArticle  = "article"
	RefPathway  = "pathway"
	RefDocument = "document"
	RefCity     = "city"
	RefJourney  = "journey" // a command of the dialogs, such as journey:documents
)

// TextFunc returns the text of a message ID in a language, and false when
// the language has no such text (no fallback to another language).
type TextFunc func(lang, id string) (string, bool)

// Hit is one search result.
type Hit struct {
	Ref   string  // "article:fines_overstay", "pathway:asylum", "document:photos", "city:baku"
	Score float64 // BM25 score (higher is better), comparable within one query
	Lang  string  // the language whose texts matched best
}

// Kind returns the kind part of the reference ("article").
func (h Hit) Kind() string { k, _, _ := strings.Cut(h.Ref, ":"); return k }

// ID returns the id part of the reference ("fines_overstay").
func (h Hit) ID() string { _, id, _ := strings.Cut(h.Ref, ":"); return id }

// Index is a BM25 index over the knowledge base in every language: one
// document per item (article, pathway, document, city) and language, made
// of its texts in that language and the keywords and synonyms editors gave.
// It is immutable and safe for concurrent use.
type Index struct {
	base    *Base
	langs   []string
	byLang  map[string]*langIndex
	syn     *Synonyms
	intents []intent
}

type langIndex struct {
	lang     string
	refs     []string  // document number -> item reference
	lens     []float64 // document length (weighted tokens)
	avgLen   float64
	postings map[string][]posting
	byPrefix map[string][]string // first prefixRunes runes -> terms
	short    map[string][]string // terms shorter than prefixRunes by their first 3 runes
}

type posting struct {
	doc int
	tf  float64
}

// NewIndex builds the index of b for the languages, reading texts through
// text and adding syn (nil: the built-in DefaultSynonyms).
func (b *Base) NewIndex(text TextFunc, langs []string, syn *Synonyms) *Index {
	if syn == nil {
		syn = DefaultSynonyms()
	}
	if text == nil {
		text = func(string, string) (string, bool) { return "", false }
	}
	ix := &Index{base: b, langs: langs, byLang: map[string]*langIndex{}, syn: syn}
	for _, l := range langs {
		li := &langIndex{lang: l, postings: map[string][]posting{}, byPrefix: map[string][]string{}, short: map[string][]string{}}
		ix.byLang[l] = li
		add := func(ref string, parts []weighted) {
			tf := map[string]float64{}
			n := 0.0
			for _, p := range parts {
				for _, tok := range Tokens(p.text, l) {
					tf[tok] += p.w
					n += p.w
				}
			}
			if n == 0 {
				return
			}
			doc := len(li.refs)
			li.refs = append(li.refs, ref)
			li.lens = append(li.lens, n)
			for t, f := range tf {
				li.postings[t] = append(li.postings[t], posting{doc, f})
			}
		}
		msg := func(id string) string {
			if id == "" {
				return ""
			}
			s, ok := text(l, id)
			if !ok {
				return ""
			}
			return s
		}
		extra := func(ref string) weighted {
			return weighted{strings.Join(syn.Words[ref][l], " \n "), weightKeywords}
		}
		for _, a := range b.articles {
			ref := RefArticle + ":" + a.ID
			add(ref, []weighted{{msg(a.Title), weightTitle}, {msg(a.Body), weightBody},
				{strings.Join(a.Keywords[l], " \n "), weightKeywords}, extra(ref)})
		}
		for _, p := range b.pathways {
			ref := RefPathway + ":" + p.ID
			parts := []weighted{{msg(p.Title), weightTitle}, {msg(p.Summary), weightBody}, extra(ref)}
			for _, s := range p.Steps {
				parts = append(parts, weighted{msg(s), weightBody})
			}
			add(ref, parts)
		}
		for _, d := range b.documents {
			ref := RefDocument + ":" + d.ID
			add(ref, []weighted{{msg(d.Title), weightTitle}, {msg(d.What), weightBody}, {msg(d.HowToGet), weightBody}, extra(ref)})
		}
		for _, c := range b.cities {
			ref := RefCity + ":" + c.ID
			names := []string{c.ID}
			for _, n := range c.Name {
				names = append(names, n)
			}
			add(ref, []weighted{{strings.Join(names, " \n "), weightTitle}, extra(ref)})
		}
		total := 0.0
		for _, n := range li.lens {
			total += n
		}
		if len(li.lens) > 0 {
			li.avgLen = total / float64(len(li.lens))
		}
		for t := range li.postings {
			if utf8.RuneCountInString(t) >= prefixRunes {
				p := string([]rune(t)[:prefixRunes])
				li.byPrefix[p] = append(li.byPrefix[p], t)
			} else if utf8.RuneCountInString(t) >= 3 {
				p := string([]rune(t)[:3])
				li.short[p] = append(li.short[p], t)
			}
		}
		for _, m := range []map[string][]string{li.byPrefix, li.short} {
			for _, ts := range m {
				sort.Strings(ts)
			}
		}
	}
	ix.intents = compileIntents(syn)
	return ix
}

type weighted struct {
	text string
	w    float64
}

// expansion is an index term a query word matches, with its weight.
type expansion struct {
	term string
	w    float64
}

// expand returns the index terms a query word matches: itself, and words
// sharing a prefix of prefixRunes runes; a short word (3 or 4 runes) also
// matches words it begins that are at most 2 runes longer ("fine", "fines").
func (li *langIndex) expand(q string) []expansion {
	var out []expansion
	if _, ok := li.postings[q]; ok {
		out = append(out, expansion{q, 1})
	}
	n := utf8.RuneCountInString(q)
	switch {
	case n >= prefixRunes:
		for _, t := range li.byPrefix[string([]rune(q)[:prefixRunes])] {
			if t != q {
				out = append(out, expansion{t, prefixWeight})
			}
		}
	case n >= 3:
		for _, t := range li.short[string([]rune(q)[:3])] {
			if t != q && strings.HasPrefix(t, q) {
				out = append(out, expansion{t, prefixWeight})
			}
		}
		// Words of prefixRunes runes or more that begin with q and are at
		// most 2 runes longer.
		if n == prefixRunes-1 {
			for p, ts := range li.byPrefix {
				if !strings.HasPrefix(p, q) {
					continue
				}
				for _, t := range ts {
					if utf8.RuneCountInString(t) <= n+2 {
						out = append(out, expansion{t, prefixWeight})
					}
				}
			}
		}
	}
	return out
}

// score returns the BM25 score of every document for the query words.
func (li *langIndex) score(words []string) map[int]float64 {
	scores := map[int]float64{}
	N := float64(len(li.refs))
	for _, q := range words {
		best := map[int]float64{}
		for _, e := range li.expand(q) {
			ps := li.postings[e.term]
			df := float64(len(ps))
			idf := math.Log(1 + (N-df+0.5)/(df+0.5))
			for _, p := range ps {
				norm := 1 - bm25B + bm25B*li.lens[p.doc]/li.avgLen
				s := e.w * idf * p.tf * (bm25K1 + 1) / (p.tf + bm25K1*norm)
				if s > best[p.doc] {
					best[p.doc] = s
				}
			}
		}
		for d, s := range best {
			scores[d] += s
		}
	}
	return scores
}

// Search returns the items that match the query, best first, at most limit
// (all when limit <= 0). The query is read in lang first; the texts of the
// other languages count too, a little less (people mix languages).
func (ix *Index) Search(query, lang string, limit int) []Hit {
	best := map[string]Hit{}
	for _, l := range ix.langs {
		li := ix.byLang[l]
		words := dedupe(Tokens(query, l))
		if len(words) == 0 || len(li.refs) == 0 {
			continue
		}
		w := 1.0
		if l != lang {
			w = otherLangWeight
		}
		for d, s := range li.score(words) {
			s *= w
			ref := li.refs[d]
			if h, ok := best[ref]; !ok || s > h.Score {
				best[ref] = Hit{Ref: ref, Score: s, Lang: l}
			}
		}
	}
	out := make([]Hit, 0, len(best))
	for _, h := range best {
		out = append(out, h)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].Ref < out[j].Ref
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

func dedupe(ws []string) []string {
	seen := map[string]bool{}
	out := ws[:0:0]
	for _, w := range ws {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}
