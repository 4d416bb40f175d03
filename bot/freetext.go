package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/yol-project/yol/bot/dialog"
	"github.com/yol-project/yol/bot/kb"
)

// KeywordHelper answers free text from the knowledge base alone, with no
// model: BM25 search over articles, pathways, documents and cities in every
// language, and a router that opens a journey for a clear intent (see
// bot/kb/SEARCH.md). The zero value is ready to use.
type KeywordHelper struct {
	// Synonyms are the search words and intent phrases; nil: the built-in
	// ones (bot/kb/search_synonyms.yaml).
	Synonyms *kb.Synonyms
}

// Answer implements FreeTextHelper.
func (h KeywordHelper) Answer(ctx context.Context, c *Content, lang, question string) (FreeTextAnswer, error) {
	return AnswerFromRoute(RouteQuestion(c, h.Synonyms, lang, question)), nil
}

// RouteQuestion reads a question against content c: its clear intent and
// the journeys and articles it may want, best first.
func RouteQuestion(c *Content, syn *kb.Synonyms, lang, question string) kb.Route {
	return SearchIndex(c, syn).Route(question, lang)
}

// AnswerFromRoute turns a route into what the conversation shows: the
// intent ("documents" opens the documents journey; "article:<id>" shows
// one article) and up to three articles as buttons.
func AnswerFromRoute(r kb.Route) FreeTextAnswer {
	ans := FreeTextAnswer{Found: r.Found, Articles: r.Articles(3)}
	if k, id, ok := strings.Cut(r.Intent, ":"); ok {
		switch k {
		case kb.RefJourney:
			ans.Intent = id
		case kb.RefArticle:
			ans.Intent = r.Intent
		}
	}
	return ans
}

type personKeyType struct{}

// WithPersonKey returns ctx carrying a key for the person asking (a hash,
// never their identity), so that a helper can keep a daily limit per person.
func WithPersonKey(ctx context.Context, key string) context.Context {
	return context.WithValue(ctx, personKeyType{}, key)
}

// PersonKey returns the key WithPersonKey put in ctx, or "".
func PersonKey(ctx context.Context) string {
	k, _ := ctx.Value(personKeyType{}).(string)
	return k
}

// personKey is a hash of the chat: stable for the person, telling nothing.
func (t *turn) personKey() string {
	h := sha256.Sum256([]byte("yol-freetext\x00" + string(t.conv.Chat.Channel) + "\x00" + strconv.FormatInt(t.conv.Chat.ID, 10)))
	return hex.EncodeToString(h[:12])
}

// IntentArticle returns the article id of an intent "article:<id>".
func IntentArticle(intent string) (string, bool) {
	return strings.CutPrefix(intent, kb.RefArticle+":")
}

type indexKey struct {
	c   *Content
	syn *kb.Synonyms
}

// The search index of the content in use (and of the one before a reload),
// built on first use.
var (
	indexMu    sync.Mutex
	indexCache []struct {
		key indexKey
		ix  *kb.Index
	}
)

// SearchIndex returns the search index of c, built once per content (a
// reload builds a new one on its first question).
func SearchIndex(c *Content, syn *kb.Synonyms) *kb.Index {
	key := indexKey{c, syn}
	indexMu.Lock()
	defer indexMu.Unlock()
	for _, e := range indexCache {
		if e.key == key {
			return e.ix
		}
	}
	var langs []string
	for _, l := range c.Texts.Languages() {
		langs = append(langs, l.Code)
	}
	text := func(lang, id string) (string, bool) {
		if !c.Texts.Has(lang, id) {
			return "", false
		}
		return c.Texts.Text(lang, id, nil, nil), true
	}
	ix := c.KB.NewIndex(text, langs, syn)
	indexCache = append(indexCache, struct {
		key indexKey
		ix  *kb.Index
	}{key, ix})
	if len(indexCache) > 2 {
		indexCache = indexCache[len(indexCache)-2:]
	}
	return ix
}

// Passage is a piece of the knowledge base given to a model as a source.
type Passage struct {
	ID    string // "article:fines_overstay"
	Title string
	Text  string // in the person's language (English where not translated)
}

// Passages returns the texts of the best search results in lang, at most
// n: articles (title and body), pathways (title, summary, steps) and
// documents (title, what, how to get).
func Passages(c *Content, lang string, r kb.Route, n int) []Passage {
	var out []Passage
	seen := map[string]bool{}
	text := func(id string) string {
		if id == "" {
			return ""
		}
		return c.Texts.Text(lang, id, nil, nil)
	}
	add := func(ref string) {
		if seen[ref] || len(out) >= n {
			return
		}
		seen[ref] = true
		k, id, _ := strings.Cut(ref, ":")
		switch k {
		case kb.RefArticle:
			if a := c.KB.Article(id); a != nil {
				out = append(out, Passage{ref, text(a.Title), text(a.Body)})
			}
		case kb.RefPathway:
			if p := c.KB.Pathway(id); p != nil {
				parts := []string{text(p.Summary)}
				for _, s := range p.Steps {
					parts = append(parts, "- "+text(s.Text))
				}
				out = append(out, Passage{ref, text(p.Title), strings.Join(parts, "\n")})
			}
		case kb.RefDocument:
			if d := c.KB.Document(id); d != nil {
				out = append(out, Passage{ref, text(d.Title), text(d.What) + "\n" + text(d.HowToGet)})
			}
		}
	}
	for _, a := range r.Answers {
		add(a)
	}
	for _, h := range r.Hits {
		add(h.Ref)
	}
	return out
}

// UnansweredQuestion is a question that found no good answer, redacted,
// with how often it was asked (for editors).
type UnansweredQuestion struct {
	Language  string
	Text      string // redacted
	Count     int
	FirstSeen time.Time
	LastSeen  time.Time
}

// unansweredRecorder is implemented by stores that keep unanswered
// questions (bot/postgres).
type unansweredRecorder interface {
	RecordUnanswered(ctx context.Context, lang, redacted string) error
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
	// A name after "my name is" and its translations.
	reName = regexp.MustCompile(`(?i)(my name is|my name's|i am called|name:|меня зовут|моё имя|мое имя|зовут меня|фамилия|mənim adım|menim adim|adım|adim|benim adım|ismim|adım soyadım|mening ismim|mening otim|ismim|otim|familiyam|اسم من|اسمم|نام من|اسمي|اسمى|انا اسمي)[\s:,\-—]+`)
)

// Redact replaces personal data in text: e-mail addresses, links with
// query strings, dates (of birth), card numbers (Luhn), phone numbers,
// passport and ID numbers, any run of 6 or more digits, and names written
// after "my name is" (in the seven languages). Persian and Arabic digits
// are read as Latin ones. Names not introduced that way are not detected.
func Redact(text string) string {
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

func onlyDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

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

func decodeRune(s string) (rune, int) { return utf8.DecodeRuneInString(s) }

// isStopName: words that follow a name and are not part of it.
func isStopName(w string) bool {
	switch strings.ToLower(w) {
	case "و", "من", "است", "هستم", "هست", "هستش", "i", "и", "я", "va", "men", "ve", "ben", "and":
		return true
	}
	return false
}

// openJourney opens the journey of a command from inside the free-text
// action, running its actions, as if the person had typed /command. It
// reports false when the content has no such command.
//
// The journey ends waiting for an answer, its last event being the
// question. The drive loop then gives the engine this action's result,
// which it answers by asking the same question again ("a late result");
// so the question is left to that, and only what comes before it is shown
// here: the person sees the journey exactly once.
func (t *turn) openJourney(command string) (bool, error) {
	set := t.content.Dialogs
	known := false
	for _, c := range set.Commands() {
		if c[0] == command {
			known = true
		}
	}
	if !known {
		return false, nil
	}
	sess := &t.conv.Session
	events := set.Resume(sess, dialog.Input{Kind: dialog.InputCommand, Value: command}, nil)
	for n := 0; ; n++ {
		if k := len(events); k > 0 && events[k-1].Type == dialog.EventAsk && sess.Wait == dialog.WaitAnswer {
			_, err := t.apply(events[:k-1])
			return true, err
		}
		action, err := t.apply(events)
		if err != nil || action == nil || t.forgot {
			return true, err
		}
		result := "too_many"
		if n >= maxActionsPerInput {
			t.contentError(action.Dialog, action.Node, "too many actions after a free-text intent")
		} else if result, err = t.runAction(action); err != nil || t.forgot {
			return true, err
		}
		events = set.Resume(sess, dialog.Input{Kind: dialog.InputActionResult, Value: result}, nil)
	}
}

// recordUnanswered keeps a question that found no good answer, redacted
// and not linked to the person, for editors (when the store keeps them and
// the person consented).
func (t *turn) recordUnanswered(question string) {
	rec, ok := t.tx.(unansweredRecorder)
	if !ok || !t.conv.Consented() {
		return
	}
	q := strings.TrimSpace(Redact(question))
	if q == "" {
		return
	}
	if len(q) > 500 {
		q = q[:500]
		for !utf8.ValidString(q) {
			q = q[:len(q)-1]
		}
	}
	if err := rec.RecordUnanswered(t.ctx, t.lang(), q); err != nil {
		// The answer matters more than the statistics: no rollback.
		t.svc.Log.Warn("record unanswered question", "err", err)
	}
}
