package dialog_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/yol-project/yol/bot/dialog"
)

// BenchmarkSessionJSON splits the JSON part of BenchmarkMessage: through
// encoding/json, and the hand-written methods alone.
func BenchmarkSessionJSON(b *testing.B) {
	set, _ := dialog.Load(os.DirFS("testdata"), "bench")
	var sess dialog.Session
	events := set.Start(&sess, dialog.Input{}, make([]dialog.Event, 0, 16))
	var saved [][]byte
	for _, in := range benchInputs {
		events = set.Resume(&sess, in, events[:0])
		data, _ := json.Marshal(&sess)
		saved = append(saved, data)
	}
	b.Run("unmarshal", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			var s dialog.Session
			json.Unmarshal(saved[i%6], &s)
		}
	})
	b.Run("unmarshal-direct", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			var s dialog.Session
			s.UnmarshalJSON(saved[i%6])
		}
	})
	sessions := make([]dialog.Session, 6)
	for i := range sessions {
		json.Unmarshal(saved[i], &sessions[i])
	}
	b.Run("marshal", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			json.Marshal(&sessions[i%6])
		}
	})
	b.Run("marshal-direct", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			sessions[i%6].MarshalJSON()
		}
	})
}
