package bot_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/kb"
)

// realHarness is a harness with the real content pack (the free-text
// search is measured on it).
func realHarness(t *testing.T) *harness {
	h := newHarness(t)
	m := fstest.MapFS{}
	for _, dir := range []string{"dialogs", "knowledge", "locales"} {
		files, err := filepath.Glob(filepath.Join("..", dir, "*.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			m[dir+"/"+filepath.Base(f)] = &fstest.MapFile{Data: b}
		}
	}
	c, probs := bot.LoadPack(m)
	if c == nil {
		t.Fatalf("the real pack does not load: %v", probs)
	}
	h.content = c
	h.svc.Content = bot.NewContentHolder(c)
	return h
}

// onboardedHarness starts a conversation in English and consents.
func onboardedHarness(t *testing.T) *harness {
	h := realHarness(t)
	h.send(bot.Inbound{Chat: tg, LangHint: "en", Kind: bot.InCommand, Command: "start"})
	h.send(bot.Inbound{Chat: tg, Kind: bot.InButton, Data: "yes"})
	return h
}

func TestFreeTextOpensJourneyOnce(t *testing.T) {
	h := onboardedHarness(t)
	res := h.send(bot.Inbound{Chat: tg, Kind: bot.InText, Text: "which documents do i need?"})
	got := allText(res.Replies)
	if n := strings.Count(got, "I can make your list fit you better"); n != 1 {
		t.Fatalf("the documents journey's question appears %d times, want once:\n%s", n, got)
	}
	if d := buttonData(res.Replies); !strings.Contains(strings.Join(d, ","), "general") {
		t.Errorf("buttons %v lack the journey's answers", d)
	}
	// The journey goes on from there.
	res = h.send(bot.Inbound{Chat: tg, Kind: bot.InButton, Data: "general"})
	if len(buttonData(res.Replies)) == 0 || !strings.Contains(strings.Join(buttonData(res.Replies), ","), "!tick:") {
		t.Errorf("after 'general', want the checklist with ticks, got %q %v", allText(res.Replies), buttonData(res.Replies))
	}
	if len(h.errs) > 0 {
		t.Errorf("content errors: %v", h.errs)
	}
}

func TestFreeTextIntentsInLanguages(t *testing.T) {
	for _, tt := range []struct{ lang, text, want string }{
		{"ru", "где ближайший миграционный отдел", "office"},
		{"az", "dili dəyiş", "language"},
		{"fa", "اطلاعاتم رو پاک کنید", "forget"},
		{"uz", "odam bilan gaplashmoqchiman", "person"},
	} {
		h := realHarness(t)
		h.send(bot.Inbound{Chat: tg, LangHint: tt.lang, Kind: bot.InCommand, Command: "start"})
		h.send(bot.Inbound{Chat: tg, Kind: bot.InButton, Data: "yes"})
		res := h.send(bot.Inbound{Chat: tg, Kind: bot.InText, Text: tt.text})
		ans := bot.AnswerFromRoute(bot.RouteQuestion(h.content, tt.lang, tt.text))
		if ans.Intent != tt.want {
			t.Errorf("%s %q: intent %q, want %q", tt.lang, tt.text, ans.Intent, tt.want)
		}
		if len(res.Replies) == 0 || len(buttonData(res.Replies)) == 0 && res.Replies[len(res.Replies)-1].Keyboard == "" {
			t.Errorf("%s %q: the journey asks nothing: %+v", tt.lang, tt.text, res.Replies)
		}
		if len(h.errs) > 0 {
			t.Errorf("content errors: %v", h.errs)
		}
	}
}

func TestFreeTextFineShowsTheArticle(t *testing.T) {
	h := onboardedHarness(t)
	res := h.send(bot.Inbound{Chat: tg, Kind: bot.InText, Text: "how much is the fine for overstay"})
	got := allText(res.Replies)
	if !strings.Contains(got, "300 to 400") {
		t.Errorf("want the fines article, got:\n%s", got)
	}
	if strings.Contains(got, "may not have understood") {
		t.Errorf("a clear question was not understood:\n%s", got)
	}
}

func TestFreeTextNothingFoundOffersAPerson(t *testing.T) {
	h := onboardedHarness(t)
	res := h.send(bot.Inbound{Chat: tg, Kind: bot.InText, Text: "who won the football match yesterday"})
	got := allText(res.Replies)
	if !strings.Contains(got, "may not have understood") || !strings.Contains(strings.Join(buttonData(res.Replies), ","), "person") {
		t.Errorf("want 'not understood' and a person offered, got %q %v", got, buttonData(res.Replies))
	}
}

// An unanswered question is kept for editors without the names, employer
// and numbers in it, and /forget deletes it with everything else.
func TestUnansweredQuestionRedactedAndForgotten(t *testing.T) {
	h := realHarness(t)
	h.send(bot.Inbound{Chat: tg, LangHint: "en", Kind: bot.InCommand, Command: "start"})
	h.send(bot.Inbound{Chat: tg, Kind: bot.InButton, Data: "yes"}) // English
	h.send(bot.Inbound{Chat: tg, Kind: bot.InButton, Data: "yes"}) // consent
	res := h.send(bot.Inbound{Chat: tg, Kind: bot.InText, Text: "My cousin Zarina Aliyeva from Azersun asks who won the football match yesterday"})
	if !strings.Contains(allText(res.Replies), "may not have understood") {
		t.Fatalf("want the question unanswered, got %q", allText(res.Replies))
	}
	qs, err := h.db.Unanswered(context.Background(), 10)
	if err != nil || len(qs) != 1 {
		t.Fatalf("unanswered = %+v, %v; want one", qs, err)
	}
	for _, secret := range []string{"Zarina", "Aliyeva", "Azersun"} {
		if strings.Contains(qs[0].Text, secret) {
			t.Errorf("editors read %q in %q", secret, qs[0].Text)
		}
	}
	h.send(bot.Inbound{Chat: tg, Kind: bot.InCommand, Command: "forget"})
	h.send(bot.Inbound{Chat: tg, Kind: bot.InButton, Data: "yes"})
	if n := h.count("SELECT (SELECT count(*) FROM unanswered_questions) + (SELECT count(*) FROM unanswered_asks)"); n != 0 {
		t.Errorf("%d unanswered rows left after /forget", n)
	}
}

// TestPassagesLeaveOutConditionalSteps: the model never reads a step meant
// only for some people (the fine of an overstay), since it does not know
// whom it answers; the steps for everyone are there.
func TestPassagesLeaveOutConditionalSteps(t *testing.T) {
	c, probs := bot.LoadPack(os.DirFS(".."))
	if c == nil {
		t.Fatalf("the pack does not load: %v", probs)
	}
	ps := bot.Passages(c, "en", kb.Route{Answers: []string{"pathway:trp_family_citizen"}}, 3)
	if len(ps) == 0 {
		t.Fatal("no passage for pathway:trp_family_citizen")
	}
	body := ps[0].Text
	if strings.Contains(body, c.Texts.Text("en", "pathway.trp.step_violation", nil, nil)) {
		t.Errorf("the passage holds the overstay step:\n%s", body)
	}
	if !strings.Contains(body, c.Texts.Text("en", "pathway.trp.step_apply", nil, nil)) {
		t.Errorf("the passage lacks a step for everyone:\n%s", body)
	}
}
