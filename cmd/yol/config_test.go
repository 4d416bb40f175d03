package main

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
)

func loadWith(env map[string]string, files map[string]string) (Config, []error) {
	return LoadConfig(func(k string) string { return env[k] }, func(p string) ([]byte, error) {
		if v, ok := files[p]; ok {
			return []byte(v), nil
		}
		return nil, &os.PathError{Op: "open", Path: p, Err: errors.New("no such file")}
	})
}

func TestConfigDefaults(t *testing.T) {
	c, errs := loadWith(nil, nil)
	if len(errs) != 0 {
		t.Fatalf("errors with an empty environment: %v", errs)
	}
	if got, want := c.HTTPAddr, "127.0.0.1:8080"; got != want {
		t.Errorf("HTTPAddr = %q, want %q", got, want)
	}
	if got, want := c.DataDir, ".yol"; got != want {
		t.Errorf("DataDir = %q, want %q", got, want)
	}
	if got, want := c.TelegramAPIURL, "https://api.telegram.org"; got != want {
		t.Errorf("TelegramAPIURL = %q, want %q", got, want)
	}
	if c.LLMEnabled() {
		t.Error("LLMEnabled with no key and no base URL")
	}
}

func TestConfigErrorsNamed(t *testing.T) {
	const token = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"bad addr", map[string]string{"YOL_HTTP_ADDR": "8080"}, "YOL_HTTP_ADDR"},
		{"bad db url", map[string]string{"DATABASE_URL": "mysql://x"}, "DATABASE_URL"},
		{"bad key", map[string]string{"YOL_DATA_KEY": "k1:short"}, "YOL_DATA_KEY"},
		{"bad token", map[string]string{"TELEGRAM_BOT_TOKEN": "nope"}, "TELEGRAM_BOT_TOKEN"},
		{"http webhook", map[string]string{"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_WEBHOOK_URL": "http://x.example/hook", "TELEGRAM_WEBHOOK_SECRET": "s"}, "must be an https URL"},
		{"webhook without secret", map[string]string{"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_WEBHOOK_URL": "https://x.example/hook"}, "TELEGRAM_WEBHOOK_SECRET: required"},
		{"bad secret", map[string]string{"TELEGRAM_WEBHOOK_SECRET": "has space"}, "TELEGRAM_WEBHOOK_SECRET"},
		{"bad api url", map[string]string{"TELEGRAM_API_URL": "ftp://x"}, "TELEGRAM_API_URL"},
		{"bad staff chat", map[string]string{"TELEGRAM_STAFF_CHAT_ID": "abc"}, "TELEGRAM_STAFF_CHAT_ID"},
		{"bad content dir", map[string]string{"YOL_CONTENT_DIR": "/does/not/exist"}, "YOL_CONTENT_DIR"},
		{"bad openai url", map[string]string{"OPENAI_BASE_URL": "localhost:11434"}, "OPENAI_BASE_URL"},
		{"bad rate", map[string]string{"YOL_SEND_RATE": "-1"}, "YOL_SEND_RATE"},
		{"bad stale age", map[string]string{"YOL_STALE_DAYS": "0"}, "YOL_STALE_DAYS"},
		{"bad simulator mode", map[string]string{"YOL_SIMULATOR": "public"}, "YOL_SIMULATOR"},
		{"bad proxy", map[string]string{"YOL_TRUSTED_PROXIES": "10.0.0.1, proxy.example"}, "YOL_TRUSTED_PROXIES"},
		{"bad metrics addr", map[string]string{"YOL_METRICS_ADDR": "9100"}, "YOL_METRICS_ADDR"},
		{"metrics on the console's addr", map[string]string{"YOL_HTTP_ADDR": "127.0.0.1:8080", "YOL_METRICS_ADDR": "127.0.0.1:8080"}, "address of its own"},
		{"short metrics token", map[string]string{"YOL_METRICS_TOKEN": "short"}, "YOL_METRICS_TOKEN"},
		{"metrics token with a space", map[string]string{"YOL_METRICS_TOKEN": "a long enough token with spaces"}, "YOL_METRICS_TOKEN"},
		{"both file and value", map[string]string{"OPENAI_API_KEY": "a", "OPENAI_API_KEY_FILE": "/k"}, "both set"},
		{"unreadable file", map[string]string{"TELEGRAM_BOT_TOKEN_FILE": "/missing"}, "TELEGRAM_BOT_TOKEN_FILE: cannot read /missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := loadWith(tt.env, nil)
			if len(errs) != 1 {
				t.Fatalf("got %d errors %v, want exactly 1 mentioning %q", len(errs), errs, tt.want)
			}
			if !strings.Contains(errs[0].Error(), tt.want) {
				t.Errorf("error %q does not mention %q", errs[0], tt.want)
			}
			for k, v := range tt.env {
				if !strings.HasSuffix(k, "_FILE") && (strings.Contains(k, "TOKEN") || strings.Contains(k, "KEY") || strings.Contains(k, "SECRET")) && len(v) > 3 && strings.Contains(errs[0].Error(), v) {
					t.Errorf("error %q repeats the secret value of %s", errs[0], k)
				}
			}
		})
	}
}

func TestConfigManyProblemsAtOnce(t *testing.T) {
	_, errs := loadWith(map[string]string{"YOL_HTTP_ADDR": "x", "TELEGRAM_BOT_TOKEN": "y", "YOL_SEND_RATE": "z"}, nil)
	if got, want := len(errs), 3; got != want {
		t.Errorf("got %d errors, want %d (one per problem): %v", got, want, errs)
	}
}

func TestConfigSecretFiles(t *testing.T) {
	c, errs := loadWith(map[string]string{
		"TELEGRAM_BOT_TOKEN_FILE": "/run/secrets/token",
		"OPENAI_API_KEY_FILE":     "/run/secrets/openai",
	}, map[string]string{
		"/run/secrets/token":  "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ\n",
		"/run/secrets/openai": "sk-test\n",
	})
	if len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
	if got, want := c.TelegramToken, "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ"; got != want {
		t.Errorf("TelegramToken = %q, want %q", got, want)
	}
	if !c.LLMEnabled() || c.OpenAIModel == "" {
		t.Errorf("LLM not enabled from OPENAI_API_KEY_FILE (model %q)", c.OpenAIModel)
	}
}

// TestConfigSimulatorDefault: with YOL_SIMULATOR unset, the simulator is for
// signed-in staff unless YOL_HTTP_ADDR is a loopback address; set, it wins.
func TestConfigSimulatorDefault(t *testing.T) {
	for _, tt := range []struct {
		addr, mode string
		wantStaff  bool
	}{
		{"", "", false}, // the default 127.0.0.1:8080
		{"127.0.0.1:8080", "", false},
		{"127.8.9.10:8080", "", false},
		{"[::1]:8080", "", false},
		{"localhost:8080", "", false},
		{"LocalHost:8080", "", false},
		{"0.0.0.0:8080", "", true},
		{":8080", "", true},
		{"[::]:8080", "", true},
		{"10.1.2.3:8080", "", true},
		{"yol.example.org:8080", "", true},
		{"0.0.0.0:8080", "open", false},
		{"127.0.0.1:8080", "staff", true},
	} {
		env := map[string]string{"YOL_HTTP_ADDR": tt.addr, "YOL_SIMULATOR": tt.mode}
		c, errs := loadWith(env, nil)
		if len(errs) != 0 {
			t.Fatalf("%v: errors %v", env, errs)
		}
		if c.SimulatorSignIn != tt.wantStaff {
			t.Errorf("YOL_HTTP_ADDR=%q YOL_SIMULATOR=%q: staff only = %v, want %v", tt.addr, tt.mode, c.SimulatorSignIn, tt.wantStaff)
		}
	}
}

// YOL_TRUSTED_PROXIES takes addresses and networks, comma-separated.
func TestConfigTrustedProxies(t *testing.T) {
	c, errs := loadWith(map[string]string{"YOL_TRUSTED_PROXIES": " 10.0.0.5, 10.1.0.0/16,2001:db8::/32 , ::ffff:192.0.2.1"}, nil)
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	var got []string
	for _, p := range c.TrustedProxies {
		got = append(got, p.String())
	}
	if want := []string{"10.0.0.5/32", "10.1.0.0/16", "2001:db8::/32", "192.0.2.1/32"}; !slices.Equal(got, want) {
		t.Errorf("TrustedProxies = %v, want %v", got, want)
	}
	if c, _ := loadWith(nil, nil); len(c.TrustedProxies) != 0 {
		t.Errorf("trusted proxies by default: %v", c.TrustedProxies)
	}
}

// TestConfigMetrics: /metrics has no address of its own and no token by
// default; the token is a secret that may come from a file.
func TestConfigMetrics(t *testing.T) {
	c, errs := loadWith(nil, nil)
	if len(errs) != 0 || c.MetricsAddr != "" || c.MetricsToken != "" {
		t.Fatalf("defaults: addr %q, token set %v, errors %v; want neither", c.MetricsAddr, c.MetricsToken != "", errs)
	}
	const token = "s3cret-metrics-token_0123456789"
	c, errs = loadWith(map[string]string{"YOL_METRICS_ADDR": "127.0.0.1:9100", "YOL_METRICS_TOKEN_FILE": "/run/secrets/metrics"},
		map[string]string{"/run/secrets/metrics": token + "\n"})
	if len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
	if c.MetricsAddr != "127.0.0.1:9100" || c.MetricsToken != token {
		t.Errorf("got addr %q and token from file %v, want 127.0.0.1:9100 and the file's token", c.MetricsAddr, c.MetricsToken == token)
	}
	_, errs = loadWith(map[string]string{"YOL_METRICS_TOKEN": "bad token " + token}, nil)
	if len(errs) != 1 || strings.Contains(errs[0].Error(), token) {
		t.Errorf("a bad token: got %v, want one error that does not repeat it", errs)
	}
}
