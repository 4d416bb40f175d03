package web_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/yol-project/yol/bot/web"
)

// serveWithLimits serves e's handler through web.NewHTTPServer with limits l
// and returns its address.
func serveWithLimits(t *testing.T, e *env, l web.HTTPLimits) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := web.NewHTTPServer(e.srv.Handler(), l)
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	return ln.Addr().String()
}

// dribble writes s to conn one byte every gap until the server closes the
// connection or s ends; it returns how many bytes went out and when the
// server's answer (or its closing) arrived.
func dribble(t *testing.T, conn net.Conn, s string, gap time.Duration) (sent int, closedAfter time.Duration) {
	t.Helper()
	start := time.Now()
	done := make(chan struct{})
	go func() {
		defer close(done)
		io.Copy(io.Discard, conn) // returns when the server closes
	}()
	for sent < len(s) {
		select {
		case <-done:
			return sent, time.Since(start)
		case <-time.After(gap):
		}
		if _, err := conn.Write([]byte{s[sent]}); err != nil {
			break
		}
		sent++
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("the server kept the connection open 10 s after the request ended")
	}
	return sent, time.Since(start)
}

// TestSlowClientsAreCutOff: a body or headers sent a byte at a time, or an
// idle kept-alive connection, are cut off within their limit, while
// normal requests go on being answered; oversized headers get 431.
func TestSlowClientsAreCutOff(t *testing.T) {
	e := newEnv(t)
	l := web.HTTPLimits{ReadHeader: 500 * time.Millisecond, Read: time.Second, Write: 2 * time.Second, Idle: time.Second, MaxHeaderBytes: 8 << 10}
	addr := serveWithLimits(t, e, l)
	normal := func() error {
		res, err := http.Get("http://" + addr + "/healthz")
		if err != nil {
			return fmt.Errorf("a normal request: %w", err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			return fmt.Errorf("a normal request: got %d, want 200", res.StatusCode)
		}
		return nil
	}

	body := strings.Repeat("x", 200)
	for _, tc := range []struct {
		name  string
		head  string // sent at once
		slow  string // sent a byte every 50 ms
		limit time.Duration
	}{
		{"slow body", "POST /simulator/send HTTP/1.1\r\nHost: x\r\nSec-Fetch-Site: same-origin\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 205\r\n\r\n",
			"text=" + body, l.Read},
		{"slow headers", "GET /healthz HTTP/1.1\r\nHost: x\r\n", "X-Slow: " + body + "\r\n\r\n", l.ReadHeader},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := io.WriteString(conn, tc.head); err != nil {
				t.Fatal(err)
			}
			meanwhile := make(chan error, 1)
			go func() { meanwhile <- normal() }() // others are served meanwhile
			sent, after := dribble(t, conn, tc.slow, 50*time.Millisecond)
			if err := <-meanwhile; err != nil {
				t.Error(err)
			}
			if sent == len(tc.slow) {
				t.Errorf("the whole request went through in %v (limit %v)", after, tc.limit)
			}
			if after > tc.limit+time.Second {
				t.Errorf("cut off after %v, want within %v", after, tc.limit)
			}
			if err := normal(); err != nil {
				t.Error(err)
			}
		})
	}

	t.Run("idle connection", func(t *testing.T) {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("first request: %v %v", res, err)
		}
		res.Body.Close()
		start := time.Now()
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		if _, err := conn.Read(make([]byte, 1)); err != io.EOF {
			t.Errorf("idle connection: got %v, want the server to close it", err)
		}
		if after := time.Since(start); after > l.Idle+time.Second {
			t.Errorf("idle connection closed after %v, want within %v", after, l.Idle)
		}
	})

	t.Run("large headers", func(t *testing.T) {
		req, _ := http.NewRequest("GET", "http://"+addr+"/healthz", nil)
		req.Header.Set("X-Big", strings.Repeat("y", 16<<10))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("16 KiB of headers: got %d, want 431", res.StatusCode)
		}
		if err := normal(); err != nil {
			t.Error(err)
		}
	})
}

// TestDefaultHTTPLimits: yol serve's servers have every limit, each longer
// than what a normal request needs and the whole request at least as long
// as its headers.
func TestDefaultHTTPLimits(t *testing.T) {
	l := web.DefaultHTTPLimits
	hs := web.NewHTTPServer(http.NotFoundHandler(), l)
	for name, got := range map[string]time.Duration{"ReadHeaderTimeout": hs.ReadHeaderTimeout, "ReadTimeout": hs.ReadTimeout,
		"WriteTimeout": hs.WriteTimeout, "IdleTimeout": hs.IdleTimeout} {
		if got < 5*time.Second || got > 5*time.Minute {
			t.Errorf("%s = %v, want between 5 s and 5 min", name, got)
		}
	}
	if hs.ReadTimeout < hs.ReadHeaderTimeout {
		t.Errorf("ReadTimeout %v < ReadHeaderTimeout %v", hs.ReadTimeout, hs.ReadHeaderTimeout)
	}
	if hs.WriteTimeout < 30*time.Second {
		t.Errorf("WriteTimeout %v leaves too little for a simulator message that asks the model (15 s)", hs.WriteTimeout)
	}
	if hs.MaxHeaderBytes < 8<<10 || hs.MaxHeaderBytes > 1<<20 {
		t.Errorf("MaxHeaderBytes = %d, want between 8 KiB and the default 1 MiB", hs.MaxHeaderBytes)
	}
}
