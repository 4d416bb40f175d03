package bot

// Actions of the person's own settings and data: language, consent,
// /mydata and /forget.

import (
	"errors"
	"strings"
	"time"

	"github.com/yol-project/yol/bot/dialog"
)

// actSetLanguage sets the conversation's language from parameter language,
// else var language. Its result is "ok", or "unknown" for a language the
// content lacks.
func (t *turn) actSetLanguage(e *dialog.Event) (string, error) {
	code := t.param(e, "language")
	if code == "" {
		code = t.vars()["language"]
	}
	if t.content.Texts.Language(code) == nil {
		return "unknown", nil
	}
	t.conv.Language = code
	return "ok", nil
}

// actSuggestLanguage returns the content language that best matches the
// language hint of the person's app.
func (t *turn) actSuggestLanguage(e *dialog.Event) (string, error) {
	return t.content.Texts.Match(t.in.LangHint), nil
}

// actConsent records consent given ("yes") or withdrawn ("no") by parameter
// value; without one it only reports whether the person has consented.
func (t *turn) actConsent(e *dialog.Event) (string, error) {
	switch t.param(e, "value") {
	case "yes":
		if !t.conv.Consented() {
			t.conv.ConsentAt = t.now
			if err := t.event("consented", nil); err != nil {
				return "", err
			}
		}
		return "yes", nil
	case "no":
		t.conv.ConsentAt = time.Time{}
		return "no", nil
	}
	if t.conv.Consented() {
		return "yes", nil
	}
	return "no", nil
}

// actForget deletes what is stored about the person and the chat's
// messages a bot may still delete, drops any replies not yet sent and says
// that it is done.
func (t *turn) actForget(e *dialog.Event) (string, error) {
	// The chat's messages go too, as far as Telegram allows (phone.go).
	ids, err := t.deletable()
	if err != nil {
		return "", err
	}
	since := t.conv.CreatedAt
	if err := t.tx.Forget(t.ctx, t.conv); err != nil {
		return "", err
	}
	t.forgot = true
	t.pending = t.pending[:0]
	t.replies = t.replies[:0]
	t.say("forget.done", nil)
	t.forgetChat(ids, since)
	return "done", nil
}

// actMyData tells the person, in their language, everything Yol holds
// about them.
func (t *turn) actMyData(e *dialog.Event) (string, error) {
	c := t.conv
	line := func(id, value string) string { return t.textAny(id, map[string]any{"value": value}) }
	var b strings.Builder
	b.WriteString(t.text("mydata.header", nil))
	if l := t.content.Texts.Language(c.Language); l != nil {
		b.WriteString("\n• " + line("mydata.language", l.Name))
	}
	if c.Consented() {
		b.WriteString("\n• " + line("mydata.consent_yes", c.ConsentAt.Format("2006-01-02")))
	} else {
		b.WriteString("\n• " + t.text("mydata.consent_no", nil))
	}
	if c.Campaign != "" && c.Campaign != UnknownCampaign {
		b.WriteString("\n• " + line("mydata.campaign", c.Campaign))
	}
	var answers []string
	for _, q := range t.content.KB.Questions() {
		a := t.vars()[q.ID]
		for _, ans := range q.Answers {
			if ans.ID == a {
				answers = append(answers, "   – "+t.text(q.Text, nil)+" "+t.text(ans.Label, nil))
			}
		}
	}
	if len(answers) > 0 {
		b.WriteString("\n• " + t.text("mydata.answers", nil) + "\n" + strings.Join(answers, "\n"))
	}
	if p := t.content.KB.Pathway(t.vars()["pathway"]); p != nil {
		b.WriteString("\n• " + line("mydata.pathway", t.text(p.Title, nil)))
	}
	if n := len(t.ticks()); n > 0 {
		b.WriteString("\n• " + t.textAny("mydata.ticks", map[string]any{"count": n}))
	}
	n, err := t.tx.MessageCount(t.ctx, c)
	if err != nil {
		return "", err
	}
	b.WriteString("\n• " + t.textAny("mydata.messages", map[string]any{"count": n, "retention_period": (*retentionPeriod)(t)}))
	r, err := t.tx.OpenReferral(t.ctx, c)
	switch {
	case err == nil:
		b.WriteString("\n• " + t.textAny("mydata.referral", map[string]any{"referral_code": r.Code, "referral_status": t.text(r.Status.MessageID(), nil)}))
	case !errors.Is(err, ErrNotFound):
		return "", err
	}
	b.WriteString("\n\n" + t.text("mydata.nothing_else", nil) + "\n" + t.text("mydata.forget", nil))
	t.sayText(b.String())
	t.sensitive()
	return "ok", nil
}
