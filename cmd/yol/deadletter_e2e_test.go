package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/bot/telegram/telegramtest"
)

// TestPoisonedReplyEndToEnd runs the real `yol serve` against a fake Bot
// API that answers one chat's greeting with 500 for ever. After
// YOL_SEND_ATTEMPTS attempts the greeting is a dead letter; that chat's
// later replies and every other chat's replies are delivered.
func TestPoisonedReplyEndToEnd(t *testing.T) {
	fake := telegramtest.New(t)
	url := pgtest.URL(t)
	env := []string{"DATABASE_URL=" + url, "YOL_DATA_KEY=" + testKey(t), "YOL_HTTP_ADDR=127.0.0.1:0",
		"TELEGRAM_BOT_TOKEN=" + fake.Token, "TELEGRAM_API_URL=" + fake.APIURL(),
		"YOL_SEND_RATE=1000", "YOL_CHAT_INTERVAL=0s", "YOL_SEND_ATTEMPTS=3"}
	const poisoned = 6001
	const greeting = "Shall we continue in English?"
	fake.Fail(telegramtest.Fault{Method: "sendMessage", ChatID: poisoned, Text: greeting, Times: -1, Code: 500})
	p := startProc(t, env)

	fake.Text(poisoned, "/start")
	const others = 20
	for i := range others {
		fake.Text(int64(7000+i), "/start")
	}
	waitUntil(t, "every other chat greeted", 30*time.Second, func() bool { return fake.ChatsServed() >= others })
	// The person goes on while the greeting is refused: the answer waits
	// behind it, then goes once it is a dead letter.
	fake.Button(poisoned, "yes")
	waitUntil(t, "the poisoned chat's next reply", 60*time.Second, func() bool {
		for _, c := range fake.Sent(poisoned) {
			if strings.Contains(c.Text(), "Do you agree?") {
				return true
			}
		}
		return false
	})
	for i := range others {
		if len(fake.Sent(int64(7000+i))) == 0 {
			t.Errorf("chat %d got no reply", 7000+i)
		}
	}
	for _, c := range fake.Sent(poisoned) {
		if strings.Contains(c.Text(), greeting) {
			t.Error("the poisoned greeting was delivered")
		}
	}
	tries := 0
	for _, c := range fake.Calls("sendMessage") {
		if c.ChatID() == poisoned && strings.Contains(c.Text(), greeting) {
			tries++
		}
	}
	if tries != 3 {
		t.Errorf("the poisoned greeting was tried %d times, want 3 (YOL_SEND_ATTEMPTS)", tries)
	}
	pool := pgtestPool(t, url)
	var dead, failures int
	var reason string
	err := pool.QueryRow(context.Background(), `SELECT count(*), coalesce(max(failures), 0), coalesce(max(last_error), '')
		FROM outbox WHERE dead_at IS NOT NULL`).Scan(&dead, &failures, &reason)
	if err != nil {
		t.Fatal(err)
	}
	if dead != 1 || failures != 3 || !strings.HasPrefix(reason, "500") {
		t.Errorf("dead letters: %d (failures %d, reason %q); want the greeting, after 3 failures of 500", dead, failures, reason)
	}
	if strings.Contains(p.log.String(), greeting) {
		t.Error("the reply's text is in yol's log")
	}
	if !strings.Contains(p.log.String(), "dead letters") {
		t.Errorf("the dead letter is not in the log:\n%s", p.log)
	}
}
