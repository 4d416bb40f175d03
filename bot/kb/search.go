package kb

import (
	"sort"
	"strings"
	"unicode"
)

// fold lower-cases text for matching. Azerbaijani and Turkish have a dotted
// and a dotless i, which Unicode's default lower-casing gets wrong.
func fold(s, lang string) string {
	if lang == "az" || lang == "tr" {
		s = turkicI.Replace(s)
	}
	s = strings.ToLower(s)
	// Typographic apostrophes (Uzbek o‘, g‘) match the ASCII one.
	return apostrophes.Replace(s)
}

var apostrophes = strings.NewReplacer("‘", "'", "’", "'", "ʻ", "'", "`", "'")

// startsWord reports whether kw occurs in text at the start of a word (so a
// keyword works as a stem: "штраф" matches "штрафы", "ban" does not match
// "urban").
func startsWord(text, kw string) bool {
	for from := 0; from <= len(text); {
		i := strings.Index(text[from:], kw)
		if i < 0 {
			return false
		}
		i += from
		if i == 0 {
			return true
		}
		r := []rune(text[:i])
		if prev := r[len(r)-1]; !unicode.IsLetter(prev) && !unicode.IsDigit(prev) {
			return true
		}
		from = i + 1
	}
	return false
}

// SearchArticles returns the articles whose keywords occur in the text, best
// first. Keywords of the reader's language count double; longer keywords
// count more; ties keep the file order. The result is empty when nothing
// matches.
func (b *Base) SearchArticles(text, lang string) []*Article {
	type hit struct {
		a     *Article
		i     int
		score int
	}
	var hits []hit
	for i, a := range b.articles {
		score := 0
		for kl, kws := range a.Keywords {
			t := fold(text, kl)
			for _, kw := range kws {
				k := fold(strings.TrimSpace(kw), kl)
				if k == "" || !startsWord(t, k) {
					continue
				}
				w := 1 + len(strings.Fields(k))
				if kl == lang {
					w *= 2
				}
				score += w
			}
		}
		if score > 0 {
			hits = append(hits, hit{a, i, score})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].score != hits[j].score {
			return hits[i].score > hits[j].score
		}
		return hits[i].i < hits[j].i
	})
	out := make([]*Article, len(hits))
	for i, h := range hits {
		out[i] = h.a
	}
	return out
}
