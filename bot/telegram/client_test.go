package telegram

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/telegram/telegramtest"
)

// No error of a call holds the token, whatever went wrong.
func TestTokenNeverInErrors(t *testing.T) {
	fake := telegramtest.New(t)
	// A server that hangs up, and a port where nothing listens.
	hangup := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
	}))
	defer hangup.Close()
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := "http://" + l.Addr().String()
	l.Close()

	tests := []struct {
		name   string
		url    string
		fault  *telegramtest.Fault
		ctxTTL time.Duration
		code   int // APIError code wanted; 0: a NetError
	}{
		{"connection refused", closed, nil, 0, 0},
		{"connection reset", hangup.URL, nil, 0, 0},
		{"timeout", fake.APIURL(), &telegramtest.Fault{Method: "sendMessage", Times: 1, Delay: 2 * time.Second}, 200 * time.Millisecond, 0},
		{"malformed", fake.APIURL(), &telegramtest.Fault{Method: "sendMessage", Times: 1, Malformed: true}, 0, 0},
		{"500", fake.APIURL(), &telegramtest.Fault{Method: "sendMessage", Times: 1, Code: 500}, 0, 500},
		{"429", fake.APIURL(), &telegramtest.Fault{Method: "sendMessage", Times: 1, Code: 429, RetryAfter: 3}, 0, 429},
		{"wrong token path", fake.APIURL() + "/other", nil, 0, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.fault != nil {
				fake.Fail(*tt.fault)
			}
			a := newAPI(telegramtest.Token, tt.url, &http.Client{})
			ctx := context.Background()
			timeout := 5 * time.Second
			if tt.ctxTTL > 0 {
				timeout = tt.ctxTTL
			}
			_, err := a.call(ctx, "sendMessage", map[string]string{"chat_id": "1", "text": "secret words"}, timeout)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if strings.Contains(msg, telegramtest.Token) || strings.Contains(msg, "AAFakeTokenSecretPart") {
				t.Errorf("error holds the token: %s", msg)
			}
			if strings.Contains(msg, "secret words") {
				t.Errorf("error holds the message: %s", msg)
			}
			var ae *APIError
			var ne *NetError
			switch {
			case tt.code != 0 && errors.As(err, &ae):
				if ae.Code != tt.code {
					t.Errorf("code: got %d, want %d", ae.Code, tt.code)
				}
				if tt.code == 429 && ae.RetryAfter != 3 {
					t.Errorf("retry_after: got %d, want 3", ae.RetryAfter)
				}
			case tt.code == 0 && errors.As(err, &ne):
			default:
				t.Errorf("error type %T (%v), want code %d", err, err, tt.code)
			}
		})
	}
}

// The token is kept out of logs even when everything fails: getUpdates
// against a dead server, sends that time out.
func TestTokenNeverInLogs(t *testing.T) {
	db := newDB(t)
	fake := telegramtest.New(t)
	fake.Fail(telegramtest.Fault{Method: "getUpdates", Times: 2, Malformed: true})
	fake.Fail(telegramtest.Fault{Method: "sendMessage", Times: 1, Code: 500})
	enqueue(t, db, 3, bot.Reply{Text: "x"})
	r := start(t, fake, nobody{}, db, nil)
	waitFor(t, "the reply sent", 10*time.Second, func() bool { return len(fake.Sent(3)) == 1 })
	r.stop(t) // stop checks the logs for the token
	if !strings.Contains(r.logs.String(), "malformed") {
		t.Errorf("the malformed answers were not logged:\n%s", r.logs.String())
	}
	// And a channel pointed at nothing.
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := "http://" + l.Addr().String()
	l.Close()
	r2 := start(t, fake, nobody{}, db, func(c *Config) { c.APIURL = dead })
	time.Sleep(700 * time.Millisecond)
	r2.stop(t)
	if !strings.Contains(r2.logs.String(), "getUpdates failed") {
		t.Errorf("the failure was not logged:\n%s", r2.logs.String())
	}
}
