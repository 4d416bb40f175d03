package bot

// Actions of the document checklist: the personalised list, ticks, and the
// summary to show at the office.

import (
	"fmt"
	"slices"
	"strings"

	"github.com/yol-project/yol/bot/dialog"
	"github.com/yol-project/yol/bot/kb"
)

// ticks returns the IDs of the documents the person has ticked off.
func (t *turn) ticks() []string {
	v := t.vars()["ticks"]
	if v == "" {
		return nil
	}
	return strings.Split(v, ",")
}

// checklist returns the documents the person needs for their ways (vars
// pathways, with var pathway first) given their answers.
func (t *turn) checklist() []*kb.Document {
	ids := strings.Split(t.vars()["pathways"], ",")
	if p := t.vars()["pathway"]; p != "" && !slices.Contains(ids, p) {
		ids = append([]string{p}, ids...)
	}
	return t.content.KB.Checklist(ids, t.answers())
}

// actShowChecklist shows the document checklist. Its result is "ok", or
// "empty" when no documents are needed.
func (t *turn) actShowChecklist(e *dialog.Event) (string, error) {
	docs := t.checklist()
	if len(docs) == 0 {
		t.say("checklist.empty", nil)
		return "empty", nil
	}
	t.renderChecklist(docs)
	return "ok", nil
}

// renderChecklist sends the checklist with a mark for each document and a
// button to tick it, and says how many are still missing.
func (t *turn) renderChecklist(docs []*kb.Document) {
	ticks := t.ticks()
	var b strings.Builder
	b.WriteString(t.textAny("checklist.header", map[string]any{"count": len(docs)}))
	var rows [][]Button
	missing := 0
	for _, d := range docs {
		mark := "⬜"
		if slices.Contains(ticks, d.ID) {
			mark = "✅"
		} else {
			missing++
		}
		what := t.text(d.What, nil)
		if d.Unconfirmed {
			what += " " + t.unconfirmed()
		}
		fmt.Fprintf(&b, "\n\n%s %s\n%s\n%s", mark, t.text(d.Title, nil), what, t.text(d.HowToGet, nil))
		label := mark + " " + t.text(d.Title, nil)
		rows = append(rows, []Button{{Label: label, Data: "!tick:" + d.ID}})
	}
	if missing == 0 {
		b.WriteString("\n\n" + t.text("checklist.complete", nil))
	} else {
		b.WriteString("\n\n" + t.textAny("checklist.missing", map[string]any{"count": missing}))
	}
	t.addReply(Reply{Text: b.String(), Buttons: rows, Protect: true})
}

// serviceButton handles buttons the Service itself put on its messages
// (data starting with "!"): article links and checklist ticks.
func (t *turn) serviceButton(data string) {
	kind, id, _ := strings.Cut(data, ":")
	switch kind {
	case "article":
		if a := t.content.KB.Article(id); a != nil {
			t.renderArticle(a)
			return
		}
	case "tick":
		if t.content.KB.Document(id) != nil {
			ticks := t.ticks()
			if i := slices.Index(ticks, id); i >= 0 {
				ticks = slices.Delete(ticks, i, i+1)
			} else {
				ticks = append(ticks, id)
			}
			t.vars()["ticks"] = strings.Join(ticks, ",")
			t.renderChecklist(t.checklist())
			return
		}
	}
	t.say("common.button_expired", nil)
}

// actOfficeSummary shows a short summary to show at the office: the way
// and the documents with ticks, in the person's language and in the
// country's official language.
func (t *turn) actOfficeSummary(e *dialog.Event) (string, error) {
	docs := t.checklist()
	p := t.content.KB.Pathway(t.vars()["pathway"])
	ticks := t.ticks()
	render := func(lang string) string {
		var b strings.Builder
		b.WriteString(t.textIn(lang, "summary.header"))
		if p != nil {
			b.WriteString("\n" + t.textIn(lang, "summary.pathway") + " " + t.textIn(lang, p.Title))
		}
		for _, d := range docs {
			mark := "—"
			if slices.Contains(ticks, d.ID) {
				mark = "✓"
			}
			b.WriteString("\n" + mark + " " + t.textIn(lang, d.Title))
		}
		return b.String()
	}
	if t.protect {
		// The summary is shown at a counter: never joined to a sensitive text.
		t.flush(nil)
	}
	t.sayText(render(t.lang()))
	// A copy in the official language, to show at the counter.
	if official := t.content.Settings.OfficialLanguage; t.lang() != official && t.content.Texts.Language(official) != nil {
		t.sayText(render(official))
	}
	return "ok", nil
}
