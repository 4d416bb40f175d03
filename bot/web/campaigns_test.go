package web_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/staff"
	"github.com/yol-project/yol/bot/web"
)

// withBot gives the server the bot's username, as getMe would.
func withBot(s *web.Server) { s.BotUsername = func() string { return "yol_test_bot" } }

// TestCampaignSourcesInEveryStaffLanguage: an admin or an editor working in
// English, Azerbaijani or Russian creates a source; a mistake is shown in
// their language with what they typed kept; the list shows the source
// (escaped) with its deep link; a taken code is refused; each creation is
// audited.
func TestCampaignSourcesInEveryStaffLanguage(t *testing.T) {
	e := newEnv(t, withBot)
	texts := e.content.Load().Texts
	for i, lang := range []string{"en", "az", "ru"} {
		role := staff.RoleAdmin
		if i == 1 {
			role = staff.RoleEditor
		}
		login := "campaigner_" + lang
		e.staffAccount(login, role, lang)
		c := e.signIn(login)
		if r := c.get("/console/campaigns"); r.code != http.StatusOK || !strings.Contains(r.body, `id="campaign-form"`) ||
			!strings.Contains(r.body, texts.Text(lang, "console.campaigns.heading", nil, nil)) {
			t.Fatalf("%s: campaigns page: %d", lang, r.code)
		}
		code := "poster_ganja_" + lang
		name := "Poster <Ganja> " + lang
		for _, bad := range []struct {
			form url.Values
			msg  string
		}{
			{url.Values{"code": {"bad code!"}, "name": {name}, "region": {"Gəncə"}, "medium": {"poster"}}, "console.campaigns.bad_code"},
			{url.Values{"code": {strings.Repeat("a", 65)}, "name": {name}, "medium": {"poster"}}, "console.campaigns.bad_code"},
			{url.Values{"code": {code}, "name": {"  "}, "medium": {"poster"}}, "console.campaigns.bad_name"},
			{url.Values{"code": {code}, "name": {name}, "medium": {"billboard"}}, "console.campaigns.bad_medium"},
			{url.Values{"code": {code}, "name": {name}, "medium": {"poster"}, "region": {strings.Repeat("я", 81)}}, "console.campaigns.bad_region"},
		} {
			r := c.post("/console/campaigns", bad.form)
			want := texts.Text(lang, bad.msg, nil, nil)
			if got := r.code; got != http.StatusBadRequest || !strings.Contains(r.body, escaped(want)) {
				t.Errorf("%s: %v: got %d, want 400 with %q", lang, bad.form, got, want)
			}
			if bad.form.Get("name") == name && !strings.Contains(r.body, `value="Poster &lt;Ganja&gt; `+lang+`"`) {
				t.Errorf("%s: %v: the name typed was lost", lang, bad.form)
			}
		}
		good := url.Values{"code": {code}, "name": {name}, "region": {"Gəncə"}, "medium": {"brochure"}}
		if r := c.post("/console/campaigns", good); r.code != http.StatusSeeOther {
			t.Fatalf("%s: create: got %d, want 303\n%s", lang, r.code, r.body)
		}
		if r := c.post("/console/campaigns", good); r.code != http.StatusConflict ||
			!strings.Contains(r.body, escaped(texts.Text(lang, "console.campaigns.code_taken", nil, nil))) {
			t.Errorf("%s: the same code again: got %d, want 409 in the staff language", lang, r.code)
		}
		r := c.get("/console/campaigns")
		link := "https://t.me/yol_test_bot?start=" + code
		for _, want := range []string{"Poster &lt;Ganja&gt; " + lang, link, texts.Text(lang, "console.campaigns.medium.brochure", nil, nil), "Gəncə"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("%s: the list lacks %q", lang, want)
			}
		}
	}
	if got, want := e.count("SELECT count(*) FROM audit_log WHERE action = 'campaign.create'"), 3; got != want {
		t.Errorf("audit rows: got %d, want %d", got, want)
	}
}

// escaped is s as html/template writes it in text (quotes as &#34; and
// &#39;, as encoding/xml writes them).
func escaped(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// source creates a campaign source in the store and returns it.
func (e *env) source(code string) staff.CampaignSource {
	e.t.Helper()
	c := staff.CampaignSource{Code: code, Name: "Source " + code, Medium: staff.Poster}
	if err := e.db.CreateCampaignSource(context.Background(), &c, 0); err != nil {
		e.t.Fatal(err)
	}
	return c
}

// TestCampaignQRCodesDecodeToTheLink: the PNG decodes (with a QR reader)
// back to the deep link; the SVG is well-formed XML whose text is the link.
func TestCampaignQRCodesDecodeToTheLink(t *testing.T) {
	e := newEnv(t, withBot)
	e.account("ed", staff.RoleEditor)
	c := e.signIn("ed")
	for _, code := range []string{"p1", "brochure_Sheki-2026", strings.Repeat("Z", 64)} {
		src := e.source(code)
		link := "https://t.me/yol_test_bot?start=" + code
		base := "/console/campaigns/" + strconv.FormatInt(src.ID, 10)

		r := c.get(base + "/qr.png")
		if r.code != http.StatusOK || r.header.Get("Content-Type") != "image/png" || !strings.Contains(r.header.Get("Content-Disposition"), "yol-"+code+".png") {
			t.Fatalf("%s: png: %d %v", code, r.code, r.header)
		}
		img, err := png.Decode(strings.NewReader(r.body))
		if err != nil {
			t.Fatalf("%s: png: %v", code, err)
		}
		if b := img.Bounds(); b.Dx() < 400 || b.Dy() <= b.Dx() {
			t.Errorf("%s: png is %v, want at least 400 px wide and taller than wide (the link under it)", code, b)
		}
		bmp, err := gozxing.NewBinaryBitmapFromImage(img)
		if err != nil {
			t.Fatal(err)
		}
		res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
		if err != nil {
			t.Fatalf("%s: the PNG does not decode: %v", code, err)
		}
		if got := res.GetText(); got != link {
			t.Errorf("%s: png decodes to %q, want %q", code, got, link)
		}

		r = c.get(base + "/qr.svg")
		if r.code != http.StatusOK || r.header.Get("Content-Type") != "image/svg+xml" {
			t.Fatalf("%s: svg: %d", code, r.code)
		}
		var texts []string
		var root string
		dec := xml.NewDecoder(strings.NewReader(r.body))
		inText := false
		for {
			tok, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: the SVG is not well-formed: %v", code, err)
			}
			switch v := tok.(type) {
			case xml.StartElement:
				if root == "" {
					root = v.Name.Space + " " + v.Name.Local
				}
				inText = v.Name.Local == "text"
			case xml.CharData:
				if inText {
					texts = append(texts, string(v))
				}
			case xml.EndElement:
				inText = false
			}
		}
		if root != "http://www.w3.org/2000/svg svg" || len(texts) != 1 || texts[0] != link {
			t.Errorf("%s: svg root %q, texts %q; want an svg with the text %q", code, root, texts, link)
		}
		if !strings.Contains(r.body, `<path fill="#000" d="M`) {
			t.Errorf("%s: the SVG draws no module", code)
		}
	}
	if r := c.get("/console/campaigns/99999/qr.png"); r.code != http.StatusNotFound {
		t.Errorf("an unknown source's QR code: got %d, want 404", r.code)
	}
	if r := c.get("/console/campaigns/x/qr.svg"); r.code != http.StatusNotFound {
		t.Errorf("a malformed id: got %d, want 404", r.code)
	}
}

// TestCampaignsWithoutTheBotsUsername: without Telegram's getMe answer the
// page says plainly that the links are not known, and offers no QR code.
func TestCampaignsWithoutTheBotsUsername(t *testing.T) {
	e := newEnv(t)
	e.staffAccount("boss", staff.RoleAdmin, "ru")
	c := e.signIn("boss")
	src := e.source("meeting_1")
	r := c.get("/console/campaigns")
	want := escaped(e.content.Load().Texts.Text("ru", "console.campaigns.no_bot", nil, nil))
	if !strings.Contains(r.body, want) || strings.Contains(r.body, "t.me/") || !strings.Contains(r.body, "meeting_1") {
		t.Errorf("the page does not say the username is unknown (in Russian), or shows a link")
	}
	if r := c.get("/console/campaigns/" + strconv.FormatInt(src.ID, 10) + "/qr.png"); r.code != http.StatusConflict {
		t.Errorf("a QR code without a username: got %d, want 409", r.code)
	}
}

// TestCampaignsRoles: staff without the role get 403 (never 500) and no
// source is made; a visitor is sent to sign in.
func TestCampaignsRoles(t *testing.T) {
	e := newEnv(t, withBot)
	src := e.source("p1")
	e.account("leyla", staff.RoleStaff, "baku_dept")
	c := e.signIn("leyla")
	qr := "/console/campaigns/" + strconv.FormatInt(src.ID, 10) + "/qr.png"
	for _, path := range []string{"/console/campaigns", qr} {
		if r := c.get(path); r.code != http.StatusForbidden {
			t.Errorf("staff GET %s: got %d, want 403", path, r.code)
		}
	}
	if r := c.post("/console/campaigns", url.Values{"code": {"x1"}, "name": {"X"}, "medium": {"poster"}}); r.code != http.StatusForbidden {
		t.Errorf("staff POST: got %d, want 403", r.code)
	}
	if r := c.get("/console/dashboard"); strings.Contains(r.body, `href="/console/campaigns"`) {
		t.Errorf("staff see the campaigns link")
	}
	if r := e.client().get("/console/campaigns"); r.code != http.StatusSeeOther || r.header.Get("Location") != "/console/login" {
		t.Errorf("a visitor: got %d %s, want 303 to sign in", r.code, r.header.Get("Location"))
	}
	if got := e.count("SELECT count(*) FROM campaign_sources"); got != 1 {
		t.Errorf("sources: got %d, want 1", got)
	}
}

// start sends /start payload from a new simulator chat in lang and returns
// the replies' texts.
func (e *env) start(chat int64, lang, payload string) []string {
	e.t.Helper()
	res, err := e.svc.Handle(context.Background(), bot.Inbound{Chat: bot.Chat{Channel: bot.ChannelSimulator, ID: chat}, LangHint: lang,
		Kind: bot.InCommand, Command: "start", Payload: payload})
	if err != nil {
		e.t.Fatalf("/start %q: %v", payload, err)
	}
	var out []string
	for _, r := range res.Replies {
		out = append(out, r.Text)
	}
	return out
}

// TestStartAttributesToTheSource: /start with a source's code attributes
// the person, and the dashboard's funnel counts them under the source (by
// source, and by source and week) through consent, eligibility, referral
// and regularized; unknown and malformed payloads get the normal start in
// the person's language and are counted as "unknown source", never kept as
// typed.
func TestStartAttributesToTheSource(t *testing.T) {
	e := newEnv(t, withBot)
	ctx := context.Background()
	e.source("poster_baku")
	plain := e.start(1, "ru", "")
	for i, p := range []string{"nosuch_code", "my name is Aysel", "a+b", bot.UnknownCampaign, strings.Repeat("x", 65)} {
		if got := e.start(int64(10+i), "ru", p); strings.Join(got, "|") != strings.Join(plain, "|") || !strings.Contains(got[0], "Здравствуйте") {
			t.Errorf("/start %q: got %q, want the normal start in Russian %q", p, got, plain)
		}
	}
	e.start(2, "en", "poster_baku")
	e.start(3, "az", "poster_baku")
	// Person 2 consents; then eligibility, a referral and its regularization.
	if _, err := e.svc.Handle(ctx, bot.Inbound{Chat: bot.Chat{Channel: bot.ChannelSimulator, ID: 2}, Kind: bot.InButton, Data: "yes"}); err != nil {
		t.Fatal(err)
	}
	ref := &bot.Referral{Code: bot.NewReferralCode(), Department: "baku_dept", Language: "en", Status: "new", ContactMethod: "telegram"}
	err := e.db.InTx(ctx, func(tx bot.Tx) error {
		conv, err := tx.Conversation(ctx, bot.Chat{Channel: bot.ChannelSimulator, ID: 2})
		if err != nil {
			return err
		}
		if conv.Campaign != "poster_baku" {
			t.Errorf("the conversation's campaign: got %q, want poster_baku", conv.Campaign)
		}
		if err := tx.AddEvent(ctx, conv, "eligibility_done", nil); err != nil {
			return err
		}
		ref.Campaign = conv.Campaign
		if err := tx.CreateReferral(ctx, conv, ref); err != nil {
			return err
		}
		return tx.AddEvent(ctx, conv, "referral_created", map[string]string{"department": "baku_dept"})
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.Pool.Exec(ctx, "INSERT INTO referral_events (referral_id, from_status, to_status) VALUES ($1, 'submitted', 'regularized')", ref.ID); err != nil {
		t.Fatal(err)
	}
	if got := e.count("SELECT count(*) FROM conversations WHERE campaign_source NOT IN ('', 'poster_baku', '?')"); got != 0 {
		t.Errorf("%d conversations keep a payload as typed", got)
	}
	since, until := time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
	rows, err := e.db.Funnel(ctx, "campaign", since, until, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]int64{}
	for _, r := range rows {
		got[r.Group] = r.Counts
	}
	want := map[string][]int64{"poster_baku": {2, 1, 1, 1, 1}, bot.UnknownCampaign: {5, 0, 0, 0, 0}, "": {1, 0, 0, 0, 0}}
	for g, w := range want {
		if !slices.Equal(got[g], w) {
			t.Errorf("funnel of %q: got %v, want %v", g, got[g], w)
		}
	}
	weekly, err := e.db.Funnel(ctx, "campaign_week", since, until, nil)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range weekly {
		if strings.HasPrefix(r.Group, "poster_baku ") && r.Counts[0] == 2 && r.Counts[4] == 1 {
			found = true
		}
	}
	if !found {
		t.Errorf("the funnel by source and week lacks poster_baku: %+v", weekly)
	}
	e.staffAccount("boss", staff.RoleAdmin, "az")
	page := e.signIn("boss").get("/console/dashboard?by=campaign")
	for _, want := range []string{"Source poster_baku (poster_baku)", escaped(e.content.Load().Texts.Text("az", "console.campaigns.unknown_source", nil, nil))} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the dashboard by campaign lacks %q", want)
		}
	}
	if r := e.signIn("boss").get("/console/dashboard?by=campaign_week"); r.code != http.StatusOK || !strings.Contains(r.body, "Source poster_baku (poster_baku) · ") {
		t.Errorf("the dashboard by source and week: %d", r.code)
	}
}

// TestTheFirstSourceCounts: a person keeps the first source they came by;
// one who came without a link is attributed to a poster scanned later, and
// a later payload that names no source changes nothing.
func TestTheFirstSourceCounts(t *testing.T) {
	e := newEnv(t, withBot)
	e.source("poster_a")
	e.source("poster_b")
	for _, tt := range []struct {
		name  string
		chat  int64
		first string
		later string
		want  string
	}{
		{"a second poster", 1, "poster_a", "poster_b", "poster_a"},
		{"a poster after no link", 2, "", "poster_b", "poster_b"},
		{"junk after no link", 3, "", "a+b", ""},
		{"an unknown code after no link", 4, "", "nosuch", ""},
		{"a poster after an unknown code", 5, "nosuch", "poster_a", bot.UnknownCampaign},
	} {
		e.start(tt.chat, "en", tt.first)
		if got := e.start(tt.chat, "en", tt.later); len(got) == 0 {
			t.Errorf("%s: no reply to the second /start", tt.name)
		}
		var got string
		err := e.db.Pool.QueryRow(context.Background(), "SELECT campaign_source FROM conversations ORDER BY id DESC LIMIT 1").Scan(&got)
		if err != nil || got != tt.want {
			t.Errorf("%s: campaign source got %q (%v), want %q", tt.name, got, err, tt.want)
		}
	}
}
