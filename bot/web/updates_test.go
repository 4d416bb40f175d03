package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/staff"
)

// subscribe stores a Telegram subscriber speaking lang.
func (e *env) subscribe(chat int64, lang string) {
	e.t.Helper()
	ctx := context.Background()
	err := e.db.InTx(ctx, func(tx bot.Tx) error {
		c, err := tx.Conversation(ctx, bot.Chat{Channel: bot.ChannelTelegram, ID: chat})
		if err != nil {
			return err
		}
		c.Language = lang
		c.Updates = bot.Subscription{Since: time.Now()}
		return tx.SaveConversation(ctx, c)
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// The updates page in each console language: the audience's languages
// without a text are shown and the update is refused until it has them;
// the preview escapes staff text; sending queues it once, audited, and the
// list shows its counts; staff who are not admins do not reach the page.
func TestUpdatesPage(t *testing.T) {
	for _, lang := range []string{"en", "az", "ru"} {
		t.Run(lang, func(t *testing.T) {
			e := newEnv(t)
			texts := e.content.Load().Texts
			tr := func(id string, data map[string]any) string { return texts.Text(lang, id, data, nil) }
			e.staffAccount("boss", staff.RoleAdmin, lang)
			e.subscribe(1, "ru")
			e.subscribe(2, "fa")
			c := e.signIn("boss")
			r := c.get("/console/updates")
			if r.code != http.StatusOK || !strings.Contains(r.body, tr("console.updates.heading", nil)) {
				t.Fatalf("page: %d, want 200 with the heading in %s", r.code, lang)
			}
			onlyRu := url.Values{"audience": {"all"}, "text_ru": {"Новые часы <b>работы</b>"}, "action": {"check"}}
			r = c.post("/console/updates", onlyRu)
			missing := tr("console.updates.missing", map[string]any{"Languages": "fa"})
			if r.code != http.StatusOK || !strings.Contains(r.body, missing) {
				t.Errorf("check: %d, want the missing Persian text named (%q)", r.code, missing)
			}
			if !strings.Contains(r.body, "Новые часы &lt;b&gt;работы&lt;/b&gt;") {
				t.Errorf("the preview does not show the text escaped")
			}
			onlyRu.Set("action", "save")
			if r = c.post("/console/updates", onlyRu); r.code != http.StatusBadRequest || !strings.Contains(r.body, missing) {
				t.Errorf("save without Persian: %d, want 400 with the missing language", r.code)
			}
			if got := e.count("SELECT count(*) FROM updates"); got != 0 {
				t.Fatalf("updates stored after a refusal: got %d, want 0", got)
			}
			for _, bad := range []url.Values{
				{"audience": {"nobody"}, "text_ru": {"x"}, "action": {"save"}},
				{"audience": {"language"}, "text_ru": {"x"}, "action": {"save"}},
				{"audience": {"all"}, "action": {"save"}},
				{"audience": {"all"}, "text_ru": {"x"}, "send_at": {"tomorrow"}, "action": {"save"}},
			} {
				if r = c.post("/console/updates", bad); r.code != http.StatusBadRequest {
					t.Errorf("bad form %v: %d, want 400", bad, r.code)
				}
			}
			both := url.Values{"audience": {"all"}, "text_ru": {"Новые часы"}, "text_fa": {"ساعت کاری تازه"}, "action": {"save"}}
			if r = c.post("/console/updates", both); r.code != http.StatusOK || !strings.Contains(r.body, tr("console.updates.saved", nil)) {
				t.Fatalf("save: %d, want 200 and the saved banner", r.code)
			}
			var id int64
			if err := e.db.Pool.QueryRow(context.Background(), "SELECT id FROM updates").Scan(&id); err != nil {
				t.Fatal(err)
			}
			path := "/console/updates/" + strconv.FormatInt(id, 10) + "/send"
			if r = c.post(path, url.Values{}); r.code != http.StatusOK || !strings.Contains(r.body, tr("console.updates.sent", map[string]any{"Count": 2})) {
				t.Errorf("send: %d, want 200 and 2 queued", r.code)
			}
			if r = c.post(path, url.Values{}); r.code != http.StatusConflict || !strings.Contains(r.body, tr("console.updates.already_sent", nil)) {
				t.Errorf("sent twice: %d, want 409", r.code)
			}
			if r = c.post("/console/updates/abc/send", url.Values{}); r.code != http.StatusNotFound {
				t.Errorf("a bad id: %d, want 404", r.code)
			}
			if got, want := e.count("SELECT count(*) FROM outbox WHERE update_id = $1 AND priority = 1", id), 2; got != want {
				t.Errorf("bulk rows: got %d, want %d", got, want)
			}
			if got, want := e.count("SELECT count(*) FROM audit_log WHERE action IN ('update.create', 'update.send')"), 2; got != want {
				t.Errorf("audit rows: got %d, want %d", got, want)
			}
			e.account("worker", staff.RoleStaff, "baku_dept")
			if r = e.signIn("worker").get("/console/updates"); r.code == http.StatusOK {
				t.Errorf("staff reached the updates page")
			}
		})
	}
}
