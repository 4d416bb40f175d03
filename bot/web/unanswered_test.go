package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/redact"
	"github.com/yol-project/yol/bot/staff"
)

type unansweredRecorder interface {
	RecordUnanswered(ctx context.Context, c *bot.Conversation, lang, redacted string) error
}

// record stores an unanswered question of the person of chat as given (the
// Service redacts it first; a row written otherwise must not show more).
func record(t *testing.T, e *env, chat int64, lang, text string) {
	t.Helper()
	ctx := context.Background()
	err := e.db.InTx(ctx, func(tx bot.Tx) error {
		c, err := tx.Conversation(ctx, bot.Chat{Channel: bot.ChannelTelegram, ID: chat})
		if err != nil {
			return err
		}
		return tx.(unansweredRecorder).RecordUnanswered(ctx, c, lang, text)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestUnansweredPage(t *testing.T) {
	e := newEnv(t)
	for i, q := range []string{"<script>alert(1)</script> can I bring my cat?", "can I bring my cat", "Where is a SIM card shop? call +994 50 123 45 67"} {
		record(t, e, int64(i+1), "en", redact.ForEditors(q))
	}
	e.account("ed", staff.RoleEditor)
	r := e.signIn("ed").get("/console/unanswered")
	if r.code != http.StatusOK {
		t.Fatalf("editor: %d", r.code)
	}
	for _, want := range []string{"SIM card", "&lt;script&gt;"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(r.body, "<script>alert") || strings.Contains(r.body, "123 45 67") {
		t.Error("the page shows raw HTML or a phone number")
	}
	e.account("st", staff.RoleStaff, "baku_dept")
	if r := e.signIn("st").get("/console/unanswered"); r.code != http.StatusForbidden {
		t.Errorf("staff member: %d, want 403", r.code)
	}
}

// Editors read only redacted text, whatever a row holds: names, streets,
// employers and numbers, in every language.
func TestUnansweredPageShowsOnlyRedactedText(t *testing.T) {
	e := newEnv(t)
	rows := []struct{ lang, text string }{
		{"en", "My friend Farida Karimova works at Azersun and lives at 25 Nizami Street"},
		{"ru", "Меня зовут Фарида, живу на улице Низами 5, работаю в компании «Азерсун»"},
		{"az", "Adım Leyla, Azersun şirkətində işləyirəm, Nizami küçəsi 12"},
		{"tr", "Kardeşim Mehmet Yılmaz Özsüt şirketinde çalışıyor"},
		{"uz", "Akamning ismi Jasur, Nizami ko'chasi 7"},
		{"fa", "اسم من رضا است و در شرکت سپهر کار می\u200cکنم"},
		{"ar", "اسمي خالد، أعمل في شركة النور، شارع الرشيد 10"},
	}
	for i, q := range rows {
		record(t, e, int64(i+1), q.lang, q.text) // stored as typed, on purpose
	}
	e.account("ed", staff.RoleEditor)
	r := e.signIn("ed").get("/console/unanswered")
	if r.code != http.StatusOK {
		t.Fatalf("editor: %d", r.code)
	}
	for _, secret := range []string{"Farida", "Karimova", "Azersun", "Nizami", "Фарида", "Низами", "Азерсун", "Leyla", "Mehmet",
		"Yılmaz", "Özsüt", "Jasur", "رضا", "سپهر", "خالد", "النور", "الرشيد"} {
		if strings.Contains(r.body, secret) {
			t.Errorf("the page shows %q", secret)
		}
	}
	for _, want := range []string{"[name]", "[employer]", "[address]", "[number]"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}

// TestUnansweredBecomesTeaching: an editor gives a group of unanswered
// questions a phrase for an article; it lands in the editor's draft
// (knowledge/search.yaml); the group stays listed until that draft is
// published, then leaves; bad input gets a message and stores nothing.
func TestUnansweredBecomesTeaching(t *testing.T) {
	e := newContentEnv(t)
	record(t, e, 5001, "ru", "как получить красную бумагу")
	ed, ad := e.signIn("eda"), e.signIn("ada")
	page := ed.get("/console/unanswered")
	m := regexp.MustCompile(`name="id" value="(\d+)"`).FindStringSubmatch(page.body)
	if page.code != 200 || m == nil || !strings.Contains(page.body, `value="article:fines_overstay"`) {
		t.Fatalf("the unanswered page has no teaching form: %d", page.code)
	}
	before := e.live()
	for _, bad := range []url.Values{{"id": {m[1]}, "target": {"article:nope"}, "phrase": {"x"}}, {"id": {m[1]}, "target": {"article:fines_overstay"}, "phrase": {"a, b"}},
		{"id": {"999999"}, "target": {"article:fines_overstay"}, "phrase": {"x"}}, {"id": {"x"}}} {
		if r := ed.post("/console/unanswered/teach", bad); r.code != http.StatusBadRequest {
			t.Errorf("%v: %d, want 400", bad, r.code)
		}
	}
	r := ed.post("/console/unanswered/teach", url.Values{"id": {m[1]}, "target": {"article:fines_overstay"}, "phrase": {"красная бумага"}})
	v := regexp.MustCompile(`draft version (\d+)`).FindStringSubmatch(r.body)
	if r.code != 200 || v == nil {
		t.Fatalf("teach: %d", r.code)
	}
	id, _ := strconv.ParseInt(v[1], 10, 64)
	if !strings.Contains(string(e.files(id)["knowledge/search.yaml"]), ", красная бумага]") {
		t.Errorf("the phrase is not in the draft's search words")
	}
	if !strings.Contains(ed.get("/console/unanswered").body, "красную бумагу") {
		t.Errorf("the group left the list before its draft was published")
	}
	if r := ad.post("/console/content/"+v[1]+"/approve", url.Values{}); r.code >= 400 {
		t.Fatalf("approve: %d", r.code)
	}
	if r := ad.post("/console/content/"+v[1]+"/publish", url.Values{}); r.code >= 400 {
		t.Fatalf("publish: %d %s", r.code, r.body)
	}
	if e.live() == before {
		t.Fatalf("not published")
	}
	if strings.Contains(ed.get("/console/unanswered").body, "красную бумагу") {
		t.Errorf("the group is still listed after its answer was published")
	}
}
