package kb_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/yol-project/yol/bot/kb"
	"github.com/yol-project/yol/bot/locale"
)

// labelled is one question of testdata/questions/<lang>.yaml.
type labelled struct {
	Q    string   `yaml:"q"`
	Want wantList `yaml:"want"`
}

// wantList accepts one answer or a list of acceptable answers.
type wantList []string

func (w *wantList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*w = wantList{n.Value}
		return nil
	}
	var l []string
	if err := n.Decode(&l); err != nil {
		return err
	}
	*w = l
	return nil
}

// realIndex indexes the real content pack (knowledge/ and locales/).
func realIndex(t testing.TB) (*kb.Index, []string) {
	t.Helper()
	b, text, langs := realContent(t)
	return b.NewIndex(text, langs, nil), langs
}

// realContent loads the real content pack: the knowledge base, its texts
// and its languages.
func realContent(t testing.TB) (*kb.Base, kb.TextFunc, []string) {
	t.Helper()
	b := loadReal(t)
	texts, probs := locale.Load(os.DirFS("../.."), "locales")
	if texts == nil {
		t.Fatalf("locales: %v", probs)
	}
	var langs []string
	for _, l := range texts.Languages() {
		langs = append(langs, l.Code)
	}
	text := func(lang, id string) (string, bool) {
		if !texts.Has(lang, id) {
			return "", false
		}
		return texts.Text(lang, id, nil, nil), true
	}
	return b, text, langs
}

type accuracy struct {
	lang            string
	n, top1, top3   int
	none, noneRight int
	misses          []string
}

func evaluate(t testing.TB, ix *kb.Index, lang, file string) accuracy {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "questions", file))
	if err != nil {
		t.Fatalf("labelled questions: %v", err)
	}
	var qs []labelled
	if err := yaml.Unmarshal(data, &qs); err != nil {
		t.Fatalf("%s.yaml: %v", lang, err)
	}
	acc := accuracy{lang: lang}
	for _, q := range qs {
		r := ix.Route(q.Q, lang)
		if len(q.Want) == 1 && q.Want[0] == "none" {
			acc.none++
			if !r.Found {
				acc.noneRight++
			} else {
				acc.misses = append(acc.misses, fmt.Sprintf("%q: want none, got %v", q.Q, top(r.Answers, 3)))
			}
			continue
		}
		acc.n++
		rank := -1
		for i, a := range r.Answers {
			for _, w := range q.Want {
				if a == w && rank < 0 {
					rank = i
				}
			}
		}
		if !r.Found {
			rank = -1
		}
		if rank == 0 {
			acc.top1++
		}
		if rank >= 0 && rank < 3 {
			acc.top3++
		}
		if rank != 0 {
			acc.misses = append(acc.misses, fmt.Sprintf("%q: want %v, got %v (found %v, rank %d)", q.Q, []string(q.Want), top(r.Answers, 3), r.Found, rank))
		}
	}
	return acc
}

func top(l []string, n int) []string {
	if len(l) > n {
		return l[:n]
	}
	return l
}

// Floors (SEARCH.md), per language. The tuning set (<lang>.yaml) was
// written with the synonyms; the held-out set (<lang>.heldout.yaml) was
// written after them and the held-out 2 set (<lang>.heldout2.yaml) before
// the search learnt transliteration, dialects and typos, both then used
// to tune it (SEARCH.md says how). Their floors sit a little under what
// they measure, so that a change which makes search worse fails; held-out
// 2 is held at the target (top-1 0.85, top-3 0.95). The fresh set
// (<lang>.fresh.yaml), written after the tuning and never used for it, is
// only reported: it is the honest estimate.
var floors = map[string][2]float64{ // set -> {top-1, top-3}
	"tuning":     {0.9, 0.95},
	"held-out":   {0.78, 0.92},
	"held-out 2": {0.85, 0.95},
}

// TestSearchAccuracy measures the router on the labelled questions of
// every language and fails below the floors.
func TestSearchAccuracy(t *testing.T) {
	ix, langs := realIndex(t)
	sort.Strings(langs)
	for _, set := range []struct{ name, suffix string }{{"tuning", ".yaml"}, {"held-out", ".heldout.yaml"}, {"held-out 2", ".heldout2.yaml"}, {"fresh", ".fresh.yaml"}} {
		accuracyTable(t, ix, langs, set.name, set.suffix)
	}
}

func accuracyTable(t *testing.T, ix *kb.Index, langs []string, set, suffix string) {
	floor, checked := floors[set] // a set without floors is only reported
	floorTop1, floorTop3 := floor[0], floor[1]
	var rows []string
	rows = append(rows, "| lang | questions | top-1 | top-3 | off-topic refused |", "|---|---|---|---|---|")
	total := accuracy{}
	for _, l := range langs {
		if _, err := os.Stat(filepath.Join("testdata", "questions", l+suffix)); err != nil {
			t.Errorf("no labelled questions for %s (%s)", l, l+suffix)
			continue
		}
		a := evaluate(t, ix, l, l+suffix)
		total.n += a.n
		total.top1 += a.top1
		total.top3 += a.top3
		if set == "tuning" && a.n < 20 {
			t.Errorf("%s: %d labelled questions, want at least 20", l, a.n)
		}
		t1, t3 := float64(a.top1)/float64(a.n), float64(a.top3)/float64(a.n)
		rows = append(rows, fmt.Sprintf("| %s | %d | %.2f | %.2f | %d/%d |", l, a.n, t1, t3, a.noneRight, a.none))
		for _, m := range a.misses {
			t.Logf("%s %s miss: %s", set, l, m)
		}
		if !checked {
			continue
		}
		if t3 < floorTop3 {
			t.Errorf("%s %s: top-3 accuracy %.2f < %.2f", set, l, t3, floorTop3)
		}
		if t1 < floorTop1 {
			t.Errorf("%s %s: top-1 accuracy %.2f < %.2f", set, l, t1, floorTop1)
		}
		if a.noneRight < a.none {
			t.Errorf("%s: %d of %d off-topic questions were answered", l, a.none-a.noneRight, a.none)
		}
	}
	if total.n > 0 {
		rows = append(rows, fmt.Sprintf("| all | %d | %.2f | %.2f | |", total.n, float64(total.top1)/float64(total.n), float64(total.top3)/float64(total.n)))
	}
	t.Logf("accuracy, %s set (testdata/questions/*%s):\n%s", set, suffix, strings.Join(rows, "\n"))
}
