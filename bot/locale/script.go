package locale

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Scripts a language may be written in (ISO 15924 codes, as in languages.yaml).
const (
	ScriptLatin    = "Latn"
	ScriptCyrillic = "Cyrl"
	ScriptArabic   = "Arab"
)

// LatinRunWords is how many Latin words in a row make a run that a text in
// a language written in another script should not hold: "ASAN xidmət" (a
// name) passes, "Main Department on Combating" (an untranslated phrase)
// does not.
const LatinRunWords = 3

// WrittenInLatin reports whether the language is written in Latin letters
// (the default when languages.yaml gives no script).
func (l Language) WrittenInLatin() bool { return l.Script == "" || l.Script == ScriptLatin }

// LatinRun returns the first run of LatinRunWords or more Latin words in s,
// or "". Codes and names do not count: words with digits, e-mail and web
// addresses, /commands and short acronyms (UNHCR, AZN) are skipped, and so
// is anything between a first-strong isolate and its pop (U+2068 ... U+2069),
// which the application puts around pieces deliberately left in another
// script, such as an address as written locally.
func LatinRun(s string) string {
	var run []string
	best := ""
	flush := func() {
		if best == "" && len(run) >= LatinRunWords {
			best = strings.Join(run, " ")
		}
		run = run[:0]
	}
	for _, w := range strings.Fields(stripIsolates(s)) {
		w = strings.TrimRightFunc(w, isPunct)
		if isCode(w) {
			continue // a code neither counts nor breaks a run of words around it
		}
		w = strings.TrimLeftFunc(w, isPunct)
		switch {
		case w == "":
		case isLatinWord(w):
			run = append(run, w)
		default:
			flush()
		}
	}
	flush()
	return best
}

// stripIsolates removes what stands between a first-strong isolate (U+2068)
// and its pop (U+2069): a piece the application left in another language on
// purpose. Left-to-right isolates (U+2066, around numbers and codes in a
// right-to-left text) are kept, so an untranslated Latin text inside one is
// still seen.
func stripIsolates(s string) string {
	if !strings.ContainsRune(s, '\u2068') {
		return s
	}
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '\u2068':
			depth++
			continue
		case r == '\u2069' && depth > 0:
			depth--
			b.WriteRune(' ')
			continue
		}
		if depth == 0 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isPunct reports whether r is punctuation, a symbol or a format character
// (such as a direction mark).
func isPunct(r rune) bool {
	return unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.Is(unicode.Cf, r)
}

// isCode reports a token (trailing punctuation cut) that is a code or an
// address rather than a word: a /command, an e-mail or web address, a
// number, an acronym.
func isCode(w string) bool {
	w = strings.TrimLeftFunc(w, func(r rune) bool { return r != '/' && isPunct(r) })
	if w == "" {
		return false
	}
	if strings.HasPrefix(w, "/") || strings.ContainsAny(w, "0123456789@._:") {
		return true
	}
	n := utf8.RuneCountInString(w)
	return n <= 5 && strings.ToUpper(w) == w && strings.ToLower(w) != w // UNHCR, IOM, AZN, ASAN, HIV
}

// isLatinWord reports a token made of Latin letters (and apostrophes or
// hyphens inside it).
func isLatinWord(w string) bool {
	letters := 0
	for _, r := range w {
		switch {
		case unicode.Is(unicode.Latin, r):
			letters++
		case r == '\'' || r == '’' || r == 'ʻ' || r == 'ʼ' || r == '-':
		default:
			return false
		}
	}
	return letters > 0
}
