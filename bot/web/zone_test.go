package web

import (
	"os"
	"testing"
	"time"

	"github.com/yol-project/yol/bot"
)

// TestZoneIsThePacks: the console shows and reads dates in the time zone of
// the content pack's settings, and names it by its city.
func TestZoneIsThePacks(t *testing.T) {
	c, probs := bot.LoadPack(os.DirFS("testdata/pack"))
	if c == nil {
		t.Fatalf("test pack: %v", probs)
	}
	s := &Server{Content: bot.NewContentHolder(c)}
	at := time.Date(2026, 3, 8, 22, 30, 0, 0, time.UTC) // 02:30 the next day at UTC+4
	if got := s.date(at); got != "2026-03-09 02:30" {
		t.Errorf("date = %q, want the pack's Asia/Baku", got)
	}
	if got := s.zoneName(); got != "Baku" {
		t.Errorf("zoneName = %q, want Baku", got)
	}
	if got := s.day(time.Time{}); got != "" {
		t.Errorf("a zero time shows %q", got)
	}
	if got := (&Server{}).zoneName(); got != "UTC" {
		t.Errorf("without content: zone %q, want UTC", got)
	}
}
