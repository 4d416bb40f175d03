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
	// keyWeight discounts a word read through a key shared by two scripts
	// (Russian or Persian in Latin letters), cliticWeight one read without
	// a clitic or in its written form (Arabic and Persian), typoWeight one
	// read as a misspelling (per edit).
	keyWeight    = 0.9
	cliticWeight = 0.85
	typoWeight   = 0.75
	// earlierWeight is the weight of the words before the last sentence of
	// a long message (longMessage words or more): people tell their story
	// first and ask last.
	earlierWeight = 0.35
	longMessage   = 12
	// foreignTypoRunes: a word is read as a typo in a language other than
	// the person's only from this length on (and only when no index knows
	// it): short words of one language are often a letter away from words
	// of another ("farda", "barda").
	foreignTypoRunes = 7
	// minSkeleton is the fewest consonants of a Persian skeleton that
	// identify a word ("psprt" pasport; "frd" would be farda, fard, afrad).
	minSkeleton = 4
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
	intents map[string]*intentIndex // language -> its intent phrases
}

type langIndex struct {
	lang     string
	refs     []string  // document number -> item reference
	lens     []float64 // document length (weighted tokens)
	avgLen   float64
	postings map[string][]posting
	byPrefix map[string][]string // first prefixRunes runes -> terms
	short    map[string][]string // terms shorter than prefixRunes by their first 3 runes
	four     map[string][]string // terms of prefixRunes to prefixRunes+1 runes by their first 4 runes
	// vocab is every word the index knows: its terms and the words of the
	// intent phrases. A query word outside it is read again (respell).
	vocab map[string]bool
	dels  map[string][]string // a vocabulary word less one rune -> words (typos)
	keys  map[string][]string // ru: ruKey, fa: faSkeleton -> vocabulary words in the language's script
	keyPr map[string][]string // ru: first prefixRunes letters of the key -> words
	docOf map[string]int      // item reference -> document number
	// cityWords are the words of the cities' names ({city} in intents).
	cityWords []string
	isCity    map[string]bool
	// stopKeys are the keys of the stop words (ru: "chto", "gde").
	stopKeys map[string]bool
	spell    map[string][]spelling // first word of a spelling -> its spellings (spellings:)
}

type posting struct {
	doc int
	tf  float64
}

// NewIndex builds the index of b for the languages, reading texts through
// text and adding the pack's search words (b.Synonyms()), or syn instead
// when it is not nil (a syn without spellings uses the pack's spellings).
func (b *Base) NewIndex(text TextFunc, langs []string, syn *Synonyms) *Index {
	if syn == nil {
		syn = b.Synonyms()
	}
	if text == nil {
		text = func(string, string) (string, bool) { return "", false }
	}
	spellings := syn.Spellings
	if spellings == nil {
		spellings = b.Synonyms().Spellings
	}
	ix := &Index{base: b, langs: langs, byLang: map[string]*langIndex{}, syn: syn}
	for _, l := range langs {
		li := &langIndex{lang: l, postings: map[string][]posting{}, byPrefix: map[string][]string{},
			short: map[string][]string{}, four: map[string][]string{}, vocab: map[string]bool{},
			dels: map[string][]string{}, keys: map[string][]string{}, keyPr: map[string][]string{},
			stopKeys: map[string]bool{}, docOf: map[string]int{}, spell: compileSpellings(spellings[l], l)}
		ix.byLang[l] = li
		add := func(ref string, parts []weighted) {
			tf := map[string]float64{}
			n := 0.0
			for _, p := range parts {
				for _, tok := range li.tokens(p.text) {
					tf[tok] += p.w
					n += p.w
				}
			}
			if n == 0 {
				return
			}
			doc := len(li.refs)
			li.docOf[ref] = doc
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
				parts = append(parts, weighted{msg(s.Text), weightBody})
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
			for _, n := range append(names, syn.Words[ref][l]...) {
				li.cityWords = append(li.cityWords, li.tokens(n)...)
			}
		}
		total := 0.0
		for _, n := range li.lens {
			total += n
		}
		if len(li.lens) > 0 {
			li.avgLen = total / float64(len(li.lens))
		}
		for t := range li.postings {
			n := utf8.RuneCountInString(t)
			if n >= prefixRunes {
				p := string([]rune(t)[:prefixRunes])
				li.byPrefix[p] = append(li.byPrefix[p], t)
				if n <= prefixRunes+1 {
					p4 := string([]rune(t)[:prefixRunes-1])
					li.four[p4] = append(li.four[p4], t)
				}
			} else if n >= 3 {
				p := string([]rune(t)[:3])
				li.short[p] = append(li.short[p], t)
			}
			li.vocab[t] = true
		}
	}
	ix.intents = compileIntents(syn, ix.byLang)
	for _, li := range ix.byLang {
		li.isCity = map[string]bool{}
		for _, w := range li.cityWords {
			li.isCity[w] = true
		}
		li.indexVocab()
		for _, m := range []map[string][]string{li.byPrefix, li.short, li.four} {
			for _, ts := range m {
				sort.Strings(ts)
			}
		}
	}
	return ix
}

// indexVocab fills the lookups of respell from the vocabulary (terms and
// intent words, added by compileIntents).
func (li *langIndex) indexVocab() {
	li.dels = make(map[string][]string, 8*len(li.vocab))
	for w := range li.vocab {
		rs := []rune(w)
		// Typos are read for query words of 5 runes or more: a shorter
		// vocabulary word is found by deleting from the query word.
		if len(rs) >= 5 && len(rs) <= 24 && !isDigits(w) && isASCIIWord(w) == latinScript(li.lang) {
			for _, d := range deletes(rs) {
				li.dels[d] = append(li.dels[d], w)
			}
		}
		if isASCIIWord(w) {
			continue
		}
		var k string
		switch li.lang {
		case "ru":
			k = ruKey(w)
		case "fa":
			k = faSkeleton(w)
		}
		if k == "" {
			continue
		}
		li.keys[k] = append(li.keys[k], w)
		if li.lang == "ru" && len(k) >= prefixRunes {
			li.keyPr[k[:prefixRunes]] = append(li.keyPr[k[:prefixRunes]], w)
		}
	}
	if li.lang == "ru" {
		for w := range stopWords {
			if k := ruKey(w); k != "" && !isASCIIWord(w) {
				li.stopKeys[k] = true
			}
		}
	}
	for _, m := range []map[string][]string{li.dels, li.keys, li.keyPr} {
		for _, ts := range m {
			sort.Strings(ts)
		}
	}
}

// latinScript reports whether a language is written in Latin letters.
func latinScript(lang string) bool {
	switch lang {
	case "ru", "fa", "ar":
		return false
	}
	return true
}

// respellable reports whether the index reads the query word q again
// (respell): a word it does not know, or (Russian, Persian) a word in
// Latin letters that is not one of its words, even if it shares a prefix
// with one ("migracionnaya", "migration").
func (li *langIndex) respellable(q string) bool {
	if li.vocab[q] {
		return false
	}
	if (li.lang == "ru" || li.lang == "fa") && isASCIIWord(q) {
		return true
	}
	return len(li.expand(q)) == 0
}

// isDigits reports whether w is made of ASCII digits only.
func isDigits(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return true
}

// spelling is one spelling of a written form: one word or a short phrase.
type spelling struct {
	words []string // the spelling, normalised
	to    []string // the written form, normalised
}

// compileSpellings turns the spellings of a language (written form ->
// spellings people type) into first word of a spelling -> spellings,
// longest first, both normalised.
func compileSpellings(m map[string][]string, lang string) map[string][]spelling {
	out := map[string][]spelling{}
	stds := make([]string, 0, len(m))
	for std := range m {
		stds = append(stds, std)
	}
	sort.Strings(stds) // a spelling listed twice goes to the first written form
	seen := map[string]bool{}
	for _, std := range stds {
		to := strings.Fields(Normalize(std, lang))
		if len(to) == 0 {
			continue
		}
		for _, v := range m[std] {
			ws := strings.Fields(Normalize(v, lang))
			key := strings.Join(ws, " ")
			if len(ws) == 0 || seen[key] || key == strings.Join(to, " ") {
				continue
			}
			seen[key] = true
			out[ws[0]] = append(out[ws[0]], spelling{ws, to})
		}
	}
	for _, sp := range out {
		sort.SliceStable(sp, func(i, j int) bool { return len(sp[i].words) > len(sp[j].words) })
	}
	return out
}

// words returns the normalised words of text in the index's language, with
// the spellings replaced by their written form and the Arabic article
// stripped; stop words stay (intent phrases use them).
func (li *langIndex) words(text string) []string {
	ws := strings.Fields(Normalize(text, li.lang))
	arabic := li.lang == "ar" || li.lang == "fa"
	var out []string
	for i := 0; i < len(ws); i++ {
		w := ws[i]
		if sp := li.spelling(ws, i); sp != nil {
			out = append(out, sp.to...)
			i += len(sp.words) - 1
			continue
		}
		if arabic {
			w = stripArabicArticle(w)
			if sp := li.spell[w]; len(sp) > 0 && len(sp[len(sp)-1].words) == 1 {
				out = append(out, sp[len(sp)-1].to...)
				continue
			}
		}
		out = append(out, w)
	}
	return out
}

// spelling returns the longest spelling that begins at ws[i], or nil.
func (li *langIndex) spelling(ws []string, i int) *spelling {
next:
	for k, sp := range li.spell[ws[i]] {
		if i+len(sp.words) > len(ws) {
			continue
		}
		for j, w := range sp.words[1:] {
			if ws[i+1+j] != w {
				continue next
			}
		}
		return &li.spell[ws[i]][k]
	}
	return nil
}

// tokens returns the words of text that carry a topic: words less stop
// words.
func (li *langIndex) tokens(text string) []string {
	ws := li.words(text)
	out := ws[:0]
	for _, w := range ws {
		if !li.stop(w) {
			out = append(out, w)
		}
	}
	return out
}

// stop reports whether w is a stop word, also when it is a Russian stop
// word typed in Latin letters.
func (li *langIndex) stop(w string) bool {
	if stopWords[w] {
		return true
	}
	return len(li.stopKeys) > 0 && isASCIIWord(w) && li.stopKeys[ruKey(w)]
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
	rs := []rune(q)
	n := len(rs)
	switch {
	case n >= prefixRunes:
		for _, t := range li.byPrefix[string(rs[:prefixRunes])] {
			if t != q {
				out = append(out, expansion{t, prefixWeight})
			}
		}
	case n >= 3:
		for _, t := range li.short[string(rs[:3])] {
			if t != q && strings.HasPrefix(t, q) {
				out = append(out, expansion{t, prefixWeight})
			}
		}
		// Words of prefixRunes runes or more that begin with q and are at
		// most 2 runes longer.
		if n == prefixRunes-1 {
			out = append(out, expansions(li.four[q], prefixWeight)...)
		}
	}
	return out
}

// expansions returns the terms ts, each with weight w.
func expansions(ts []string, w float64) []expansion {
	out := make([]expansion, len(ts))
	for i, t := range ts {
		out[i] = expansion{t, w}
	}
	return out
}

// known reports whether the index knows the query word q: a term, a word
// of an intent phrase, or a word sharing its stem with a term.
func (li *langIndex) known(q string) bool {
	return li.vocab[q] || len(li.expand(q)) > 0
}

// respell reads a query word the index does not know: Russian or Persian
// in Latin letters through the key both scripts share; an Arabic or
// Persian word without its clitics; and, when typos is set, a word one
// edit away from a vocabulary word (two for 8 runes or more). The result
// holds vocabulary words, not only terms, so that intent phrases can use
// it; the terms among them and their stems count for BM25. loose is true
// when the reading is a guess (a typo, a Persian consonant skeleton), not a
// spelling of the word.
func (li *langIndex) respell(q string, typos bool) (exps []expansion, loose bool) {
	var out []expansion
	seen := map[string]int{}
	add := func(t string, w float64) {
		if i, ok := seen[t]; ok {
			out[i].w = max(out[i].w, w)
			return
		}
		seen[t] = len(out)
		out = append(out, expansion{t, w})
	}
	if isASCIIWord(q) {
		switch li.lang {
		case "ru":
			k := ruKey(q)
			for _, t := range li.keys[k] {
				add(t, keyWeight)
			}
			if len(k) >= prefixRunes {
				for _, t := range li.keyPr[k[:prefixRunes]] {
					add(t, keyWeight*prefixWeight)
				}
			}
		case "fa":
			if k := faSkeleton(q); len(k) >= minSkeleton {
				for _, t := range li.keys[k] {
					add(t, keyWeight*prefixWeight)
					loose = true
				}
			}
		}
	}
	for _, f := range cliticForms(q, li.lang) {
		if li.vocab[f] {
			add(f, cliticWeight)
		}
		for _, e := range li.expand(f) {
			add(e.term, cliticWeight*e.w)
		}
	}
	if len(out) > 0 || !typos {
		return out, loose
	}
	rs := []rune(q)
	if len(rs) < 5 || isDigits(q) || isASCIIWord(q) != latinScript(li.lang) {
		// A typo is a word of the language's own script (Latin in a
		// Persian index is Finglish or a foreign name, not a typo).
		return nil, false
	}
	maxD := 1
	if len(rs) >= 8 {
		maxD = 2
	}
	cand := map[string]bool{}
	for _, d := range deletes(rs) {
		if li.vocab[d] {
			cand[d] = true
		}
		for _, t := range li.dels[d] {
			cand[t] = true
		}
		if maxD == 2 {
			for _, d2 := range deletes([]rune(d)) {
				if li.vocab[d2] {
					cand[d2] = true
				}
				for _, t := range li.dels[d2] {
					cand[t] = true
				}
			}
		}
	}
	for _, t := range li.dels[q] {
		cand[t] = true
	}
	ts := make([]string, 0, len(cand))
	for t := range cand {
		ts = append(ts, t)
	}
	sort.Strings(ts)
	for _, t := range ts {
		if d := editDistance(rs, []rune(t), maxD); d <= maxD {
			add(t, math.Pow(typoWeight, float64(d)))
		}
	}
	return out, true
}

// cliticForms returns the forms of an Arabic or Persian word without its
// clitics: Arabic و ف ب ل ك and the verb prefixes ا ي ت ن before it and
// the pronouns after it ("بباكو" باكو, "جوازي" جواز, "اسجل" سجل), Persian colloquial endings ("پاسپورتمو"
// پاسپورت) and the spoken vowel ("زبون" زبان, "تموم" تمام).
func cliticForms(w, lang string) []string {
	var pre, suf []string
	switch lang {
	case "ar":
		// Conjunctions and prepositions, then the present-tense prefixes
		// of verbs ("اسجل" I register: سجل, as in تسجیل).
		pre = []string{"و", "ف", "ب", "ل", "ک", "ا", "ی", "ت", "ن"}
		suf = []string{"هما", "کما", "ها", "هم", "کم", "نا", "نی", "ات", "ین", "ون", "وا", "ه", "ی", "ک"}
	case "fa":
		pre = []string{"نمی", "می", "ن", "ب"}
		suf = []string{"هامو", "هاشو", "هارو", "هایم", "های", "ها", "امو", "اشو", "ام", "ات", "اش", "مو", "تو", "شو", "رو", "یم", "ید", "ند", "ه", "م", "ت", "ش", "و", "ی", "ن"}
	default:
		return nil
	}
	var out []string
	long := func(s string) bool { return utf8.RuneCountInString(s) >= 3 }
	stems := []string{w}
	for _, p := range pre {
		if r, ok := strings.CutPrefix(w, p); ok && long(r) {
			stems = append(stems, r)
			if lang == "ar" {
				stems = append(stems, stripArabicArticle(r))
			}
			break
		}
	}
	for _, s := range stems {
		if s != w {
			out = append(out, s)
		}
		for _, x := range suf {
			if r, ok := strings.CutSuffix(s, x); ok && long(r) {
				out = append(out, r)
				break
			}
		}
	}
	if lang == "fa" {
		for _, f := range append([]string{w}, out...) {
			for _, ab := range [][2]string{{"ون", "ان"}, {"وم", "ام"}} {
				if strings.Contains(f, ab[0]) {
					out = append(out, strings.Replace(f, ab[0], ab[1], 1))
				}
			}
		}
	}
	return out
}

// qword is a query word and its weight (sentence).
type qword struct {
	w      string
	weight float64
}

// langQuery is a question read in one language.
type langQuery struct {
	seq   []string      // all words, in order (intent phrases)
	words []qword       // topic words, each once (BM25)
	forms [][]string    // per seq word: what it may stand for (itself first)
	exps  [][]expansion // per topic word: the index terms it matches
}

// query is a question read in every language of the index.
type query struct {
	langs map[string]*langQuery
	// anyMatch: the words some index knows, or reads through a key or
	// without clitics.
	anyMatch map[string]bool
}

// read reads a question in every language: its words, their weights (the
// last sentence of a long message counts most), and what each word stands
// for in each index (itself, its stems; else its respellings). A word is
// read as a typo in the person's language lang when that index does not
// know it, in the others only when no index knows it.
func (ix *Index) read(text, lang string) query {
	q := query{langs: map[string]*langQuery{}, anyMatch: map[string]bool{}}
	sents := sentences(text)
	known := map[string]bool{}
	for _, l := range ix.langs {
		li := ix.byLang[l]
		lq := &langQuery{}
		q.langs[l] = lq
		var perSent [][]string
		nwords := 0
		for _, s := range sents {
			ws := li.words(s)
			perSent = append(perSent, ws)
			lq.seq = append(lq.seq, ws...)
			for _, w := range ws {
				if !li.stop(w) {
					nwords++
				}
			}
		}
		last := -1 // the last sentence with a topic word
		if len(sents) > 1 && nwords >= longMessage {
			for i := len(perSent) - 1; i >= 0 && last < 0; i-- {
				for _, w := range perSent[i] {
					if !li.stop(w) {
						last = i
						break
					}
				}
			}
		}
		at := map[string]int{}
		for i, ws := range perSent {
			wt := 1.0
			if last >= 0 && i != last {
				wt = earlierWeight
			}
			for _, w := range ws {
				if li.stop(w) {
					continue
				}
				if j, ok := at[w]; ok {
					lq.words[j].weight = max(lq.words[j].weight, wt)
					continue
				}
				at[w] = len(lq.words)
				lq.words = append(lq.words, qword{w, wt})
			}
		}
		lq.exps = make([][]expansion, len(lq.words))
		for i, w := range lq.words {
			lq.exps[i] = li.expand(w.w)
		}
		lq.forms = make([][]string, len(lq.seq))
		for i, w := range lq.seq {
			lq.forms[i] = []string{w}
			if li.known(w) {
				known[w] = true
				q.anyMatch[w] = true
			}
		}
	}
	// Respell the words an index does not know.
	for _, l := range ix.langs {
		li, lq := ix.byLang[l], q.langs[l]
		cache := map[string][]expansion{}
		resp := func(w string) []expansion {
			r, ok := cache[w]
			if !ok {
				var loose bool
				typos := l == lang || !known[w] && utf8.RuneCountInString(w) >= foreignTypoRunes
				r, loose = li.respell(w, typos)
				cache[w] = r
				if len(r) > 0 && !loose {
					q.anyMatch[w] = true
				}
			}
			return r
		}
		for i, w := range lq.seq {
			if !li.respellable(w) {
				continue
			}
			for _, e := range resp(w) {
				lq.forms[i] = append(lq.forms[i], e.term)
			}
		}
		for i, w := range lq.words {
			if !li.respellable(w.w) {
				continue
			}
			exps := lq.exps[i]
			for _, e := range resp(w.w) {
				for _, s := range li.expand(e.term) {
					exps = append(exps, expansion{s.term, s.w * e.w})
				}
			}
			lq.exps[i] = exps
		}
	}
	return q
}

// score returns the BM25 score of every document for the query words.
func (li *langIndex) score(lq *langQuery) map[int]float64 {
	scores := map[int]float64{}
	N := float64(len(li.refs))
	best := map[int]float64{}
	for i, q := range lq.words {
		clear(best)
		for _, e := range lq.exps[i] {
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
			scores[d] += s * q.weight
		}
	}
	return scores
}

// Search returns the items that match the query, best first, at most limit
// (all when limit <= 0). The query is read in lang first; the texts of the
// other languages count too, a little less (people mix languages).
func (ix *Index) Search(query, lang string, limit int) []Hit {
	return ix.search(ix.read(query, lang), lang, limit)
}

// search scores the index's items for a read query in every language
// (texts in languages other than lang weigh less) and returns the best, at
// most limit.
func (ix *Index) search(q query, lang string, limit int) []Hit {
	best := map[string]Hit{}
	for _, l := range ix.langs {
		li := ix.byLang[l]
		lq := q.langs[l]
		if len(lq.words) == 0 || len(li.refs) == 0 {
			continue
		}
		w := 1.0
		if l != lang {
			w = otherLangWeight
		}
		for d, s := range li.score(lq) {
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

// support returns how many distinct topic words of the question occur in
// the hit's texts (matched), how many of those are not city names (what
// rather than where), how many topic words are not city names (others),
// and how many topic words no index knows at all (not even respelled; a
// typo match does not count).
func (ix *Index) support(q query, h Hit) (matched, what, others, unknown int) {
	li, lq := ix.byLang[h.Lang], q.langs[h.Lang]
	if li == nil || lq == nil {
		return 0, 0, 0, 0
	}
	doc, ok := li.docOf[h.Ref]
	if !ok {
		return 0, 0, 0, 0
	}
	for i, w := range lq.words {
		if !q.anyMatch[w.w] {
			unknown++
		}
		place := li.isCity[w.w]
		if !place {
			others++
		}
	found:
		for _, e := range lq.exps[i] {
			for _, p := range li.postings[e.term] {
				if p.doc == doc {
					matched++
					if !place {
						what++
					}
					break found
				}
			}
		}
	}
	return matched, what, others, unknown
}
