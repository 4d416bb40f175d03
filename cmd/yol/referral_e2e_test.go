package main

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/bot/telegram/telegramtest"
)

// TestReferralJourneyEndToEnd: a person asks for a human through Telegram,
// the staff chat is told, the first admin (whose password yol prints once)
// signs in, sets an appointment and works the case to "regularized"; the
// person gets every notice and the reminder the day before.
func TestReferralJourneyEndToEnd(t *testing.T) {
	fake := telegramtest.New(t)
	const person, staffChat = 987123456, -100777
	r := startServe(t, map[string]string{"DATABASE_URL": pgtest.URL(t), "YOL_DATA_KEY": testKey(t),
		"TELEGRAM_BOT_TOKEN": fake.Token, "TELEGRAM_API_URL": fake.APIURL(), "TELEGRAM_STAFF_CHAT_ID": "-100777",
		"YOL_SEND_RATE": "1000", "YOL_CHAT_INTERVAL": "0s", "YOL_REMINDER_INTERVAL": "200ms",
		"YOL_PUBLIC_URL": "https://console.example"})

	said := func(chat int64, want string) {
		t.Helper()
		waitUntil(t, "a message to "+want, 20*time.Second, func() bool {
			for _, c := range fake.Sent(chat) {
				if strings.Contains(c.Text(), want) {
					return true
				}
			}
			return false
		})
	}
	fake.Text(person, "/start")
	said(person, "Shall we continue in English?")
	for _, press := range []struct{ data, then string }{
		{"yes", "Do you agree?"}, {"yes", "What do you need?"}, {"person", "Where are you?"},
		{"baku", "Send your summary to"}, {"yes", "How should the staff contact you?"}, {"telegram", "Your reference code is"},
	} {
		fake.Button(person, press.data)
		said(person, press.then)
	}
	// This person turns discreet notices off (/settings): every notice
	// below arrives whole (phone_e2e_test.go sees a discreet one).
	fake.Text(person, "/settings")
	said(person, "Discreet notices are on.")
	fake.Button(person, "turn_off")
	said(person, "Done: notices now show their details at once")
	said(staffChat, "Yeni müraciət") // in the staff chat's language, Azerbaijani (knowledge/settings.yaml)
	for _, c := range fake.Sent(staffChat) {
		if !strings.Contains(c.Text(), "https://console.example/console/cases/") {
			t.Errorf("staff notice has no link to the case: %q", c.Text())
		}
	}

	// The first admin's password, printed once.
	post, cases := adminOnFirstCase(t, r)

	post(cases+"/status", url.Values{"status": {"claimed"}})
	tomorrow := time.Now().In(time.FixedZone("Baku", 4*3600)).Add(20 * time.Hour)
	post(cases+"/appointment", url.Values{"date": {tomorrow.Format("2006-01-02")}, "time": {tomorrow.Format("15:04")}, "place": {"Baku regional department"}})
	said(person, "Your appointment for request")
	said(person, "Reminder: your appointment")
	post(cases+"/message", url.Values{"text": {"Please bring your passport copy."}})
	said(person, "Please bring your passport copy.")
	for _, st := range []string{"appointment", "submitted", "regularized"} {
		post(cases+"/status", url.Values{"status": {st}})
	}
	said(person, "News about your request")
	// No log line holds what the person or staff wrote, or the person's Telegram id.
	for _, secret := range []string{"987123456", "Please bring your passport copy."} {
		if strings.Contains(r.stderr.String(), secret) {
			t.Errorf("yol's log contains %q", secret)
		}
	}
	waitUntil(t, "the regularized notice", 20*time.Second, func() bool {
		n := 0
		for _, c := range fake.Sent(person) {
			if strings.Contains(c.Text(), "News about your request") {
				n++
			}
		}
		return n >= 4 // claimed, appointment, submitted, regularized
	})
}
