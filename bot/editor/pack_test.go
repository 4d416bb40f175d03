package editor_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/yol-project/yol/bot/editor"
	"github.com/yol-project/yol/bot/problem"
)

// TestSecondPack: another country's campaign is another content pack. The
// second pack (testdata/pack2: Türkiye, in English and Turkish) loads, says
// its country in its settings, and its conversation tests pass in both
// languages: the office is closed at 13:00 Istanbul time (its lunch), when
// it would be 14:00 and open in Baku.
func TestSecondPack(t *testing.T) {
	fsys := os.DirFS("testdata/pack2")
	c, probs := editor.CheckContent(fsys)
	if c == nil || len(probs) > 0 {
		t.Fatalf("the second pack does not pass the check:\n%s", lines(probs))
	}
	s := c.Settings
	if s.Country != "TR" || s.OfficialLanguage != "tr" || s.Currency != "TRY" || s.Location().String() != "Europe/Istanbul" {
		t.Errorf("settings = %+v (zone %s)", s, s.Location())
	}
	tests, tprobs := editor.LoadConversationTests(fsys, "dialogs/tests")
	if len(tests) == 0 || len(tprobs) > 0 {
		t.Fatalf("conversation tests: %d, problems: %v", len(tests), tprobs)
	}
	fails, scripts := editor.RunConversationTests(context.Background(), c, tests)
	for _, f := range fails {
		t.Error(f)
	}
	if want := 2 * len(tests); len(scripts) != want {
		t.Errorf("transcripts = %d, want %d (every test in both languages)", len(scripts), want)
	}
	for _, s := range scripts {
		if s.Lang == "tr" && strings.Contains(s.Text, "Şu anda kapalı (Türkiye saatiyle)") {
			return
		}
	}
	t.Errorf("no Turkish transcript says the office is closed now, in Türkiye's time")
}

func lines(probs []problem.Problem) string {
	var b strings.Builder
	for _, p := range probs {
		b.WriteString(p.String() + "\n")
	}
	return b.String()
}
