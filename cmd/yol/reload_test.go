package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestHotReload: a valid change of YOL_CONTENT_DIR is swapped in whole; an
// invalid one is refused and the old content keeps running.
func TestHotReload(t *testing.T) {
	dir := copyPack(t)
	pack := &contentPack{}
	c, probs := pack.load(os.DirFS(dir))
	if c == nil {
		t.Fatalf("pack: %v", probs)
	}
	holder := pack.holder
	logs := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go watchContent(ctx, dir, pack, 20*time.Millisecond, slog.New(slog.NewTextHandler(io.MultiWriter(logs), nil)))
	time.Sleep(50 * time.Millisecond)

	edit := func(file, from, to string) {
		t.Helper()
		p := filepath.Join(dir, file)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		s := strings.Replace(string(b), from, to, 1)
		if s == string(b) {
			t.Fatalf("%s does not contain %q", file, from)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		// Make sure the modification time moves even on coarse clocks.
		future := time.Now().Add(time.Duration(len(s)%7+1) * time.Second)
		os.Chtimes(p, future, future)
	}
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s; logs:\n%s", what, logs.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	edit("locales/dialogs.en.yaml", "menu.q: ", "menu.q: \"Edited menu\"\nmenu.q.old: ")
	waitFor("the edited text", func() bool { return holder.Load().Texts.Text("en", "menu.q", nil, nil) == "Edited menu" })
	good := holder.Load().Version

	edit("dialogs/main.yaml", "menu: main_menu", "menu: no_such_dialog")
	waitFor("the refusal", func() bool { return strings.Contains(logs.String(), "content reload refused") })
	if got := holder.Load().Version; got != good {
		t.Errorf("content version = %s after an invalid change, want the previous %s", got, good)
	}
	if !strings.Contains(logs.String(), "no_such_dialog") {
		t.Errorf("the refusal does not name the problem:\n%s", logs.String())
	}
}
