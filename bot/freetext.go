package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"sync"
	"time"
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

// recordUnanswered keeps a question that found no good answer for editors,
// redacted for them (RedactForEditors: no names, streets, employers or
// numbers) and linked to the person's pseudonym only so that /forget and
// the retention period remove it (when the store keeps them and the person
// consented).
func (t *turn) recordUnanswered(question string) {
	rec, ok := t.tx.(unansweredRecorder)
	if !ok || !t.conv.Consented() {
		return
	}
	q := strings.TrimSpace(RedactForEditors(question))
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
