package redact

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yol-project/yol/bot/kb"
)

// nameMarkers introduce the person's own name, in the seven languages:
// the words after them are replaced by [name] (see redactNames). Longer
// phrases are tried first, so "adım soyadım" wins over "adım".
var nameMarkers = []string{
	// en
	"my name is", "my name's", "my full name is", "my first name is", "my last name is", "my surname is",
	"i am called", "i'm called", "im called", "name:", "surname:",
	// ru
	"меня зовут", "зовут меня", "меня звать", "моё имя", "мое имя", "моя фамилия", "фамилия", "имя:",
	// az
	"mənim adım", "menim adim", "adım soyadım", "adim soyadim", "soyadım", "soyadim", "adım", "adim",
	// tr
	"benim adım", "benim ismim", "ismim", "soyadım",
	// uz (Latin and Cyrillic)
	"mening ismim", "mening otim", "mening familiyam", "ismim", "otim", "familiyam",
	"менинг исмим", "менинг отим", "исмим", "отим", "фамилиям",
	// fa
	"اسم من", "اسمم", "نام من", "نامم", "نام خانوادگی من", "نام خانوادگی\u200cام", "فامیلی من", "فامیلیم",
	// ar
	"انا اسمي", "أنا اسمي", "اسمي", "اسمى", "اسم عائلتي", "لقبي",
}

// foldedMarkers are nameMarkers case-folded as foldCase does.
var foldedMarkers = func() []string {
	out := make([]string, len(nameMarkers))
	for i, m := range nameMarkers {
		out[i] = foldCase(m)
	}
	return out
}()

// hasNameMarker reports whether s may hold a name marker: true whenever
// reName matches (both compare letters through Unicode's simple case
// folding), and false for most texts.
func hasNameMarker(s string) bool {
	f := foldCase(s)
	for _, m := range foldedMarkers {
		if strings.Contains(f, m) {
			return true
		}
	}
	return false
}

// foldCase maps every letter to the smallest letter of its simple case
// folding orbit (the letters (?i) treats as equal).
func foldCase(s string) string {
	return strings.Map(func(r rune) rune {
		lo := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			lo = min(lo, f)
		}
		return lo
	}, s)
}

// nameMarkerRegexp matches any of the markers (case-insensitive, longest
// first) followed by the spaces or punctuation before the name.
func nameMarkerRegexp(markers []string) *regexp.Regexp {
	ms := slices.Clone(markers)
	slices.SortStableFunc(ms, func(a, b string) int { return len(b) - len(a) })
	ms = slices.Compact(ms)
	for i, m := range ms {
		ms[i] = regexp.QuoteMeta(m)
	}
	return regexp.MustCompile(`(?i)(` + strings.Join(ms, "|") + `)[\s:,\-—]+`)
}

// Redaction of personal data before a text leaves the machine (a model) or
// is kept for editors. What it finds is replaced by a bracketed label.
var (
	reEmail = regexp.MustCompile(`[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}.\-]+\.[\p{L}]{2,}`)
	// Dates: 12.05.1990, 12/05/90, 1990-05-12, 12 05 1990.
	reDate = regexp.MustCompile(`\b(?:\d{1,2}[./\-]\d{1,2}[./\-](?:\d{4}|\d{2})|\d{4}[./\-]\d{1,2}[./\-]\d{1,2})\b`)
	// Digit runs with separators (cards, phones, long ids).
	reDigits = regexp.MustCompile(`\+?\(?\d[\d\s\-().]*\d`)
	// Document numbers: letters then digits (AA1234567, AZE 12345678, C01234567, П-1234567).
	reDocNo = regexp.MustCompile(`\b\p{L}{1,3}[\s\-№#]?\d{5,}\b`)
	// A name after "my name is" and its translations (nameMarkers).
	reName = nameMarkerRegexp(nameMarkers)
)

// Text replaces personal data in text before it leaves the machine (a
// model's prompt, a translation): e-mail addresses, links with
// query strings, dates (of birth), card numbers (Luhn), phone numbers,
// passport and ID numbers, any run of 6 or more digits, and names written
// after "my name is" (in the seven languages). Persian and Arabic digits
// are read as Latin ones. Names not introduced that way are not detected.
func Text(text string) string {
	s := kb.NormalizeDigits(text)
	s = reEmail.ReplaceAllString(s, "[email]")
	s = reDate.ReplaceAllString(s, "[date]")
	s = reDocNo.ReplaceAllString(s, "[id]")
	s = reDigits.ReplaceAllStringFunc(s, func(m string) string {
		digits := onlyDigits(m)
		switch {
		case len(digits) >= 13 && len(digits) <= 19 && luhn(digits):
			return keepEdges(m, "[card]")
		case len(digits) >= 7 && len(digits) <= 15:
			return keepEdges(m, "[phone]")
		case len(digits) >= 7 || longestDigitRun(m) >= 6:
			return keepEdges(m, "[number]")
		}
		return m
	})
	s = redactNames(s)
	return s
}

// keepEdges keeps the spaces a match swallowed at its ends.
func keepEdges(m, label string) string {
	out := label
	if strings.HasPrefix(m, " ") {
		out = " " + out
	}
	if strings.HasSuffix(m, " ") {
		out += " "
	}
	return out
}

// longestDigitRun returns the length of the longest run of ASCII digits in
// s.
func longestDigitRun(s string) int {
	best, n := 0, 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}

// onlyDigits returns the ASCII digits of s.
func onlyDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// luhn reports whether a string of digits passes the Luhn check, as card
// numbers do.
func luhn(digits string) bool {
	sum, alt := 0, false
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if alt {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		alt = !alt
	}
	return sum%10 == 0
}

// redactNames replaces up to two words after each name marker. In scripts
// with capitals, the second word goes only when it is capitalised too.
func redactNames(s string) string {
	if !hasNameMarker(s) {
		return s // the common case, without the slower regular expression
	}
	locs := reName.FindAllStringIndex(s, -1)
	if len(locs) == 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for _, loc := range locs {
		if loc[0] < last {
			continue
		}
		b.WriteString(s[last:loc[1]])
		rest := s[loc[1]:]
		end := 0
		for w := 0; w < 2; w++ {
			i := end
			for i < len(rest) && rest[i] == ' ' && w > 0 {
				i++
			}
			j := i
			for j < len(rest) {
				r, size := decodeRune(rest[j:])
				if !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) && r != '-' && r != '\'' {
					break
				}
				j += size
			}
			if j == i {
				break
			}
			word := rest[i:j]
			if w > 0 {
				r, _ := decodeRune(word)
				if unicode.IsLower(r) || isStopName(word) {
					break
				}
			}
			end = j
		}
		if end > 0 {
			b.WriteString("[name]")
		}
		last = loc[1] + end
	}
	b.WriteString(s[last:])
	return b.String()
}

// decodeRune returns the first rune of s and its width in bytes.
func decodeRune(s string) (rune, int) { return utf8.DecodeRuneInString(s) }

// isStopName: words that follow a name and are not part of it.
func isStopName(w string) bool {
	switch strings.ToLower(w) {
	case "و", "من", "است", "هستم", "هست", "هستش", "i", "и", "я", "va", "men", "ve", "ben", "and":
		return true
	}
	return false
}
