package main

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/bot/telegram/telegramtest"
)

var servingAt = regexp.MustCompile(`"simulator":"http://([^/"]+)/`)

// httpAddr is the address a started process listens on.
func (p *proc) httpAddr(t testing.TB) string {
	t.Helper()
	m := servingAt.FindStringSubmatch(p.log.String())
	if m == nil {
		t.Fatalf("no address in the log:\n%s", p.log)
	}
	return m[1]
}

// TestTwoServeProcessesWebhook: two `yol serve` processes in webhook mode on
// one database, each update delivered twice, alternately to each process:
// every update is handled once, and each chat gets its replies once and in
// order.
func TestTwoServeProcessesWebhook(t *testing.T) {
	fake := telegramtest.New(t)
	url := pgtest.URL(t)
	env := []string{"DATABASE_URL=" + url, "YOL_DATA_KEY=" + testKey(t), "YOL_HTTP_ADDR=127.0.0.1:0",
		"TELEGRAM_BOT_TOKEN=" + fake.Token, "TELEGRAM_API_URL=" + fake.APIURL(), "YOL_SEND_RATE=1000", "YOL_CHAT_INTERVAL=0s",
		"TELEGRAM_WEBHOOK_URL=https://yol.example/telegram/webhook", "TELEGRAM_WEBHOOK_SECRET=s3cret_token"}
	procs := []*proc{startProc(t, env), startProc(t, env)}
	addrs := []string{procs[0].httpAddr(t), procs[1].httpAddr(t)}
	if fake.Webhook().Get("secret_token") != "s3cret_token" {
		t.Errorf("setWebhook secret = %q", fake.Webhook().Get("secret_token"))
	}
	texts := []string{"/start", "/help", "/menu", "/help"}
	var wg sync.WaitGroup
	var mu sync.Mutex
	next := int64(9000)
	for chat := int64(700); chat < 710; chat++ {
		wg.Go(func() {
			for i, text := range texts {
				mu.Lock()
				next++
				id := next
				mu.Unlock()
				body := `{"update_id":` + strconv.FormatInt(id, 10) + `,"message":{"message_id":1,"date":1,"text":"` + text +
					`","chat":{"id":` + strconv.FormatInt(chat, 10) + `,"type":"private"},"from":{"id":` + strconv.FormatInt(chat, 10) + `,"is_bot":false,"first_name":"P"}}}`
				for try := range 2 {
					req, _ := http.NewRequest("POST", "http://"+addrs[(i+try+int(chat))%2]+"/telegram/webhook", strings.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "s3cret_token")
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						t.Error(err)
						return
					}
					resp.Body.Close()
					if resp.StatusCode != 200 {
						t.Errorf("webhook status %d", resp.StatusCode)
					}
				}
			}
		})
	}
	wg.Wait()
	// A request without the secret is refused and stores nothing.
	req, _ := http.NewRequest("POST", "http://"+addrs[0]+"/telegram/webhook", strings.NewReader(`{"update_id":1,"message":{"message_id":1,"date":1,"text":"/start","chat":{"id":1,"type":"private"}}}`))
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("no secret: %v %v, want 401", resp.StatusCode, err)
	}
	pool := pgtestPool(t, url)
	waitUntil(t, "every reply sent", 30*time.Second, func() bool {
		var n int
		pool.QueryRow(context.Background(), "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL").Scan(&n)
		return n == 0
	})
	var handled int
	pool.QueryRow(context.Background(), "SELECT count(*) FROM inbound_updates").Scan(&handled)
	if want := 10 * len(texts); handled != want {
		t.Errorf("updates stored = %d, want %d", handled, want)
	}
	want := []string{"Shall we continue", "/menu – the main menu", "What do you need?", "/menu – the main menu"}
	for chat := int64(700); chat < 710; chat++ {
		sent := fake.Sent(chat)
		if len(sent) != len(want) {
			t.Errorf("chat %d got %d messages, want %d (once each)", chat, len(sent), len(want))
			continue
		}
		for i, w := range want {
			if !strings.Contains(sent[i].Text(), w) {
				t.Errorf("chat %d message %d = %q, want it to contain %q (order kept)", chat, i+1, sent[i].Text(), w)
			}
		}
	}
}

// TestServeRecoversFromPostgresRestart: PostgreSQL stops under load and
// comes back; the same `yol serve` process answers everyone, once.
func TestServeRecoversFromPostgresRestart(t *testing.T) {
	ctx := context.Background()
	dir := pgtest.DataDir(t)
	c, err := postgres.StartCluster(ctx, dir, "yol")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Stop(context.Background()) })
	fake := telegramtest.New(t)
	startProc(t, []string{"DATABASE_URL=" + c.URL("yol"), "YOL_DATA_KEY=" + testKey(t), "YOL_HTTP_ADDR=127.0.0.1:0",
		"TELEGRAM_BOT_TOKEN=" + fake.Token, "TELEGRAM_API_URL=" + fake.APIURL(), "YOL_SEND_RATE=1000", "YOL_CHAT_INTERVAL=0s"})
	for i := range 20 {
		fake.Text(int64(30000+i), "/start")
	}
	waitUntil(t, "the first 20 chats served", 30*time.Second, func() bool { return fake.ChatsServed() == 20 })
	if err := c.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		fake.Text(int64(30100+i), "/start")
	}
	time.Sleep(3 * time.Second)
	c2, err := postgres.StartCluster(ctx, dir, "yol")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c2.Stop(context.Background()) })
	waitUntil(t, "every chat served after PostgreSQL came back", 90*time.Second, func() bool { return fake.ChatsServed() == 40 })
	pool := pgtestPool(t, c2.URL("yol"))
	var handled int
	pool.QueryRow(ctx, "SELECT count(*) FROM inbound_updates").Scan(&handled)
	if handled != 40 {
		t.Errorf("updates stored = %d, want 40 (each once)", handled)
	}
	for i := range 20 {
		if n := len(fake.Sent(int64(30100 + i))); n != 1 {
			t.Errorf("chat %d got %d messages, want 1", 30100+i, n)
		}
	}
}
