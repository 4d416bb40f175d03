package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/bot/telegram/telegramtest"
)

// TestReloadGetsWhatTheFirstLoadGets: a reload of YOL_CONTENT_DIR goes
// the way the first load went: a changed command description reaches
// Telegram's command menu, and a text the new content lacks in a language
// is counted by the missing-translation metric.
func TestReloadGetsWhatTheFirstLoadGets(t *testing.T) {
	const token = "metrics-token-0123456789abcdef"
	fake := telegramtest.New(t)
	dir := copyPack(t)
	r := startServe(t, map[string]string{"DATABASE_URL": pgtest.URL(t), "YOL_DATA_KEY": testKey(t), "YOL_CONTENT_DIR": dir,
		"TELEGRAM_BOT_TOKEN": fake.Token, "TELEGRAM_API_URL": fake.APIURL(), "YOL_METRICS_TOKEN": token,
		"YOL_SEND_RATE": "1000", "YOL_CHAT_INTERVAL": "0s"})
	waitUntil(t, "the first command menu", 20*time.Second, func() bool { return strings.Contains(fake.Commands("en"), `"Main menu"`) })

	edit := func(file string, change func(string) string) {
		t.Helper()
		rewrite(t, dir, file, change)
		future := time.Now().Add(3 * time.Second) // the modification time moves even on coarse clocks
		os.Chtimes(filepath.Join(dir, file), future, future)
	}
	edit("locales/dialogs.ru.yaml", func(s string) string {
		return regexp.MustCompile(`(?m)^onboarding\.continue_yes:.*\n`).ReplaceAllString(s, "")
	})
	edit("locales/dialogs.en.yaml", func(s string) string {
		return strings.Replace(s, `command.menu: "Main menu"`, `command.menu: "The menu, edited"`, 1)
	})
	waitUntil(t, "the edited command menu", 20*time.Second, func() bool {
		return strings.Contains(fake.Commands("en"), `"The menu, edited"`) && strings.Contains(fake.Commands(""), `"The menu, edited"`)
	})
	if !strings.Contains(r.stderr.String(), "content reloaded") {
		t.Errorf("the log does not say the content was reloaded:\n%s", r.stderr)
	}

	// The Russian start now offers a button whose text Russian lacks.
	const person = 7001
	fake.Push(map[string]any{"message": map[string]any{"message_id": 1, "date": time.Now().Unix(),
		"chat": map[string]any{"id": person, "type": "private"}, "from": map[string]any{"id": person, "is_bot": false, "first_name": "A", "language_code": "ru"},
		"text": "/start"}})
	waitUntil(t, "the reply to /start", 20*time.Second, func() bool { return len(fake.Sent(person)) > 0 })
	series := regexp.MustCompile(`(?m)^yol_missing_translations_total\{lang="ru"\} (\d+)`)
	waitUntil(t, "the missing Russian text counted", 10*time.Second, func() bool {
		_, body := metricsGet(t, "http://"+r.addr, token)
		m := series.FindStringSubmatch(body)
		if m == nil {
			return false
		}
		n, _ := strconv.Atoi(m[1])
		return n > 0
	})
}

// TestReloadSearchWords: the search words are part of the pack: a change
// of knowledge/search.yaml is reloaded with the rest and searched at once,
// and one that names an article the pack lacks is refused.
func TestReloadSearchWords(t *testing.T) {
	dir := copyPack(t)
	pack := &contentPack{}
	if c, probs := pack.load(os.DirFS(dir)); c == nil {
		t.Fatalf("pack: %v", probs)
	}
	const question = "zebra crossing permit"
	if r := pack.holder.Load().SearchIndex().Route(question, "en"); r.Intent != "" {
		t.Fatalf("before the change, %q has the intent %s", question, r.Intent)
	}
	logs := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go watchContent(ctx, dir, pack, 20*time.Millisecond, slog.New(slog.NewTextHandler(logs, nil)))
	time.Sleep(50 * time.Millisecond)

	p := filepath.Join(dir, "knowledge", "search.yaml")
	write := func(from, to string) {
		t.Helper()
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		s := strings.Replace(string(b), from, to, 1)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		future := time.Now().Add(time.Duration(len(s)%7+1) * time.Second)
		os.Chtimes(p, future, future)
	}
	// A reload loads and checks the whole pack: seconds under -race on a busy machine.
	write("  journey:documents:\n    en: [", "  journey:documents:\n    en: ["+question+", ")
	waitUntil(t, "the new intent phrase", 30*time.Second, func() bool {
		return pack.holder.Load().SearchIndex().Route(question, "en").Intent == "journey:documents"
	})
	good := pack.holder.Load().Version

	write("  article:fines_overstay:\n", "  article:does_not_exist:\n")
	waitUntil(t, "the refusal", 30*time.Second, func() bool { return strings.Contains(logs.String(), "content reload refused") })
	if got := pack.holder.Load().Version; got != good || !strings.Contains(logs.String(), "does_not_exist") {
		t.Errorf("version %s after a search word naming no article (want the previous %s); logs:\n%s", got, good, logs)
	}
}
