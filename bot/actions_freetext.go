package bot

// The action of a typed question: free-text help.

import (
	"strings"

	"github.com/yol-project/yol/bot/dialog"
)

// actFreeText answers the question in var free_text: a clear intent opens
// its journey, a clear article is shown, else the best articles are offered
// (see showFreeText). With a slow helper (a model) it parks the
// conversation instead, to be answered outside the transaction.
func (t *turn) actFreeText(e *dialog.Event) (string, error) {
	q := t.vars()[dialog.VarFreeText]
	if t.svc.Helper != nil && strings.TrimSpace(q) != "" && t.mayPark && t.svc.slowHelper() {
		if _, ok := t.tx.(ParkTx); ok {
			// A model may take seconds: the question waits in the sealed
			// state, this transaction ends, and Service.Resume answers it
			// outside any transaction.
			t.parked, t.question = true, q
			return "", nil
		}
	}
	delete(t.vars(), dialog.VarFreeText) // the person's words are not kept in the state
	if t.svc.Helper == nil || strings.TrimSpace(q) == "" {
		return "none", nil
	}
	ans, err := t.svc.Helper.Answer(WithPersonKey(t.ctx, t.personKey()), t.content, t.lang(), q)
	return t.showFreeText(q, ans, err)
}

// showFreeText shows what the free-text helper found for question q (or
// that it failed) and returns the answer_free_text action's result: found,
// unsure, none, or dialog.JourneyResult and the command of a journey to
// open.
func (t *turn) showFreeText(q string, ans FreeTextAnswer, err error) (string, error) {
	if err != nil {
		t.svc.Log.Warn("free-text help failed", "err", err)
		return "none", nil
	}
	if !ans.Found {
		t.recordUnanswered(q)
	}
	if id, ok := IntentArticle(ans.Intent); ok {
		// A clear question about one article (fines, fees): show it.
		if a := t.content.KB.Article(id); a != nil {
			if ans.Text != "" {
				t.addReply(Reply{Text: ans.Text})
			}
			t.renderArticle(a)
			return "found", nil
		}
	} else if ans.Intent != "" && t.hasCommand(ans.Intent) {
		// A clear intent (documents, nearest office, a person, ...): the
		// engine opens its journey, as if the person had sent the command.
		return dialog.JourneyResult + ans.Intent, nil
	}
	if ans.Text == "" && len(ans.Articles) == 0 {
		return "none", nil
	}
	var rows [][]Button
	for _, id := range ans.Articles {
		if a := t.content.KB.Article(id); a != nil {
			rows = append(rows, []Button{{Label: t.text(a.Title, nil), Data: "!article:" + a.ID}})
		}
	}
	text := ans.Text
	if text == "" {
		text = t.text("freetext.suggestions", nil)
	}
	t.addReply(Reply{Text: text, Buttons: rows})
	if !ans.Found {
		return "unsure", nil
	}
	return "found", nil
}

// hasCommand reports whether the content has the command (a journey).
func (t *turn) hasCommand(command string) bool {
	for _, c := range t.content.Dialogs.Commands() {
		if c[0] == command {
			return true
		}
	}
	return false
}
