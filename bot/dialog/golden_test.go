package dialog_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/yol-project/yol/bot/dialog"
)

var update = flag.Bool("update", false, "rewrite the golden transcripts in testdata/golden")

// turn is one input of a golden transcript with its events and the
// session saved after it.
type turn struct {
	Input   dialog.Input    `json:"input"`
	Events  []dialog.Event  `json:"events"`
	Session json.RawMessage `json:"session"`
}

// transcript plays inputs through set from a new session, saving the
// session to JSON and reading it back between inputs as the host does.
func transcript(t *testing.T, set *dialog.Set, inputs []dialog.Input) []turn {
	t.Helper()
	var saved []byte = []byte("{}")
	turns := make([]turn, 0, len(inputs))
	for _, in := range inputs {
		var sess dialog.Session
		if err := json.Unmarshal(saved, &sess); err != nil {
			t.Fatalf("reading session %s: %v", saved, err)
		}
		events := set.Resume(&sess, in, nil)
		var err error
		if saved, err = json.Marshal(&sess); err != nil {
			t.Fatalf("saving session: %v", err)
		}
		turns = append(turns, turn{Input: in, Events: events, Session: saved})
	}
	return turns
}

// checkGolden compares got, as indented JSON, with testdata/golden/NAME.json,
// or rewrites the file with -update.
func checkGolden(t *testing.T, name string, got any) {
	t.Helper()
	data, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, '\n')
	file := filepath.Join("testdata", "golden", name+".json")
	if *update {
		if err := os.WriteFile(file, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test ./bot/dialog -update to create it)", err)
	}
	if !bytes.Equal(data, want) {
		t.Errorf("transcript differs from %s; review the change and run go test ./bot/dialog -update\ngot:\n%s", file, data)
	}
}

func TestGolden(t *testing.T) {
	set := loadValid(t)
	tests := []struct {
		name   string
		inputs []dialog.Input
	}{
		{"eligibility", []dialog.Input{
			start("campaign_42"), btn("en"), btn("yes"), btn("eligibility"),
			btn("valid"), text("seven"), text("7"), btn("back"), text("8"), btn("yes"),
			text("1999-12-31"), text("+994 (50) 123 45 67"), result("match"),
			loc(40.37767, 49.89201), result("ok"),
		}},
		{"free_text_and_commands", []dialog.Input{
			start(""), btn("ru"), btn("yes"), text("hi"), text("can I stay if my passport expired?"),
			result("found"), cmd("help"), cmd("forget"), btn("no"), cmd("language"), btn("fa"),
		}},
		{"forget", []dialog.Input{
			cmd("forget"), btn("yes"), result("done"), btn("bye"), text("anything"),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkGolden(t, tt.name, transcript(t, set, tt.inputs))
		})
	}
}
