package locale_test

import (
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/yol-project/yol/bot/locale"
)

func load(t *testing.T, dir string) *locale.Bundle {
	t.Helper()
	b, probs := locale.Load(os.DirFS("testdata"), dir)
	if len(probs) > 0 {
		t.Fatalf("problems: %v", probs)
	}
	return b
}

func TestTextAndPlurals(t *testing.T) {
	b := load(t, "good")
	tests := []struct {
		lang, id string
		data     map[string]any
		count    any
		want     string
	}{
		{"en", "hello", map[string]any{"Name": "Ali"}, nil, "Hello, Ali!"},
		{"ru", "hello", map[string]any{"Name": "Али"}, nil, "Здравствуйте, Али!"},
		{"ru", "offices.found", map[string]any{"Count": 1}, 1, "Я нашёл 1 отделение."},
		{"ru", "offices.found", map[string]any{"Count": 3}, 3, "Я нашёл 3 отделения."},
		{"ru", "offices.found", map[string]any{"Count": 5}, 5, "Я нашёл 5 отделений."},
		{"en", "offices.found", map[string]any{"Count": 2}, 2, "I found 2 offices."},
		{"ru", "only.en", nil, nil, "Only in English"}, // falls back to the source
		{"xx", "hello", map[string]any{"Name": "A"}, nil, "Hello, A!"},
		{"en", "no.such.id", nil, nil, "[no.such.id]"},
	}
	for _, tt := range tests {
		if got := b.Text(tt.lang, tt.id, tt.data, tt.count); got != tt.want {
			t.Errorf("Text(%s, %s) = %q, want %q", tt.lang, tt.id, got, tt.want)
		}
	}
}

func TestMissingIsReported(t *testing.T) {
	b := load(t, "good")
	var mu sync.Mutex
	var got []string
	b.OnMissing(func(lang, id string) {
		mu.Lock()
		got = append(got, lang+":"+id)
		mu.Unlock()
	})
	b.Text("ru", "only.en", nil, nil)
	b.Text("ru", "hello", map[string]any{"Name": "x"}, nil)
	if len(got) != 1 || got[0] != "ru:only.en" {
		t.Errorf("missing reports = %v, want [ru:only.en]", got)
	}
}

func TestMatch(t *testing.T) {
	b := load(t, "good")
	tests := []struct{ code, want string }{
		{"ru", "ru"}, {"ru-RU", "ru"}, {"en-US", "en"}, {"az", "az"}, {"ar-EG", "ar"},
		{"", "en"}, {"zz", "en"}, {"de", "en"}, {"!!", "en"},
	}
	for _, tt := range tests {
		if got := b.Match(tt.code); got != tt.want {
			t.Errorf("Match(%q) = %q, want %q", tt.code, got, tt.want)
		}
	}
	if l := b.Language("ar"); l == nil || !l.RTL {
		t.Errorf("ar should be right to left: %+v", l)
	}
}

func TestBadFiles(t *testing.T) {
	_, probs := locale.Load(os.DirFS("testdata"), "bad")
	var all []string
	for _, p := range probs {
		all = append(all, p.String())
	}
	joined := strings.Join(all, "\n")
	for _, want := range []string{
		`bad/languages.yaml: language "ru": status "half_done" must be one of`,
		`bad/ui.en.yaml:2: message "empty" is empty`,
		`bad/ui.en.yaml:5: message "plural": unknown field "lots"`,
		`bad/ui.en.yaml:6: message "hello" is already defined at bad/ui.en.yaml:1`,
		`bad/ui.de.yaml: language "de" is not listed in languages.yaml`,
	} {
		if !strings.Contains(joined, want) {
			t.Errorf("problems do not contain %q; got:\n%s", want, joined)
		}
	}
}
