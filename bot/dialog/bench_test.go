package dialog_test

import (
	"encoding/json"
	"os"
	"runtime"
	"testing"

	"github.com/yol-project/yol/bot/dialog"
)

// benchInputs is one conversation through testdata/bench: the menu button,
// then five answers (buttons, number, yes/no, date, and the sub-dialog's
// button). After the last answer the dialog ends and the menu is asked
// again, so the inputs can be played round and round.
var benchInputs = []dialog.Input{
	btn("start"), btn("valid"), text("12"), btn("yes"), text("01.02.2003"), btn("baku"),
}

// BenchmarkMessage measures one person's message end to end, as the host
// handles it: read the session from JSON, Resume, save the session to JSON.
func BenchmarkMessage(b *testing.B) {
	set, problems := dialog.Load(os.DirFS("testdata"), "bench")
	if set == nil {
		b.Fatalf("loading bench content: %v", problems)
	}
	var sess dialog.Session
	events := set.Start(&sess, dialog.Input{}, make([]dialog.Event, 0, 16))
	if len(events) != 1 || events[0].MessageID != "menu.q" {
		b.Fatalf("start: got %+v, want the menu question", events)
	}
	saved, err := json.Marshal(&sess)
	if err != nil {
		b.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var s dialog.Session
		if err := json.Unmarshal(saved, &s); err != nil {
			b.Fatal(err)
		}
		events = set.Resume(&s, benchInputs[i%len(benchInputs)], events[:0])
		if len(events) == 0 || events[len(events)-1].Type != dialog.EventAsk {
			b.Fatalf("message %d: got %+v, want a question last", i, events)
		}
		if saved, err = json.Marshal(&s); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/msg")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(b.N), "allocs/msg")
}
