package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/bot/telegram/telegramtest"
)

// buildYol compiles the yol binary once per test run.
var buildYol = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "yol-e2e-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "yol")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", &exec.ExitError{Stderr: out}
	}
	return bin, nil
})

// proc is a `yol serve` process.
type proc struct {
	cmd  *exec.Cmd
	addr chan string
	log  *syncBuffer
}

func startProc(t testing.TB, env []string) *proc {
	t.Helper()
	bin, err := buildYol()
	if err != nil {
		t.Fatalf("go build: %v", err)
	}
	p := &proc{cmd: exec.Command(bin, "serve"), addr: make(chan string, 1), log: &syncBuffer{}}
	p.cmd.Env = append(os.Environ(), env...)
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		s := bufio.NewScanner(stderr)
		for s.Scan() {
			line := s.Text()
			p.log.Write([]byte(line + "\n"))
			if strings.Contains(line, "yol is serving") {
				select {
				case p.addr <- line:
				default:
				}
			}
		}
	}()
	select {
	case <-p.addr:
	case <-time.After(60 * time.Second):
		p.cmd.Process.Kill()
		t.Fatalf("yol serve did not start: %s", p.log)
	}
	t.Cleanup(func() { p.stop() })
	return p
}

func (p *proc) stop() {
	if p.cmd.ProcessState == nil {
		p.cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { p.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			p.cmd.Process.Kill()
			<-done
		}
	}
}

func (p *proc) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	p.cmd.Wait()
}

func waitUntil(t *testing.T, what string, timeout time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestTelegramEndToEnd runs the real `yol serve` process against a fake
// Bot API: one person's journey, then a load of many chats during which
// the process is killed with SIGKILL and restarted. Every update is handled
// exactly once and every chat gets its reply; a reply may be sent twice only
// when the kill falls between Telegram's answer and the outbox update.
func TestTelegramEndToEnd(t *testing.T) {
	fake := telegramtest.New(t)
	url := pgtest.URL(t)
	env := []string{"DATABASE_URL=" + url, "YOL_DATA_KEY=" + testKey(t), "YOL_HTTP_ADDR=127.0.0.1:0",
		"TELEGRAM_BOT_TOKEN=" + fake.Token, "TELEGRAM_API_URL=" + fake.APIURL(),
		"YOL_SEND_RATE=1000", "YOL_CHAT_INTERVAL=0s"}
	p := startProc(t, env)

	// One person: /start → continue in Russian → consent → menu → eligibility.
	const person = 5001
	step := func(push func() int64, wantSends int, contains string) {
		t.Helper()
		before := len(fake.Sent(person))
		push()
		waitUntil(t, "a reply containing "+contains, 20*time.Second, func() bool {
			for _, c := range fake.Sent(person)[before:] {
				if strings.Contains(c.Text(), contains) {
					return true
				}
			}
			return false
		})
	}
	step(func() int64 {
		return fake.Push(map[string]any{"message": map[string]any{"message_id": 1, "date": time.Now().Unix(),
			"chat": map[string]any{"id": person, "type": "private"}, "from": map[string]any{"id": person, "is_bot": false, "first_name": "A", "language_code": "ru"},
			"text": "/start"}})
	}, 1, "Продолжим")
	step(func() int64 { return fake.Button(person, "yes") }, 1, "Вы согласны?")
	step(func() int64 { return fake.Button(person, "yes") }, 1, "Что Вам нужно?")
	step(func() int64 { return fake.Button(person, "eligibility") }, 1, "паспорт")
	if n := len(fake.Calls("answerCallbackQuery")); n < 3 {
		t.Errorf("answerCallbackQuery calls = %d, want one per button press", n)
	}
	if fake.Commands("ru") == "" {
		t.Error("no Russian command menu was registered")
	}

	// A load of many chats; kill -9 in the middle.
	const chats = 150
	for i := range chats {
		fake.Text(int64(10000+i), "/start")
	}
	waitUntil(t, "some replies before the kill", 30*time.Second, func() bool { return fake.ChatsServed() > 20 })
	p.kill()
	t.Logf("killed after %d chats served", fake.ChatsServed()-1)
	p2 := startProc(t, env)
	waitUntil(t, "every chat served after the restart", 150*time.Second, func() bool { return fake.ChatsServed() == chats+1 })

	pool := pgtestPool(t, url)
	var handled int
	if err := pool.QueryRow(context.Background(), "SELECT count(*) FROM inbound_updates").Scan(&handled); err != nil {
		t.Fatal(err)
	}
	if want := chats + 4; handled != want {
		t.Errorf("updates recorded = %d, want %d (each exactly once)", handled, want)
	}
	waitUntil(t, "the outbox drained (leases of the killed process end)", 90*time.Second, func() bool {
		var pending int
		pool.QueryRow(context.Background(), "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL").Scan(&pending)
		return pending == 0
	})
	twice := 0
	for i := range chats {
		switch n := len(fake.Sent(int64(10000 + i))); {
		case n == 0:
			t.Errorf("chat %d got no reply", 10000+i)
		case n > 1:
			twice++
		}
	}
	t.Logf("chats answered twice (the documented window): %d", twice)
	// The window is the sends in flight at the kill: at most 4 × 16 workers.
	if twice > 64 {
		t.Errorf("%d chats got their reply twice; more than could be in flight at the kill", twice)
	}
	if strings.Contains(p.log.String()+p2.log.String(), fake.Token) {
		t.Error("the bot token appears in yol's logs")
	}
}
