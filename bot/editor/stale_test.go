package editor_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/editor"
)

// TestStaleFacts: a fact is stale when its verified-on date is older than
// the age; each is named at its line; none is stale today at 180 days.
func TestStaleFacts(t *testing.T) {
	fsys := os.DirFS("../..")
	c, probs := bot.LoadPack(fsys)
	if c == nil {
		t.Fatalf("the pack does not load: %v", probs)
	}
	if got := editor.StaleFacts(fsys, c, time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC), editor.DefaultStaleAge); len(got) != 0 {
		t.Errorf("stale facts today: %v", got)
	}
	later := editor.StaleFacts(fsys, c, time.Date(2027, 12, 2, 0, 0, 0, 0, time.UTC), editor.DefaultStaleAge)
	total := len(c.KB.Pathways()) + len(c.KB.Documents()) + len(c.KB.Articles()) + len(c.KB.Offices()) + len(c.KB.Hotlines())
	if len(later) != total {
		t.Errorf("a year later %d stale facts, want all %d", len(later), total)
	}
	for _, p := range later {
		if p.Line == 0 || !strings.HasPrefix(p.File, "knowledge/") || !strings.Contains(p.Message, "check it against its sources") {
			t.Errorf("a stale fact not at its line: %s", p)
		}
	}
}
