package main

import (
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/bot/web"
)

// TestServeCutsSlowClients: `yol serve` cuts off a request body sent a byte
// a second within its read limit, answers others meanwhile, and refuses
// oversized headers.
func TestServeCutsSlowClients(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the read timeout")
	}
	r := startServe(t, map[string]string{"DATABASE_URL": pgtest.URL(t), "YOL_DATA_KEY": testKey(t)})
	conn, err := net.Dial("tcp", r.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "POST /simulator/send HTTP/1.1\r\nHost: x\r\nSec-Fetch-Site: same-origin\r\n"+
		"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n")
	closed := make(chan struct{})
	go func() { io.Copy(io.Discard, conn); close(closed) }()
	start := time.Now()
	limit := web.DefaultHTTPLimits.Read
	sent := 0
	for cut := false; !cut; {
		select {
		case <-closed:
			cut = true
		case <-time.After(time.Second):
			if _, err := conn.Write([]byte("x")); err != nil {
				cut = true
			}
			sent++
			if code, _ := get(t, "http://"+r.addr+"/healthz"); code != http.StatusOK {
				t.Fatalf("a normal request while a slow one is open: got %d", code)
			}
			if time.Since(start) > limit+5*time.Second {
				t.Fatalf("a body sent a byte a second is still open after %v (%d bytes; the read limit is %v)", time.Since(start), sent, limit)
			}
		}
	}
	if after := time.Since(start); after < limit-2*time.Second {
		t.Errorf("cut off after %v, before the read limit %v", after, limit)
	}

	req, _ := http.NewRequest("GET", "http://"+r.addr+"/healthz", nil)
	req.Header.Set("X-Big", strings.Repeat("y", 100<<10))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("100 KiB of headers: got %d, want 431", res.StatusCode)
	}
}

// TestServeMetricsIsPrivate: /metrics is not on the console's address by
// default; YOL_METRICS_ADDR serves it on an address of its own,
// YOL_METRICS_TOKEN behind a bearer token; /healthz and /readyz stay on
// YOL_HTTP_ADDR in every mode.
func TestServeMetricsIsPrivate(t *testing.T) {
	const token = "metrics-token-0123456789abcdef"
	const series = "yol_updates_duplicate_total"
	for _, tc := range []struct {
		name        string
		env         map[string]string
		onConsole   int  // the code of /metrics on YOL_HTTP_ADDR without a token
		withToken   int  // and with the token
		ownAddr     bool // served on YOL_METRICS_ADDR
		ownNeedsTok bool
	}{
		{"default", map[string]string{}, 404, 404, false, false},
		{"own address", map[string]string{"YOL_METRICS_ADDR": "127.0.0.1:0"}, 404, 404, true, false},
		{"token", map[string]string{"YOL_METRICS_TOKEN": token}, 401, 200, false, false},
		{"own address and token", map[string]string{"YOL_METRICS_ADDR": "127.0.0.1:0", "YOL_METRICS_TOKEN": token}, 404, 404, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.env["DATABASE_URL"], tc.env["YOL_DATA_KEY"] = pgtest.URL(t), testKey(t)
			r := startServe(t, tc.env)
			base := "http://" + r.addr
			for _, p := range []string{"/healthz", "/readyz"} {
				if code, _ := get(t, base+p); code != http.StatusOK {
					t.Errorf("GET %s on YOL_HTTP_ADDR = %d, want 200", p, code)
				}
			}
			if code, body := metricsGet(t, base, ""); code != tc.onConsole || strings.Contains(body, series) {
				t.Errorf("GET /metrics on YOL_HTTP_ADDR without a token = %d (series shown: %v), want %d without them",
					code, strings.Contains(body, series), tc.onConsole)
			}
			if code, body := metricsGet(t, base, token); code != tc.withToken || (code == 200) != strings.Contains(body, series) {
				t.Errorf("GET /metrics on YOL_HTTP_ADDR with the token = %d, want %d", code, tc.withToken)
			}
			m := regexp.MustCompile(`"metrics":"(http://[^"]+)/metrics"`).FindStringSubmatch(r.stderr.String())
			if !tc.ownAddr {
				if m != nil {
					t.Errorf("metrics served on %s without YOL_METRICS_ADDR", m[1])
				}
				return
			}
			if m == nil {
				t.Fatalf("the log does not say where metrics are served:\n%s", r.stderr)
			}
			want := 200
			if tc.ownNeedsTok {
				want = 401
			}
			if code, _ := metricsGet(t, m[1], ""); code != want {
				t.Errorf("GET /metrics on YOL_METRICS_ADDR without a token = %d, want %d", code, want)
			}
			if code, body := metricsGet(t, m[1], token); code != 200 || !strings.Contains(body, series) {
				t.Errorf("GET /metrics on YOL_METRICS_ADDR with the token = %d, want 200 with the series", code)
			}
			if code, _ := get(t, m[1]+"/healthz"); code != http.StatusNotFound {
				t.Errorf("GET /healthz on YOL_METRICS_ADDR = %d, want 404 (only /metrics is there)", code)
			}
		})
	}
}

func metricsGet(t *testing.T, base, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/metrics", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s/metrics: %v", base, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}
