package dialogs_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/dialog"
	"github.com/yol-project/yol/bot/kb"
	"github.com/yol-project/yol/bot/locale"
)

// pack loads the content pack from the repository (the folder above).
func pack(t *testing.T) (*dialog.Set, *kb.Base, *locale.Bundle) {
	t.Helper()
	fsys := os.DirFS("..")
	set, probs := dialog.Load(fsys, "dialogs")
	for _, p := range probs {
		t.Errorf("dialogs: %s", p)
	}
	if set == nil {
		t.Fatal("the dialogs do not load")
	}
	base, kprobs := kb.Load(fsys, "knowledge")
	for _, p := range kprobs {
		t.Logf("knowledge (not ours): %s", p)
	}
	texts, lprobs := locale.Load(fsys, "locales")
	for _, p := range lprobs {
		t.Errorf("locales: %s", p)
	}
	if base == nil || texts == nil {
		t.Fatal("knowledge or locales do not load")
	}
	return set, base, texts
}

func TestDialogsLoadAndCheck(t *testing.T) {
	set, _, texts := pack(t)
	actions := bot.ActionNames()
	probs := set.Check(dialog.Known{
		Languages:  []string{"en"},
		HasMessage: texts.Has,
		HasAction:  func(name string) bool { return slices.Contains(actions, name) },
	})
	for _, p := range probs {
		t.Errorf("%s", p)
	}
	for _, c := range []string{"start", "menu", "help", "language", "status", "forget"} {
		found := false
		for _, cd := range set.Commands() {
			found = found || cd[0] == c
		}
		if !found {
			t.Errorf("command /%s is missing", c)
		}
	}
}

func TestServiceMessagesInEnglish(t *testing.T) {
	_, _, texts := pack(t)
	for _, id := range bot.ServiceMessageIDs {
		if !texts.Has("en", id) {
			t.Errorf("service message %q is missing in English", id)
		}
	}
}

// TestTextsRender renders every dialog text of every language with the
// template data the program passes: a placeholder a translation misspelt
// shows as "<no value>".
func TestTextsRender(t *testing.T) {
	_, _, texts := pack(t)
	data := map[string]any{
		"count": 2, "km": "3.4", "Sources": "Migration Code", "VerifiedOn": "2026-11-28",
		"referral_code": "K7M-4QX9", "referral_status": "New", "value": "x",
		"retention_period": "90 days", "department_name": "Ganja Regional Migration Department",
		"Code": "K7M-4QX9", "Status": "New", "Date": "2026-12-01", "Time": "10:00", "Place": "Baku",
		"organisation_name": "Free Lawyers", "organisation_kind": "It is a government office.", "legal_aid_name": "Free Lawyers",
		"protection_name": "Shelter", "hours": "Mon 9-18", "days": "3 days", "name": "Free Lawyers",
		"Org": "Free Lawyers", "Kind": "It is a government office.",
	}
	for _, l := range texts.Languages() {
		for id, ref := range texts.IDs(l.Code) {
			if !strings.HasSuffix(ref.File, "dialogs."+l.Code+".yaml") {
				continue
			}
			for _, n := range []int{0, 1, 2, 3, 5, 11, 100} {
				data["count"] = n
				s := texts.Text(l.Code, id, data, n)
				if s == "" || strings.HasPrefix(s, "[") || strings.Contains(s, "<no value>") {
					t.Errorf("%s:%d: %q renders as %q", ref.File, ref.Line, id, s)
				}
			}
		}
	}
}

type yNode struct {
	Ask     string `yaml:"ask"`
	Save    string `yaml:"save"`
	Buttons []struct {
		Value string `yaml:"value"`
		Label string `yaml:"label"`
	} `yaml:"buttons"`
}

type yFile struct {
	Dialogs map[string]struct {
		Nodes map[string]yNode `yaml:"nodes"`
	} `yaml:"dialogs"`
}

func nodes(t *testing.T) map[string]map[string]yNode {
	t.Helper()
	files, _ := filepath.Glob("*.yaml")
	out := map[string]map[string]yNode{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var yf yFile
		if err := yaml.Unmarshal(raw, &yf); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for name, d := range yf.Dialogs {
			out[name] = d.Nodes
		}
	}
	return out
}

// TestEligibilityAsksEveryQuestion: each question of questions.yaml is asked
// in order, saved in the var named by its id, with a button per answer whose
// label is the answer's message ID.
func TestEligibilityAsksEveryQuestion(t *testing.T) {
	_, base, _ := pack(t)
	elig := nodes(t)["eligibility"]
	if elig == nil {
		t.Fatal("no eligibility dialog")
	}
	for _, q := range base.Questions() {
		n, ok := elig["q_"+q.ID]
		if !ok {
			t.Errorf("question %q is not asked (node q_%s)", q.ID, q.ID)
			continue
		}
		if n.Ask != q.Text || n.Save != q.ID {
			t.Errorf("question %q: ask %q save %q, want ask %q save %q", q.ID, n.Ask, n.Save, q.Text, q.ID)
		}
		if len(n.Buttons) != len(q.Answers) {
			t.Errorf("question %q: %d buttons for %d answers", q.ID, len(n.Buttons), len(q.Answers))
		}
		for i, a := range q.Answers {
			if i < len(n.Buttons) && (n.Buttons[i].Value != a.ID || n.Buttons[i].Label != a.Label) {
				t.Errorf("question %q button %d: %+v, want value %q label %q", q.ID, i, n.Buttons[i], a.ID, a.Label)
			}
		}
	}
}

// TestCityButtons: every city button is a city id of offices.yaml, and the
// full city list offers every city.
func TestCityButtons(t *testing.T) {
	_, base, _ := pack(t)
	var ids []string
	for _, c := range base.Cities() {
		ids = append(ids, c.ID)
	}
	place := nodes(t)["ask_place"]
	for _, b := range place["q_where"].Buttons {
		if b.Value != "location" && b.Value != "other_city" && b.Value != "unknown" && !slices.Contains(ids, b.Value) {
			t.Errorf("q_where: button %q is not a city id", b.Value)
		}
	}
	var listed []string
	for _, b := range place["q_city"].Buttons {
		if b.Value == "unknown" {
			continue
		}
		if !slices.Contains(ids, b.Value) {
			t.Errorf("q_city: button %q is not a city id", b.Value)
		}
		listed = append(listed, b.Value)
	}
	for _, id := range ids {
		if !slices.Contains(listed, id) {
			t.Errorf("q_city: city %q has no button", id)
		}
	}
}
