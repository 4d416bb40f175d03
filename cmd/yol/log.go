package main

import (
	"io"
	"log/slog"
	"os"
	"strings"
)

// privateKeys are attribute names that must never reach a log line, in case
// a call site forgets: their values are replaced.
var privateKeys = map[string]bool{
	"text": true, "message": true, "phone": true, "name": true, "token": true, "password": true,
	"chat_id": true, "user_id": true, "lat": true, "lng": true, "body": true, "answer": true,
}

// newLogger logs JSON, or text when w is a terminal. Private attribute names
// are masked whatever their value.
func newLogger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{
		Level: slog.LevelInfo,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if privateKeys[strings.ToLower(a.Key)] {
				return slog.String(a.Key, "[redacted]")
			}
			return a
		},
	}
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			return slog.New(slog.NewTextHandler(w, opts))
		}
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}
