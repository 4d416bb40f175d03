package main

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/bot/telegram/telegramtest"
)

// A status change staff make in the console reaches the person's phone
// discreetly (issue #17): a neutral first line with a "show" button, in
// the person's language and without the code or the status; the details,
// protected from forwarding, only once the person taps "show"; a second
// tap says the message was shown already.
func TestDiscreetStatusNotice(t *testing.T) {
	fake := telegramtest.New(t)
	const person = 987123457
	r := startServe(t, map[string]string{"DATABASE_URL": pgtest.URL(t), "YOL_DATA_KEY": testKey(t),
		"TELEGRAM_BOT_TOKEN": fake.Token, "TELEGRAM_API_URL": fake.APIURL(),
		"YOL_SEND_RATE": "1000", "YOL_CHAT_INTERVAL": "0s", "YOL_REMINDER_INTERVAL": "1h"})
	sent := func(chat int64, want string) []telegramtest.Call {
		var out []telegramtest.Call
		for _, c := range fake.Sent(chat) {
			if strings.Contains(c.Text(), want) {
				out = append(out, c)
			}
		}
		return out
	}
	said := func(want string) telegramtest.Call {
		t.Helper()
		waitUntil(t, "a message with "+want, 20*time.Second, func() bool { return len(sent(person, want)) > 0 })
		got := sent(person, want)
		return got[len(got)-1]
	}
	fake.Text(person, "/start")
	said("Shall we continue in English?")
	for _, press := range []struct{ data, then string }{
		{"yes", "Do you agree?"}, {"yes", "What do you need?"}, {"person", "Where are you?"},
		{"baku", "Send your summary to"}, {"yes", "How should the staff contact you?"}, {"telegram", "Your reference code is"},
	} {
		fake.Button(person, press.data)
		said(press.then)
	}
	code := regexp.MustCompile(`[2-9A-HJ-NP-Z]{3}-[2-9A-HJ-NP-Z]{4}`).FindString(said("Your reference code is").Text())
	if code == "" {
		t.Fatal("no reference code in the reply")
	}

	post, cases := adminOnFirstCase(t, r)
	post(cases+"/status", url.Values{"status": {"claimed"}})

	teaser := said("You have a new message in Yol.")
	if strings.Contains(teaser.Text(), code) || len(sent(person, "News about your request")) > 0 {
		t.Fatalf("the first line a lock screen shows gives the notice away: %q", teaser.Text())
	}
	show := regexp.MustCompile(`"callback_data":"(!show:\d+)"`).FindStringSubmatch(teaser.Params.Get("reply_markup"))
	if show == nil {
		t.Fatalf("the neutral line has no show button: %s", teaser.Params.Get("reply_markup"))
	}
	time.Sleep(300 * time.Millisecond)
	if n := len(sent(person, "News about your request")); n != 0 {
		t.Fatalf("the details arrived before show was tapped (%d messages)", n)
	}
	fake.Button(person, show[1])
	details := said("News about your request " + code)
	if details.Params.Get("protect_content") != "true" {
		t.Errorf("the details of a status notice are not protected: %v", details.Params)
	}
	fake.Button(person, show[1])
	said("This message was shown already, or it is no longer kept.")
	if n := len(sent(person, "News about your request")); n != 1 {
		t.Errorf("the details were sent %d times, want once", n)
	}
}
