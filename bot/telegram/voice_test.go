package telegram

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/telegram/telegramtest"
)

// inbox records what the channel hands the service.
type inbox struct {
	mu  sync.Mutex
	got []bot.Inbound
}

func (b *inbox) Handle(ctx context.Context, in bot.Inbound) (bot.Result, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.got = append(b.got, in)
	return bot.Result{}, nil
}

func (b *inbox) all() []bot.Inbound {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]bot.Inbound(nil), b.got...)
}

func TestVoiceTranscribed(t *testing.T) {
	audio := []byte("OggS fake opus audio")
	tests := []struct {
		name       string
		seconds    int
		transcribe func(context.Context, io.Reader, string) (string, error)
		wantKind   bot.InboundKind
		wantText   string
	}{
		{"transcribed", 7, func(_ context.Context, r io.Reader, lang string) (string, error) {
			b, _ := io.ReadAll(r)
			if !bytes.Equal(b, audio) {
				return "", errors.New("wrong audio")
			}
			return " какой штраф? ", nil
		}, bot.InText, "какой штраф?"},
		{"transcriber fails", 7, func(context.Context, io.Reader, string) (string, error) {
			return "", errors.New("503 from the model server")
		}, bot.InVoice, ""},
		{"too long to transcribe", 600, func(context.Context, io.Reader, string) (string, error) {
			t.Error("a 10-minute voice message was sent for transcription")
			return "x", nil
		}, bot.InVoice, ""},
		{"no transcriber", 7, nil, bot.InVoice, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := telegramtest.New(t)
			box := &inbox{}
			start(t, fake, box, newDB(t), func(c *Config) { c.Transcribe = tt.transcribe })
			fake.Voice(77, "voice-1", audio, tt.seconds)
			deadline := time.Now().Add(10 * time.Second)
			for len(box.all()) == 0 && time.Now().Before(deadline) {
				time.Sleep(20 * time.Millisecond)
			}
			got := box.all()
			if len(got) != 1 {
				t.Fatalf("handled %d updates, want 1", len(got))
			}
			if got[0].Kind != tt.wantKind || got[0].Text != tt.wantText {
				t.Errorf("inbound = %s %q, want %s %q", got[0].Kind, got[0].Text, tt.wantKind, tt.wantText)
			}
			if got[0].Kind == bot.InText && got[0].FileID != "" {
				t.Error("the file id stays on a transcribed message")
			}
			for _, c := range fake.Calls("") {
				if strings.Contains(c.Params.Encode(), "OggS") {
					t.Error("the audio was sent back to Telegram")
				}
			}
		})
	}
}
