package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/yol-project/yol/bot/kb"
	"github.com/yol-project/yol/bot/redact"
)

// KeywordHelper answers free text from the knowledge base alone, with no
// model: BM25 search over articles, pathways, documents and cities in every
// language, and a router that opens a journey for a clear intent (see
// bot/kb/SEARCH.md). The zero value is ready to use.
type KeywordHelper struct{}

// Answer implements FreeTextHelper.
func (h KeywordHelper) Answer(ctx context.Context, c *Content, lang, question string) (FreeTextAnswer, error) {
	return AnswerFromRoute(RouteQuestion(c, lang, question)), nil
}

// RouteQuestion reads a question against content c (its search index and
// the pack's search words): its clear intent and the journeys and articles
// it may want, best first.
func RouteQuestion(c *Content, lang, question string) kb.Route {
	return c.SearchIndex().Route(question, lang)
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
					// A step with a condition (a fine, "your stay is not
					// legal") concerns only some people; the model does not
					// know whom it answers, so it never sees one.
					if s.When == nil {
						parts = append(parts, "- "+text(s.Text))
					}
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
	ID        int64 // the group
	Language  string
	Text      string // redacted
	Count     int
	FirstSeen time.Time
	LastSeen  time.Time
}

// unansweredRecorder is implemented by stores that keep unanswered
// questions (bot/postgres).
type unansweredRecorder interface {
	RecordUnanswered(ctx context.Context, c *Conversation, lang, redacted string) error
}

// recordUnanswered keeps a question that found no good answer for editors,
// redacted for them (redact.ForEditors: no names, streets, employers or
// numbers) and linked to the person's pseudonym only so that /forget and
// the retention period remove it (when the store keeps them and the person
// consented).
func (t *turn) recordUnanswered(question string) {
	rec, ok := t.tx.(unansweredRecorder)
	if !ok || !t.conv.Consented() {
		return
	}
	q := strings.TrimSpace(redact.ForEditors(question))
	if q == "" {
		return
	}
	if len(q) > 500 {
		q = q[:500]
		for !utf8.ValidString(q) {
			q = q[:len(q)-1]
		}
	}
	if err := rec.RecordUnanswered(t.ctx, t.conv, t.lang(), q); err != nil {
		// The answer matters more than the statistics: no rollback.
		t.svc.Log.Warn("record unanswered question", "err", err)
	}
}
