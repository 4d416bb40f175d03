package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/postgres/pgtest"
)

// TestChatPipedCompletesAJourney is what an editor does with
// `printf ... | yol chat --lang xx`: the eligibility journey runs from /start
// to its result in every language of the pack.
func TestChatPipedCompletesAJourney(t *testing.T) {
	c, probs := bot.LoadPack(embeddedPack())
	if c == nil {
		t.Fatalf("the built-in content does not load: %v", probs)
	}
	url := pgtest.URL(t)
	// continue in the suggested language, consent, "check my situation",
	// then the first answer of each of the eight questions.
	script := strings.Repeat("1\n", 3+len(c.KB.Questions()))
	for _, l := range c.Texts.Languages() {
		t.Run(l.Code, func(t *testing.T) {
			var out, errOut bytes.Buffer
			env := map[string]string{"DATABASE_URL": url, "YOL_DATA_KEY": testKey(t)}
			m := &Main{Stdin: strings.NewReader(script), Stdout: &out, Stderr: &errOut,
				Getenv: func(k string) string { return env[k] }, ReadFile: nil}
			if code := m.Run(context.Background(), []string{"chat", "--lang", l.Code}); code != 0 {
				t.Fatalf("yol chat exit %d: %s", code, errOut.String())
			}
			got := out.String()
			for _, id := range []string{"menu.q", "result.not_a_decision"} {
				want := c.Texts.Text(l.Code, id, nil, nil)
				if !strings.Contains(got, want) {
					t.Errorf("output lacks %s (%q):\n%s", id, want, got)
				}
			}
			if strings.Contains(got, "[menu.") || strings.Contains(got, "[result.") {
				t.Errorf("output shows a message ID instead of text:\n%s", got)
			}
		})
	}
	// The chat leaves nothing behind.
	pool := pgtestPool(t, url)
	var n int
	if err := pool.QueryRow(context.Background(), "SELECT count(*) FROM conversations").Scan(&n); err != nil || n != 0 {
		t.Errorf("conversations left after the chats: %d (%v)", n, err)
	}
}
