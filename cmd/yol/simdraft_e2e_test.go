package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"strings"
	"testing"

	"github.com/yol-project/yol/bot/postgres/pgtest"
)

// TestServeSimulatorRunsADraft: against `yol serve` (content from the
// database), a draft pushed with `yol content push` that changes a Russian
// button runs in the simulator for the signed-in admin (?version=2) while
// the live simulator still shows the old button; a visitor's version is
// refused.
func TestServeSimulatorRunsADraft(t *testing.T) {
	env := map[string]string{"DATABASE_URL": pgtest.URL(t), "YOL_DATA_KEY": testKey(t), "USER": "nigar"}
	r := startServe(t, env)
	dir := copyPack(t)
	rewrite(t, dir, "locales/dialogs.ru.yaml", func(s string) string {
		return strings.Replace(s, `onboarding.continue_yes: "Да, продолжить"`, `onboarding.continue_yes: "Да, продолжить (черновик)"`, 1)
	})
	var out, errOut bytes.Buffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return env[k] }, ReadFile: os.ReadFile}
	if code := m.Run(context.Background(), []string{"content", "push", dir}); code != 0 || !strings.Contains(out.String(), "draft version 2") {
		t.Fatalf("push = %d %s %s", code, out.String(), errOut.String())
	}

	base := "http://" + r.addr
	do := func(hc *http.Client, path, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("POST", base+path, strings.NewReader(body))
		if strings.HasPrefix(body, "{") {
			req.Header.Set("Content-Type", "application/json")
		} else {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.Header.Set("Origin", base)
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	admin, _ := firstAdmin(t, r)
	for _, tc := range []struct {
		path, want, not string
	}{
		{"/simulator/reset?version=2", "Да, продолжить (черновик)", ""},
		{"/simulator/reset", "Да, продолжить", "черновик"},
	} {
		code, body := do(admin, tc.path, `{"lang":"ru"}`)
		if code != http.StatusOK || !strings.Contains(body, tc.want) || (tc.not != "" && strings.Contains(body, tc.not)) {
			t.Errorf("%s = %d, want %q (and not %q): %.500s", tc.path, code, tc.want, tc.not, body)
		}
	}
	visitorJar, _ := cookiejar.New(nil)
	if code, body := do(&http.Client{Jar: visitorJar}, "/simulator/reset?version=2", `{"lang":"ru"}`); code != http.StatusForbidden || !strings.Contains(body, "content role") {
		t.Errorf("a visitor's version = %d %s, want 403 with the reason", code, body)
	}
}
