package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/staff"
)

// referTelegram asks for a person with the real pack and sends the case
// (contact through Telegram), and returns the replies of the last step.
func referTelegram(h *harness) bot.Result {
	h.send(bot.Inbound{Chat: tg, Kind: bot.InButton, Data: "person"})
	h.send(bot.Inbound{Chat: tg, Kind: bot.InButton, Data: "baku"})
	h.send(bot.Inbound{Chat: tg, Kind: bot.InButton, Data: "yes"})
	return h.send(bot.Inbound{Chat: tg, Kind: bot.InButton, Data: "telegram"})
}

// setAppointment gives the newest referral an appointment at place, as
// staff do in the console.
func setAppointment(t *testing.T, h *harness, place string) {
	t.Helper()
	ctx := context.Background()
	var id int64
	if err := h.db.Pool.QueryRow(ctx, "SELECT id FROM referrals ORDER BY id DESC LIMIT 1").Scan(&id); err != nil {
		t.Fatal(err)
	}
	if err := h.db.SetAppointment(ctx, staff.Scope{All: true}, id, 0, time.Now().Add(48*time.Hour), place, nil); err != nil {
		t.Fatal(err)
	}
}

// A person who asks for a person again while their request is open gets
// its code, in their language, and no second referral is made.
func TestSecondReferralRequestGetsTheOpenCode(t *testing.T) {
	h := realHarness(t)
	h.send(bot.Inbound{Chat: tg, LangHint: "en", Kind: bot.InCommand, Command: "start"})
	h.send(bot.Inbound{Chat: tg, Kind: bot.InButton, Data: "yes"}) // English
	h.send(bot.Inbound{Chat: tg, Kind: bot.InButton, Data: "yes"}) // consent
	res := referTelegram(h)
	got := allText(res.Replies)
	i := strings.Index(got, "reference code is ")
	if i < 0 {
		t.Fatalf("first request: %q, want a code", got)
	}
	code := strings.TrimSuffix(strings.Fields(got[i+len("reference code is "):])[0], ".")

	for _, in := range []bot.Inbound{
		{Chat: tg, Kind: bot.InCommand, Command: "person"},
		{Chat: tg, Kind: bot.InCommand, Command: "menu"},
		{Chat: tg, Kind: bot.InButton, Data: "person"},
	} {
		res = h.send(in)
		if in.Kind == bot.InCommand && in.Command == "menu" {
			continue
		}
		got = allText(res.Replies)
		if !strings.Contains(got, "You already have an open request") || !strings.Contains(got, code) {
			t.Errorf("%+v: %q, want the open request's code %s", in, got, code)
		}
	}
	if n := h.count("SELECT count(*) FROM referrals"); n != 1 {
		t.Errorf("%d referrals, want 1", n)
	}
	if len(h.errs) > 0 {
		t.Errorf("content errors: %v", h.errs)
	}
}
