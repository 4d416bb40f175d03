package telegram

import (
	"strings"
	"testing"
	"time"

	"github.com/yol-project/yol/bot/telegram/telegramtest"
)

// protectCode is the referral code the tests of the phone's safety draw.
const protectCode = "TST-2345"

// A person's sensitive replies (the eligibility result, the document
// checklist, the referral code, the case status) reach Telegram with
// protect_content; everything else, and above all the office summary meant
// for the counter, does not.
func TestProtectContentExactlyOnSensitiveReplies(t *testing.T) {
	db := newDB(t)
	fake := telegramtest.New(t)
	svc := realService(t, db)
	svc.NewCode = func() string { return protectCode }
	start(t, fake, svc, db, nil)

	const chat = 701
	steps := []string{"/start", "yes", "yes", "eligibility", "expired", "visa_ended", "none", "working_informally",
		"none", "1to5", "no", "none", "no", "documents", "summary", "person", "baku", "yes", "telegram", "/status", "/menu"}
	for _, s := range steps {
		if strings.HasPrefix(s, "/") {
			fake.Text(chat, s)
		} else {
			fake.Button(chat, s)
		}
	}
	waitFor(t, "every update committed", 20*time.Second, func() bool {
		return count(t, db, "SELECT count(*) FROM inbound_updates") == len(steps)
	})
	waitFor(t, "every reply sent", 20*time.Second, func() bool {
		return count(t, db, "SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0
	})

	texts := content.Texts
	result := texts.Text("en", "result.not_a_decision", nil, nil)
	summary := texts.Text("en", "summary.header", nil, nil)
	kinds := []struct {
		name      string
		is        func(text string) bool
		protected bool
	}{
		{"eligibility result", func(s string) bool { return strings.Contains(s, result) }, true},
		{"document checklist", func(s string) bool { return strings.Contains(s, "⬜") }, true},
		{"referral code or status", func(s string) bool { return strings.Contains(s, protectCode) }, true},
		{"office summary", func(s string) bool { return strings.Contains(s, summary) }, false},
	}
	seen := map[string]bool{}
	sent := fake.Sent(chat)
	for _, c := range sent {
		want := false
		for _, k := range kinds {
			if k.is(c.Text()) {
				seen[k.name] = true
				want = k.protected
				break
			}
		}
		if got := c.Params.Get("protect_content") == "true"; got != want {
			t.Errorf("protect_content = %v, want %v, on %q", got, want, c.Text())
		}
	}
	for _, k := range kinds {
		if !seen[k.name] {
			t.Errorf("no %s among the %d messages sent", k.name, len(sent))
		}
	}
}
