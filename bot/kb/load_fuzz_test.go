package kb_test

import (
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/yol-project/yol/bot/kb"
)

// FuzzLoad replaces one knowledge file at a time with random bytes: Load
// reports problems and never panics, and a base it returns answers queries.
func FuzzLoad(f *testing.F) {
	real := fstest.MapFS{}
	names := []string{"questions.yaml", "pathways.yaml", "documents.yaml", "articles.yaml", "sources.yaml", "offices.yaml"}
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join("../../knowledge", n))
		if err != nil {
			f.Fatal(err)
		}
		real["k/"+n] = &fstest.MapFile{Data: b}
		f.Add(uint8(len(real)-1), b[:len(b)/2])
	}
	f.Add(uint8(0), []byte("questions: [{id: x, answers: [{id: unknown, label: a.b}]}]"))
	f.Add(uint8(5), []byte("offices:\n  - {id: a, lat: 999, lng: -999, hours: {mon: \"25:00-99:99\"}}\n"))
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		fsys := fstest.MapFS{}
		for k, v := range real {
			fsys[k] = v
		}
		fsys["k/"+names[int(which)%len(names)]] = &fstest.MapFile{Data: data}
		b, _ := kb.Load(fsys, "k")
		if b == nil {
			return
		}
		if len(b.Evaluate(map[string]string{"passport": "expired"})) == 0 {
			t.Error("Evaluate returned nothing")
		}
		b.Nearest(40.4, 49.8, 3)
		b.Checklist([]string{"x"}, nil)
	})
}
