package main

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/bot/telegram/telegramtest"
)

// TestContentVersionsSwitchEveryReplica: on a new database the built-in
// pack is the first live version; `yol content push` stores an edited
// folder as a draft, `publish` refuses a version with a broken reference,
// publishes a good one, and a running `yol serve` (its Telegram command
// menu) switches to it within 5 seconds without a restart; publishing the
// first version again rolls back; `export` writes back exactly what was
// pushed.
func TestContentVersionsSwitchEveryReplica(t *testing.T) {
	fake := telegramtest.New(t)
	env := map[string]string{"DATABASE_URL": pgtest.URL(t), "YOL_DATA_KEY": testKey(t),
		"TELEGRAM_BOT_TOKEN": fake.Token, "TELEGRAM_API_URL": fake.APIURL(), "YOL_SEND_RATE": "1000", "YOL_CHAT_INTERVAL": "0s", "USER": "nigar"}
	r := startServe(t, env)
	waitUntil(t, "the first command menu", 20*time.Second, func() bool { return strings.Contains(fake.Commands("en"), `"Main menu"`) })
	run := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return env[k] }, ReadFile: os.ReadFile}
		return m.Run(context.Background(), append([]string{"content"}, args...)), out.String(), errOut.String()
	}
	code, out, _ := run("list")
	if code != 0 || !regexp.MustCompile(`(?m)^1\s+live\s+.*built-in`).MatchString(out) {
		t.Fatalf("list on a new database = %d:\n%s", code, out)
	}

	// A broken draft is stored, and cannot be published.
	broken := copyPack(t)
	rewrite(t, broken, "dialogs/offices.yaml", func(s string) string { return strings.Replace(s, "call: ask_place", "call: no_such_dialog", 1) })
	code, out, errOut := run("push", "--note", "broken", broken)
	if code != 0 || !strings.Contains(out, "draft version 2") {
		t.Fatalf("push = %d %s %s", code, out, errOut)
	}
	if code, _, errOut := run("publish", "2"); code != 1 || !strings.Contains(errOut, "no_such_dialog") || !strings.Contains(errOut, "not published") {
		t.Errorf("publishing a broken version = %d %s", code, errOut)
	}

	// A good edit goes live everywhere within seconds.
	dir := copyPack(t)
	rewrite(t, dir, "locales/dialogs.en.yaml", func(s string) string {
		return strings.Replace(s, `command.menu: "Main menu"`, `command.menu: "The menu, published"`, 1)
	})
	if code, out, _ := run("push", dir); code != 0 || !strings.Contains(out, "draft version 3") {
		t.Fatalf("push = %d %s", code, out)
	}
	if code, out, _ := run("push", dir); code != 0 || !strings.Contains(out, "version 3 already") {
		t.Errorf("pushing the same pack twice = %d %s", code, out)
	}
	start := time.Now()
	if code, _, errOut := run("publish", "3"); code != 0 {
		t.Fatalf("publish = %d %s", code, errOut)
	}
	waitUntil(t, "the published command menu", 5*time.Second, func() bool { return strings.Contains(fake.Commands("en"), `"The menu, published"`) })
	t.Logf("switched %v after the publish", time.Since(start).Round(time.Millisecond))
	// Rollback: the first version again.
	if code, _, errOut := run("publish", "1"); code != 0 {
		t.Fatalf("rollback = %d %s", code, errOut)
	}
	waitUntil(t, "the rolled back command menu", 5*time.Second, func() bool { return strings.Contains(fake.Commands("en"), `"Main menu"`) })
	if code, body := get(t, "http://"+r.addr+"/readyz"); code != 200 || strings.Contains(body, "content:") {
		t.Errorf("/readyz = %d %q", code, body)
	}

	// A live version this replica cannot load (made live behind yol
	// content's back): the content in use stays, and /readyz says so.
	pool, err := pgxpool.New(context.Background(), env["DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if _, err := pool.Exec(context.Background(), "UPDATE content_live SET version_id = 2; SELECT pg_notify('yol_content', '2')"); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "/readyz to say the live version is not in use", 5*time.Second, func() bool {
		_, body := get(t, "http://"+r.addr+"/readyz")
		return strings.Contains(body, "content: the live version is not in use") && strings.Contains(body, "no_such_dialog")
	})
	if !strings.Contains(fake.Commands("en"), `"Main menu"`) {
		t.Errorf("the content in use changed to a version that does not load")
	}
	if code, _, errOut := run("publish", "1"); code != 0 {
		t.Fatalf("publish 1 again = %d %s", code, errOut)
	}
	waitUntil(t, "/readyz to be clear again", 5*time.Second, func() bool {
		_, body := get(t, "http://"+r.addr+"/readyz")
		return !strings.Contains(body, "content:")
	})

	// Export writes back the pushed files, file by file.
	out3 := t.TempDir()
	if code, _, errOut := run("export", "3", out3); code != 0 {
		t.Fatalf("export = %d %s", code, errOut)
	}
	want, err := bot.PackFiles(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	got, err := bot.PackFiles(os.DirFS(out3))
	if err != nil || len(got) != len(want) {
		t.Fatalf("exported %d files (%v), want %d", len(got), err, len(want))
	}
	for p, b := range want {
		if !bytes.Equal(got[p], b) {
			t.Errorf("%s differs after export", p)
		}
	}
	for _, bad := range [][]string{{"publish", "x"}, {"publish", "99"}, {"export", "99", out3}, {"fly"}, {"push", "/nonexistent"}} {
		if code, _, _ := run(bad...); code == 0 {
			t.Errorf("content %v = 0, want an error", bad)
		}
	}
}
