package bot

// Actions of the articles and the help numbers.

import (
	"fmt"
	"slices"
	"strings"

	"github.com/yol-project/yol/bot/dialog"
	"github.com/yol-project/yol/bot/kb"
)

// actShowArticle shows the article given by parameter id. Its result is
// "ok", or "none" when there is no such article.
func (t *turn) actShowArticle(e *dialog.Event) (string, error) {
	a := t.content.KB.Article(t.param(e, "id"))
	if a == nil {
		t.contentError(e.Dialog, e.Node, fmt.Sprintf("unknown article %q", t.param(e, "id")))
		return "none", nil
	}
	t.renderArticle(a)
	return "ok", nil
}

// renderArticle sends an article's title, body and sources, with a button
// for each related article.
func (t *turn) renderArticle(a *kb.Article) {
	text := t.text(a.Title, nil) + "\n\n" + t.text(a.Body, nil) + "\n\n" + t.sources(a.Sources, a.VerifiedOn, a.Unconfirmed)
	var rows [][]Button
	for _, id := range a.Related {
		if r := t.content.KB.Article(id); r != nil {
			rows = append(rows, []Button{{Label: t.text(r.Title, nil), Data: "!article:" + r.ID}})
		}
	}
	t.addReply(Reply{Text: text, Buttons: rows})
}

// actListArticles sends the list of articles, one button each.
func (t *turn) actListArticles(e *dialog.Event) (string, error) {
	var rows [][]Button
	for _, a := range t.content.KB.Articles() {
		rows = append(rows, []Button{{Label: t.text(a.Title, nil), Data: "!article:" + a.ID}})
	}
	t.flush(nil)
	t.addReply(Reply{Text: t.text("articles.header", nil), Buttons: rows})
	return "ok", nil
}

// actShowHotlines says the hotline numbers, each with what it is for and
// marked when no stored source confirms the number; hotlines without a
// number are left out.
func (t *turn) actShowHotlines(e *dialog.Event) (string, error) {
	var b strings.Builder
	b.WriteString(t.text("hotlines.header", nil))
	for _, h := range t.content.KB.Hotlines() {
		if h.Number == "" {
			continue
		}
		b.WriteString("\n• " + t.ltr(h.Number))
		if slices.Contains(h.Unconfirmed, "number") {
			b.WriteString(" " + t.unconfirmed())
		}
		b.WriteString(" — " + t.text(h.What, nil))
	}
	t.sayText(b.String())
	return "ok", nil
}
