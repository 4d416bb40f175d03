package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/kb"
	"github.com/yol-project/yol/bot/llm"
)

// ask prints what the bot would answer to a free-text question, and the
// ids of the journeys, articles, pathways and documents it used, best
// first, so that editors can check content from a terminal.
func (m *Main) ask(ctx context.Context, args []string) int {
	fl := flag.NewFlagSet("ask", flag.ContinueOnError)
	fl.SetOutput(m.Stderr)
	lang := fl.String("lang", "", "the person's language (default: the pack's source language)")
	dir := fl.String("dir", "", "content pack `DIR` (default: YOL_CONTENT_DIR, else ./ when it has dialogs/, else the built-in pack)")
	useLLM := fl.Bool("llm", true, "ask the model too when OPENAI_API_KEY or OPENAI_BASE_URL is set")
	fl.Usage = func() {
		fmt.Fprintln(m.Stderr, "Usage: yol ask [--lang xx] [--dir DIR] [--llm=false] QUESTION\n\n"+
			"Prints what the bot would answer to QUESTION and the ids of the journeys, articles,\n"+
			"pathways and documents it used, best first.")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return 2
	}
	question := strings.TrimSpace(strings.Join(fl.Args(), " "))
	if question == "" {
		fl.Usage()
		return 2
	}
	fsys, where := m.checkTarget(*dir)
	c, probs := bot.LoadPack(fsys)
	if c == nil {
		fmt.Fprintf(m.Stderr, "yol: %s does not load (run yol check):\n  %s\n", where, problemLines(probs))
		return 1
	}
	l := *lang
	if l == "" {
		l = c.Texts.Source()
	}
	if c.Texts.Language(l) == nil {
		fmt.Fprintf(m.Stderr, "yol: unknown language %q\n", l)
		return 2
	}
	text := func(id string) string { return c.Texts.Text(l, id, nil, nil) }

	route := c.SearchIndex().Route(question, l)
	ans := bot.AnswerFromRoute(route)
	model := ""
	if key, base := m.Getenv("OPENAI_API_KEY"), m.Getenv("OPENAI_BASE_URL"); *useLLM && (key != "" || base != "") {
		h := llm.New(llm.Config{APIKey: key, BaseURL: base, Model: m.Getenv("OPENAI_MODEL"), Timeout: 30 * time.Second})
		a, err := h.Answer(bot.WithPersonKey(ctx, "yol-ask"), c, l, question)
		if err == nil {
			ans = a
			model = " (model)"
			if a.Text == "" {
				model = " (search: the model's answer was not used)"
			}
		}
	}

	w := m.Stdout
	fmt.Fprintf(w, "question (%s): %s\n", l, question)
	switch {
	case !ans.Found:
		fmt.Fprintln(w, "answer: nothing matched well: the bot says it may not have understood and offers a person")
	case ans.Intent != "":
		if id, ok := bot.IntentArticle(ans.Intent); ok {
			fmt.Fprintf(w, "answer: shows the article %s %q\n", id, text(c.KB.Article(id).Title))
		} else {
			fmt.Fprintf(w, "answer: opens the journey /%s\n", ans.Intent)
		}
	case ans.Text != "":
		fmt.Fprintf(w, "answer%s:\n  %s\n", model, strings.ReplaceAll(ans.Text, "\n", "\n  "))
	default:
		fmt.Fprintf(w, "answer%s: %q with the articles as buttons\n", model, text("freetext.suggestions"))
	}
	if len(ans.Articles) > 0 {
		fmt.Fprintln(w, "buttons:")
		for _, id := range ans.Articles {
			if a := c.KB.Article(id); a != nil {
				fmt.Fprintf(w, "  article:%s  %s\n", id, text(a.Title))
			}
		}
	}
	fmt.Fprintln(w, "used, best first:")
	if len(route.Answers) == 0 {
		fmt.Fprintln(w, "  (none)")
	}
	for i, a := range route.Answers {
		if i == 10 {
			fmt.Fprintf(w, "  ... %d more\n", len(route.Answers)-i)
			break
		}
		fmt.Fprintf(w, "  %d. %s\n", i+1, a)
	}
	fmt.Fprintln(w, "search hits, best first (score, language of the matching texts):")
	for i, h := range route.Hits {
		if i == 8 {
			fmt.Fprintf(w, "  ... %d more\n", len(route.Hits)-i)
			break
		}
		fmt.Fprintf(w, "  %-40s %6.2f  %s\n", h.Ref, h.Score, h.Lang)
	}
	fmt.Fprintf(w, "(found threshold %.1f; content %s)\n", kb.FoundScore, c.Version)
	return 0
}
