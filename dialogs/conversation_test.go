package dialogs_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/editor"
)

var update = flag.Bool("update", false, "rewrite the golden transcripts in testdata/golden")

// TestConversations runs the editors' conversation tests (tests/*.yaml) in
// every language and compares each transcript with its golden file, so a
// change of content shows as a reviewed diff. `go test ./dialogs -update`
// rewrites the golden files.
func TestConversations(t *testing.T) {
	c, probs := bot.LoadPack(os.DirFS(".."))
	if c == nil {
		t.Fatalf("the pack does not load: %v", probs)
	}
	tests, lprobs := editor.LoadConversationTests(os.DirFS(".."), "dialogs/tests")
	for _, p := range lprobs {
		t.Error(p)
	}
	if len(tests) == 0 {
		t.Fatal("no conversation tests in dialogs/tests")
	}
	fails, scripts := editor.RunConversationTests(context.Background(), c, tests)
	for _, f := range fails {
		t.Error(f.String())
	}
	slug := regexp.MustCompile(`[^a-z0-9]+`)
	seen := map[string]bool{}
	for _, s := range scripts {
		name := strings.TrimSuffix(filepath.Base(s.File), ".yaml") + "-" + strings.Trim(slug.ReplaceAllString(strings.ToLower(s.Test), "-"), "-") + "." + s.Lang + ".txt"
		path := filepath.Join("testdata", "golden", name)
		seen[name] = true
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(s.Text), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: no golden transcript (run go test ./dialogs -update and review it)", path)
			continue
		}
		if string(want) != s.Text {
			t.Errorf("%s: transcript changed (run go test ./dialogs -update and review the diff):\n%s", path, firstDiff(string(want), s.Text))
		}
	}
	if *update {
		// Remove transcripts of tests that no longer exist.
		old, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.txt"))
		for _, p := range old {
			if !seen[filepath.Base(p)] {
				os.Remove(p)
			}
		}
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return "line " + itoa(i+1) + ":\n- " + x + "\n+ " + y
		}
	}
	return ""
}

func itoa(n int) string {
	s := ""
	for n > 0 {
		s = string(rune('0'+n%10)) + s
		n /= 10
	}
	if s == "" {
		return "0"
	}
	return s
}
