package locale_test

import (
	"testing"
	"testing/fstest"

	"github.com/yol-project/yol/bot/locale"
)

// FuzzLoad feeds random locale files to the loader: it reports problems,
// it never panics, and what it loads renders.
func FuzzLoad(f *testing.F) {
	f.Add([]byte("hello: \"Hi {{.Name}}\"\nn:\n  one: \"{{.count}} x\"\n  other: \"{{.count}} xs\"\n"))
	f.Add([]byte("a: [1, 2\n"))
	f.Add([]byte("x: {{.broken\n"))
	f.Add([]byte("- list\n- items\n"))
	f.Add([]byte("k:\n  one: 1\n  lots: 2\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{
			"l/languages.yaml": {Data: []byte("source: en\nlanguages:\n  - {code: en, name: English, status: source}\n  - {code: ar, name: Arabic, rtl: true, status: needs_native_review}\n")},
			"l/t.en.yaml":      {Data: data},
			"l/t.ar.yaml":      {Data: data},
		}
		b, _ := locale.Load(fsys, "l")
		if b == nil {
			return
		}
		for id := range b.IDs("en") {
			b.Text("ar", id, map[string]any{"Name": "x", "count": 3}, 3)
		}
	})
}
