package web_test

import (
	"context"
	"html"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/staff"
)

// The simulator shows what the phone shows (issue #17): a staff message
// arrives as a neutral line with a show button, the details after it is
// tapped; sensitive replies are marked protected; /forget clears the chat.
func TestSimulatorShowsThePhone(t *testing.T) {
	e := newEnv(t)
	pack, probs := bot.LoadPack(os.DirFS("../.."))
	if pack == nil {
		t.Fatalf("the content pack does not load: %v", probs)
	}
	e.content.Swap(pack) // the shipped pack: its journeys and texts
	e.db.Teaser = e.content.Teaser
	c := e.client()
	texts := e.content.Load().Texts

	decodeSim(t, c.postJSON("/simulator/reset", map[string]string{"lang": "ru"}))
	for _, press := range []string{"yes", "yes", "person", "baku", "yes", "telegram"} {
		decodeSim(t, c.postJSON("/simulator/send", map[string]any{"kind": "button", "data": press, "lang": "ru"}))
	}
	var id int64
	if err := e.db.Pool.QueryRow(context.Background(), "SELECT id FROM referrals").Scan(&id); err != nil {
		t.Fatalf("no referral: %v", err)
	}
	out := decodeSim(t, c.postJSON("/simulator/send", map[string]any{"kind": "text", "text": "/status", "lang": "ru"}))
	if len(out.Replies) == 0 || !out.Replies[0].Protect {
		t.Errorf("/status in the simulator: want a protected reply, got %+v", out.Replies)
	}
	if err := e.db.MessagePerson(context.Background(), staff.Scope{All: true}, id, 0, "Приходите в понедельник"); err != nil {
		t.Fatal(err)
	}
	out = decodeSim(t, c.get("/simulator/poll"))
	if len(out.Replies) != 1 || out.Replies[0].Text != texts.Text("ru", "phone.notice_teaser", nil, nil) || len(out.Replies[0].Buttons) != 1 {
		t.Fatalf("poll: want the neutral line in Russian with a show button, got %+v", out.Replies)
	}
	show := out.Replies[0].Buttons[0][0]
	if show.Label != texts.Text("ru", "phone.notice_show", nil, nil) {
		t.Errorf("show button %q, want the Russian label", show.Label)
	}
	out = decodeSim(t, c.postJSON("/simulator/send", map[string]any{"kind": "button", "data": show.Data, "lang": "ru"}))
	if got := allText(out.Replies); !strings.Contains(got, "Приходите в понедельник") {
		t.Errorf("after show: got %q, want the staff message", got)
	}
	decodeSim(t, c.postJSON("/simulator/send", map[string]any{"kind": "text", "text": "/forget", "lang": "ru"}))
	out = decodeSim(t, c.postJSON("/simulator/send", map[string]any{"kind": "button", "data": "yes", "lang": "ru"}))
	if len(out.Replies) == 0 || !out.Replies[0].ClearChat {
		t.Errorf("/forget in the simulator: want the chat cleared, got %+v", out.Replies)
	}
	// The note the withdrawal left on the case reads in the staff member's language.
	e.staffAccount("boss", staff.RoleAdmin, "az")
	page := html.UnescapeString(e.signIn("boss").get("/console/cases/" + strconv.FormatInt(id, 10)).body)
	if !strings.Contains(page, texts.Text("az", "console.case.note_withdrawn", nil, nil)) || strings.Contains(page, staff.WithdrawnNote) {
		t.Errorf("the withdrawal's note is not in Azerbaijani")
	}
}
