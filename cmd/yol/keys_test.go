package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/bot/seal"
)

func runWith(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return env[k] }}
	return m.Run(context.Background(), args), out.String(), errOut.String()
}

func TestKeysNewRotateAndPurge(t *testing.T) {
	code, out, _ := runWith(t, nil, "keys", "new", "k2")
	k2 := strings.TrimSpace(out)
	if _, err := seal.ParseKeyring(k2); code != 0 || err != nil || !strings.HasPrefix(k2, "k2:") {
		t.Fatalf("keys new = %d %q (%v)", code, out, err)
	}
	url := pgtest.URL(t)
	k1 := testKey(t)
	// A conversation sealed with the first key.
	if code, _, errOut := runWith(t, map[string]string{"DATABASE_URL": url, "YOL_DATA_KEY": k1}, "migrate"); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	code, out, errOut := runWith(t, map[string]string{"DATABASE_URL": url, "YOL_DATA_KEY": k2 + "," + k1}, "keys", "rotate")
	if code != 0 || !strings.Contains(out, `sealed with key "k2"`) {
		t.Errorf("keys rotate = %d %q %q", code, out, errOut)
	}
	code, out, errOut = runWith(t, map[string]string{"DATABASE_URL": url}, "purge")
	if code != 0 || !strings.Contains(out, "messages deleted: 0") || !strings.Contains(errOut, "retention purge") {
		t.Errorf("purge = %d %q %q", code, out, errOut)
	}
}
