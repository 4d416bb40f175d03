package llm

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/kb"
)

var (
	reCite = regexp.MustCompile(`\[\s*((?:article|pathway|document):[a-z0-9_]+)\s*\]`)
	// Anything left in brackets that looks like an id (a citation in
	// another form) is removed too.
	reCiteLoose = regexp.MustCompile(`\[[^\]\n]{0,60}\]`)
	reNumber    = regexp.MustCompile(`\d+`)
	rePhoneLike = regexp.MustCompile(`\+?\(?\d[\d\s\-().]{5,}\d`)
	reLink      = regexp.MustCompile(`(?i)(?:https?://\S+|www\.\S+|[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}.\-]+|\b[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.(?:az|com|org|net|gov|int|ru|info|io|me|ir|tr|uz)\b)`)
	reMoney     = regexp.MustCompile(`(?i)(\d+(?:[.,]\d+)?)\s*(?:azn|₼|manat|манат|منات|مانات)|(?:azn|₼)\s*(\d+(?:[.,]\d+)?)`)
	reMoneyWord = regexp.MustCompile(`(?i)azn|₼|manat|манат|منات|مانات`)
)

// addressWords mark an address; an answer may use one only when its
// sources do.
var addressWords = []string{"street", "avenue", "küçəsi", "küç.", "prospekti", "pr.", "ул.", "улица", "проспект", "caddesi", "sokak", "ko'chasi", "kochasi", "خیابان", "کوچه", "شارع"}

// Check reads a model answer against its passages. It returns the text to
// show (citations removed), the cited source ids, and the rule broken ("" when
// none): no_source (cites nothing it was given), unknown_source, number,
// amount, phone, link, address, language, too_long, empty. Digits are read
// as Latin ones (Persian and Arabic-Indic too). Numbers written in words are
// not checked.
func Check(answer, lang string, passages []bot.Passage) (shown string, cited []string, problem string) {
	given := map[string]bool{}
	var src strings.Builder
	for _, p := range passages {
		given[p.ID] = true
		src.WriteString(p.Title + "\n" + p.Text + "\n")
	}
	sources := kb.NormalizeDigits(src.String())
	text := kb.NormalizeDigits(answer)

	seen := map[string]bool{}
	for _, m := range reCite.FindAllStringSubmatch(text, -1) {
		id := m[1]
		if !given[id] {
			return "", nil, "unknown_source"
		}
		if !seen[id] {
			seen[id] = true
			cited = append(cited, id)
		}
	}
	if len(cited) == 0 {
		return "", nil, "no_source"
	}
	shown = reCite.ReplaceAllString(text, "")
	shown = reCiteLoose.ReplaceAllString(shown, "")
	shown = tidy(shown)
	if shown == "" {
		return "", nil, "empty"
	}
	if len([]rune(shown)) > maxAnswer {
		return "", nil, "too_long"
	}

	// Every number must be in the sources.
	srcNumbers := map[string]bool{}
	for _, n := range reNumber.FindAllString(sources, -1) {
		srcNumbers[strings.TrimLeft(n, "0")] = true
	}
	for _, n := range reNumber.FindAllString(shown, -1) {
		if !srcNumbers[strings.TrimLeft(n, "0")] {
			return "", nil, "number"
		}
	}
	// An amount of money must be an amount in the sources: a number said
	// with a currency in the answer must be on a line of the sources that
	// speaks of money.
	srcMoney := map[string]bool{}
	for _, line := range strings.FieldsFunc(sources, func(r rune) bool { return r == '\n' || r == ';' }) {
		if reMoneyWord.MatchString(line) {
			for _, n := range reNumber.FindAllString(line, -1) {
				srcMoney[strings.TrimLeft(n, "0")] = true
			}
		}
	}
	for _, m := range reMoney.FindAllStringSubmatch(shown, -1) {
		n := m[1]
		if n == "" {
			n = m[2]
		}
		whole, _, _ := strings.Cut(strings.ReplaceAll(n, ",", "."), ".")
		if !srcMoney[strings.TrimLeft(whole, "0")] {
			return "", nil, "amount"
		}
	}
	// A phone number must be one of the sources', digit for digit.
	srcPhones := map[string]bool{}
	for _, m := range rePhoneLike.FindAllString(sources, -1) {
		srcPhones[digitsOf(m)] = true
	}
	for _, m := range rePhoneLike.FindAllString(shown, -1) {
		if d := digitsOf(m); len(d) >= 6 && !srcPhones[d] && !strings.Contains(digitsOf(sources), d) {
			return "", nil, "phone"
		}
	}
	lowSrc := strings.ToLower(sources)
	for _, l := range reLink.FindAllString(shown, -1) {
		l = strings.TrimRight(strings.ToLower(l), ".,;:!?)")
		if !strings.Contains(lowSrc, l) {
			return "", nil, "link"
		}
	}
	lowShown := strings.ToLower(shown)
	for _, w := range addressWords {
		if strings.Contains(lowShown, w) && !strings.Contains(lowSrc, w) {
			return "", nil, "address"
		}
	}
	if !inScript(shown, lang) {
		return "", nil, "language"
	}
	return shown, cited, ""
}

// digitsOf returns the ASCII digits of s, to compare phone numbers however
// they are written.
func digitsOf(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// tidy removes the spaces citations left.
func tidy(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		l = strings.Join(strings.Fields(l), " ")
		for _, p := range []string{" .", " ,", " ;", " :", " !", " ?", " ،", " ؟"} {
			l = strings.ReplaceAll(l, p, p[1:])
		}
		lines[i] = l
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// inScript reports whether most letters of s are in the script of lang.
func inScript(s, lang string) bool {
	var table *unicode.RangeTable
	switch lang {
	case "ru":
		table = unicode.Cyrillic
	case "fa", "ar":
		table = unicode.Arabic
	case "en", "az", "tr", "uz":
		table = unicode.Latin
	default:
		return true
	}
	in, all := 0, 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			all++
			if unicode.Is(table, r) {
				in++
			}
		}
	}
	return all == 0 || in*2 >= all
}
