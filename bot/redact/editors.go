package redact

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yol-project/yol/bot/kb"
)

// ForEditors is the stricter redaction of what editors read (the
// unanswered questions): everything Text removes, and also every number
// (amounts, ages, house numbers), names (capitalised words in Latin and
// Cyrillic writing that are not the first word of a sentence and not a
// known place or term; in every script the words after "his name is",
// "Mr", "Leyla xanım" and their translations), street addresses and the
// place a person lives ("Nizami küçəsi", "улица Ленина", "خیابان آزادی", "I
// live in ..."), and employers ("I work at ...", "Azersun şirkəti", "شركة
// ..."), in the seven languages. It is a heuristic: it masks more than
// needed rather than less, and a name typed in lower case with no phrase
// around it still passes. Applying it twice changes nothing.
func ForEditors(text string) string {
	s := reAnyNumber.ReplaceAllString(Text(text), "[number]")
	r := redactor{toks: redactTokens(s)}
	r.applyMarkers()
	r.applyCapitals()
	return r.String()
}

// reAnyNumber is any run of digits left after Text, with the separators
// inside it (300-400, 1,500, 2.5).
var reAnyNumber = regexp.MustCompile(`\d+(?:[.,:/'\-]\d+)*`)

type tokenKind uint8

const (
	tokOther tokenKind = iota // spaces and punctuation
	tokWord
	tokLabel // [name], [phone], ... from an earlier redaction
)

type redactToken struct {
	text   string
	kind   tokenKind
	norm   string // words: folded (see fold)
	start  bool   // words: the first word of a sentence
	brk    bool   // words and labels: punctuation between it and the word before
	cased  bool   // words: written in a script with capitals (Latin, Cyrillic)
	upper  bool   // words: the first letter is a capital
	mask   string // words: the label that replaces it ("" keeps it)
	marker bool   // words: part of a phrase of redactRules
}

// redactFold is how words are compared with the phrase lists: lower case, marks
// and apostrophes dropped, Cyrillic read in Latin letters, Persian and
// Arabic letter variants made one (kb.Normalize, Uzbek rules).
func redactFold(w string) string { return kb.Normalize(w, "uz") }

// redactTokens splits s into words, labels and what lies between them.
func redactTokens(s string) []redactToken {
	var toks []redactToken
	start, brk := true, false
	for i := 0; i < len(s); {
		if l := labelAt(s[i:]); l > 0 {
			toks = append(toks, redactToken{text: s[i : i+l], kind: tokLabel, brk: brk})
			i += l
			start, brk = false, false
			continue
		}
		if n := wordAt(s[i:]); n > 0 {
			w := s[i : i+n]
			r, _ := utf8.DecodeRuneInString(w)
			toks = append(toks, redactToken{text: w, kind: tokWord, norm: redactFold(w), start: start, brk: brk,
				cased: unicode.In(r, unicode.Latin, unicode.Cyrillic), upper: unicode.IsUpper(r)})
			i += n
			start, brk = false, false
			continue
		}
		j := i
		for j < len(s) && labelAt(s[j:]) == 0 && wordAt(s[j:]) == 0 {
			r, size := utf8.DecodeRuneInString(s[j:])
			switch {
			case strings.ContainsRune(".!?…؟\n", r):
				start, brk = true, true
			case unicode.IsSpace(r) || strings.ContainsRune(`"«»“”„‹›'`, r):
			default:
				brk = true
			}
			j += size
		}
		toks = append(toks, redactToken{text: s[i:j]})
		i = j
	}
	return toks
}

// labelAt returns the length of a redaction label ("[phone]") at the start
// of s, or 0.
func labelAt(s string) int {
	if !strings.HasPrefix(s, "[") {
		return 0
	}
	for i := 1; i < len(s) && i < 12; i++ {
		switch c := s[i]; {
		case c == ']' && i > 1:
			return i + 1
		case c < 'a' || c > 'z':
			return 0
		}
	}
	return 0
}

// wordAt returns the length of the word at the start of s, or 0: letters
// and marks, with apostrophes, hyphens and the zero-width (non-)joiner
// inside it.
func wordAt(s string) int {
	n := 0
	for n < len(s) {
		r, size := utf8.DecodeRuneInString(s[n:])
		switch {
		case unicode.IsLetter(r) || unicode.In(r, unicode.Mn, unicode.Mc):
			n += size
		case n > 0 && (isApostropheRune(r) || r == '-' || r == '\u200c' || r == '\u200d'):
			next, _ := utf8.DecodeRuneInString(s[n+size:])
			if !unicode.IsLetter(next) {
				return n
			}
			n += size
		default:
			return n
		}
	}
	return n
}

// isApostropheRune reports whether r is one of the marks people type as an
// apostrophe.
func isApostropheRune(r rune) bool { return strings.ContainsRune("'`‘’ʻʼ´", r) }

type redactor struct {
	toks []redactToken
}

// words returns the indexes of the word and label tokens, in order.
func (r *redactor) words() []int {
	var out []int
	for i, t := range r.toks {
		if t.kind != tokOther {
			out = append(out, i)
		}
	}
	return out
}

// applyMarkers masks the words that the phrase rules point at. The words
// of the phrases themselves stay ("küçəsi", "work at") and end any span.
func (r *redactor) applyMarkers() {
	ws := r.words()
	type match struct {
		p, n int
		rule *markerRule
	}
	var found []match
	for p, i := range ws {
		if r.toks[i].kind != tokWord {
			continue
		}
		for _, k := range rulesStartingWith(r.toks[i].norm) {
			if n := r.matchAt(ws, p, redactRules[k].phrase); n > 0 {
				found = append(found, match{p, n, &redactRules[k]})
				for j := p; j < p+n; j++ {
					r.toks[ws[j]].marker = true
				}
			}
		}
	}
	for _, m := range found {
		if m.rule.after > 0 {
			r.maskSpan(ws, m.p+m.n, +1, *m.rule)
		}
		if m.rule.before > 0 {
			r.maskSpan(ws, m.p-1, -1, *m.rule)
		}
	}
}

// matchAt reports how many words of phrase match the words from ws[p] on
// (0: no match). The words of a phrase must not be split by punctuation.
func (r *redactor) matchAt(ws []int, p int, phrase []string) int {
	if p+len(phrase) > len(ws) {
		return 0
	}
	for k, want := range phrase {
		t := r.toks[ws[p+k]]
		if t.kind != tokWord || k > 0 && t.brk || !wordMatches(t.norm, want) {
			return 0
		}
	}
	return len(phrase)
}

// wordMatches compares a folded word with a phrase word; "stem*" matches
// every word that starts with stem. The part before a hyphen is enough
// (MMC-dir). A one-letter Arabic prefix (and, with,
// for: و ب ل ف) may be glued to the word.
func wordMatches(norm, want string) bool {
	if matchesOne(norm, want) {
		return true
	}
	if head, _, ok := strings.Cut(norm, " "); ok {
		return matchesOne(head, want) // MMC-dir, DMX-ə
	}
	if r, size := utf8.DecodeRuneInString(norm); strings.ContainsRune("وبلف", r) && utf8.RuneCountInString(norm) > 3 {
		return matchesOne(norm[size:], want)
	}
	return false
}

// rulesStartingWith returns the indexes in redactRules of the rules whose
// first word may match the folded word norm (see wordMatches).
func rulesStartingWith(norm string) []int {
	var out []int
	add := func(w string) {
		out = append(out, rulesByFirst[w]...)
		for i := range w {
			if i > maxStem {
				return
			}
			if i > 0 {
				out = append(out, rulesByFirst[w[:i]+"*"]...)
			}
		}
		out = append(out, rulesByFirst[w+"*"]...)
	}
	add(norm)
	if head, _, ok := strings.Cut(norm, " "); ok {
		add(head)
	}
	if r, size := utf8.DecodeRuneInString(norm); strings.ContainsRune("وبلف", r) && utf8.RuneCountInString(norm) > 3 {
		add(norm[size:])
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// rulesByFirst indexes redactRules by the first word of their phrase.
var rulesByFirst = func() map[string][]int {
	m := map[string][]int{}
	for k, rule := range redactRules {
		m[rule.phrase[0]] = append(m[rule.phrase[0]], k)
	}
	return m
}()

// matchesOne reports whether a folded word matches want: exactly, or by
// prefix when want ends with "*".
func matchesOne(norm, want string) bool {
	if stem, ok := strings.CutSuffix(want, "*"); ok {
		return strings.HasPrefix(norm, stem)
	}
	return norm == want
}

// maskSpan masks up to rule.after (dir +1) or rule.before (dir -1) words
// from ws[p] on, in direction dir, with rule's label. A span ends at
// punctuation, a label, a stop word, a known place or term, a kind of
// workplace, or (mode capitals) a lower-case word of a cased script; with
// openers, it is masked only when one of them ends it.
func (r *redactor) maskSpan(ws []int, p, dir int, rule markerRule) {
	limit := rule.after
	if dir < 0 {
		limit = rule.before
	}
	var span []int
	first := true
	end := -1 // the position in ws of the word that ended the span
	for ; p >= 0 && p < len(ws); p += dir {
		t := &r.toks[ws[p]]
		// Punctuation between this word and the one towards the phrase.
		edge := t
		if dir < 0 {
			edge = &r.toks[ws[p+1]]
		}
		if edge.brk && !(first && dir > 0 && softBreak(r.toks, ws[p])) || t.kind != tokWord {
			break
		}
		if len(span) == limit {
			end = p
			break
		}
		if first && dir > 0 && redactSkip[t.norm] {
			continue // "work at the ...": the article stays
		}
		first = false
		if t.marker || redactStopWord(t.norm) || redactKeptWord(t.norm) || redactWorkplaceWord(t.norm) {
			end = p
			break
		}
		caps := rule.mode == modeCapitals || rule.mode == modeName && len(span) > 0
		if caps && t.cased && !t.upper {
			break
		}
		span = append(span, ws[p])
	}
	if rule.openers != nil && (end < 0 || !rule.openers[r.toks[ws[end]].norm]) {
		return
	}
	for _, i := range span {
		if r.toks[i].mask == "" {
			r.toks[i].mask = rule.label
		}
	}
}

// softBreak reports whether only a colon or the full stop of an
// abbreviation ("ул. Низами", "name: Farida") separates the word at index i
// from the word before it.
func softBreak(toks []redactToken, i int) bool {
	if i == 0 || toks[i-1].kind != tokOther {
		return false
	}
	return strings.Trim(toks[i-1].text, " .:\"«»“”") == ""
}

// applyCapitals masks, in Latin and Cyrillic writing, capitalised words
// that do not start a sentence and are not known places or terms (names of
// people, streets, employers), and the first word of a sentence when the
// word after it is so masked and looks like a surname ("Farida Karimova
// lost ...", "Фарида Каримова").
func (r *redactor) applyCapitals() {
	ws := r.words()
	for k, i := range ws {
		t := &r.toks[i]
		if t.kind != tokWord || t.mask != "" || t.marker || !t.cased || !t.upper || t.start ||
			redactKeptWord(t.norm) || acronym(t.text) {
			continue
		}
		t.mask = labelName
		if k == 0 || !surnameLike(t.norm) {
			continue
		}
		prev := &r.toks[ws[k-1]]
		if prev.kind == tokWord && prev.start && prev.cased && prev.upper && prev.mask == "" && !prev.marker && !t.brk &&
			!redactKeptWord(prev.norm) && !redactStopWord(prev.norm) && !acronym(prev.text) {
			prev.mask = labelName
		}
	}
}

// surnameLike reports whether a folded word ends like the family names of
// the region (Karimova, Алиев, Məmmədli, Hüseynzadə, Petrosyan, Rezaei,
// Ахмедович).
func surnameLike(norm string) bool {
	for _, end := range surnameEndings {
		if len(norm) > len(end)+2 && strings.HasSuffix(norm, end) {
			return true
		}
	}
	return false
}

var surnameEndings = []string{"ov", "ova", "ev", "eva", "yev", "yeva", "in", "ina", "sky", "ski", "skaya", "skiy",
	"zade", "zadeh", "li", "lu", "oglu", "qizi", "yan", "ian", "vich", "vna", "ovich", "ovna", "ei", "pour", "nejad"}

// acronym reports whether w (before a hyphen or an apostrophe: DMX-ə,
// SIM'i) is written in capitals and short (SIM, DMX, ASAN, ГМС): an
// abbreviation, not a name.
func acronym(w string) bool {
	if i := strings.IndexFunc(w, func(r rune) bool { return r == '-' || isApostropheRune(r) }); i > 0 {
		w = w[:i]
	}
	n := 0
	for _, c := range w {
		if unicode.IsLetter(c) && !unicode.IsUpper(c) {
			return false
		}
		n++
	}
	return n >= 2 && n <= 5
}

// String joins the tokens, a run of masked words with one label (and the
// spaces or hyphens between them) written once.
func (r *redactor) String() string {
	var b strings.Builder
	for i := 0; i < len(r.toks); i++ {
		t := r.toks[i]
		if t.kind != tokWord || t.mask == "" {
			b.WriteString(t.text)
			continue
		}
		b.WriteString("[" + t.mask + "]")
		for i+2 < len(r.toks) && r.toks[i+2].mask == t.mask && r.toks[i+2].kind == tokWord &&
			strings.Trim(r.toks[i+1].text, " -") == "" {
			i += 2
		}
	}
	return b.String()
}
