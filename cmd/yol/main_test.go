package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/bot/seal"
)

// syncBuffer is a bytes.Buffer safe for the logger and the test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// running is a `yol serve` started through Main, as main() starts it.
type running struct {
	addr   string
	cancel context.CancelFunc
	done   chan int
	stderr *syncBuffer
}

func testKey(t testing.TB) string {
	t.Helper()
	k, err := seal.GenerateKey("t1")
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func startServe(t *testing.T, env map[string]string) *running {
	t.Helper()
	if env["YOL_HTTP_ADDR"] == "" {
		env["YOL_HTTP_ADDR"] = "127.0.0.1:0"
	}
	ready := make(chan string, 1)
	r := &running{done: make(chan int, 1), stderr: &syncBuffer{}}
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: r.stderr,
		Getenv: func(k string) string { return env[k] }, ReadFile: os.ReadFile, Ready: ready}
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() { r.done <- m.Run(ctx, []string{"serve"}) }()
	select {
	case r.addr = <-ready:
	case code := <-r.done:
		cancel()
		t.Fatalf("serve exited with %d before listening: %s", code, r.stderr)
	case <-time.After(60 * time.Second):
		cancel()
		t.Fatalf("serve did not listen within 60s: %s", r.stderr)
	}
	t.Cleanup(func() { r.stop(t) })
	return r
}

func (r *running) stop(t *testing.T) int {
	t.Helper()
	r.cancel()
	select {
	case code := <-r.done:
		r.done <- code // let a second stop see it
		return code
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not stop within 30s")
		return -1
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestServeHealthReadyMetricsAndShutdown(t *testing.T) {
	r := startServe(t, map[string]string{"DATABASE_URL": pgtest.URL(t), "YOL_DATA_KEY": testKey(t)})
	for path, want := range map[string]string{"/healthz": "ok", "/readyz": "ready"} { // /metrics: TestServeMetricsIsPrivate
		code, body := get(t, "http://"+r.addr+path)
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("GET %s = %d %q, want 200 containing %q", path, code, body[:min(len(body), 200)], want)
		}
	}
	if code := r.stop(t); code != 0 {
		t.Errorf("serve exit code = %d, want 0; log: %s", code, r.stderr)
	}
	if _, err := http.Get("http://" + r.addr + "/healthz"); err == nil {
		t.Error("still serving after shutdown")
	}
}

func TestServeRefusesNewerSchema(t *testing.T) {
	url := pgtest.URL(t)
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &syncBuffer{}, ReadFile: os.ReadFile}
	// Record a migration from the future in this database.
	pool := pgtestPool(t, url)
	if _, err := pool.Exec(context.Background(), "INSERT INTO schema_migrations (version, name, checksum) VALUES (999, 'future', 'x')"); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"DATABASE_URL": url, "YOL_DATA_KEY": testKey(t), "YOL_HTTP_ADDR": "127.0.0.1:0"}
	m.Getenv = func(k string) string { return env[k] }
	code := m.Run(context.Background(), []string{"serve"})
	if code != 1 {
		t.Errorf("exit code = %d, want 1", code)
	}
	if log := m.Stderr.(*syncBuffer).String(); !strings.Contains(log, "newer than this yol") {
		t.Errorf("log does not say the schema is newer: %s", log)
	}
}

// TestServeEmbeddedDefault is README's run command: no DATABASE_URL, no key.
func TestServeEmbeddedDefault(t *testing.T) {
	dataDir := pgtest.DataDir(t)
	start := time.Now()
	r := startServe(t, map[string]string{"YOL_DATA_DIR": dataDir})
	code, _ := get(t, "http://"+r.addr+"/healthz")
	if code != 200 {
		t.Fatalf("/healthz = %d", code)
	}
	t.Logf("healthy %v after start (private cluster created)", time.Since(start).Round(time.Millisecond))
	fi, err := os.Stat(filepath.Join(dataDir, "data.key"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("data.key: %v, mode %v; want a 0600 file", err, fi.Mode().Perm())
	}
	if !strings.Contains(r.stderr.String(), "generated a new data encryption key") {
		t.Error("serve did not say it generated a key")
	}
	if code := r.stop(t); code != 0 {
		t.Fatalf("exit code %d: %s", code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dataDir, "postgres", "postmaster.pid")); !os.IsNotExist(err) {
		t.Errorf("the private PostgreSQL still runs after yol stopped (postmaster.pid: %v)", err)
	}
	// The next start reuses the cluster and the key.
	r2 := startServe(t, map[string]string{"YOL_DATA_DIR": dataDir})
	if code, _ := get(t, "http://"+r2.addr+"/readyz"); code != 200 {
		t.Errorf("/readyz after restart = %d", code)
	}
	if strings.Contains(r2.stderr.String(), "generated a new data encryption key") {
		t.Error("a second start generated another key")
	}
}

func TestConfigProblemsExit2(t *testing.T) {
	stderr := &syncBuffer{}
	env := map[string]string{"YOL_HTTP_ADDR": "nope", "TELEGRAM_BOT_TOKEN": "bad"}
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: stderr, ReadFile: os.ReadFile,
		Getenv: func(k string) string { return env[k] }}
	if code := m.Run(context.Background(), []string{"serve"}); code != 2 {
		t.Errorf("exit code = %d, want 2", code)
	}
	out := stderr.String()
	for _, want := range []string{"2 problem(s)", "YOL_HTTP_ADDR", "TELEGRAM_BOT_TOKEN"} {
		if !strings.Contains(out, want) {
			t.Errorf("stderr %q does not mention %q", out, want)
		}
	}
}

func TestHelpAndUnknownCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}
	if code := m.Run(context.Background(), []string{"--help"}); code != 0 || !strings.Contains(out.String(), "serve") {
		t.Errorf("--help = %d, %q", code, out.String())
	}
	if code := m.Run(context.Background(), []string{"fly"}); code != 2 || !strings.Contains(errOut.String(), `unknown command "fly"`) {
		t.Errorf("unknown command = %d, %q", code, errOut.String())
	}
}
