package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/staff"
)

// queueRows are the queue page's cases, as code by id, in order.
var queueRowRE = regexp.MustCompile(`<a href="/console/cases/(\d+)">([^<]+)</a>`)

func queueCodes(body string) []string {
	var out []string
	for _, m := range queueRowRE.FindAllStringSubmatch(body, -1) {
		out = append(out, m[2])
	}
	return out
}

var nextRE = regexp.MustCompile(`<a href="([^"]+)" rel="next"`)

// nextLink is the queue page's "Next page" address, "" on the last.
func nextLink(body string) string {
	m := nextRE.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// TestQueuePagesThroughEveryCase: more cases than a page, filtered by a
// department; the Next link carries the cursor and the filter, every case
// is shown once across the pages although a new one arrives between
// them, and the total counts them all. A bad cursor is the first page.
func TestQueuePagesThroughEveryCase(t *testing.T) {
	e := newEnv(t)
	e.account("boss", staff.RoleAdmin)
	want := map[string]bool{}
	for i := range 55 {
		want[e.referral(bot.ChannelTelegram, int64(5000+i), "baku_dept", "ru").Code] = true
	}
	other := e.referral(bot.ChannelTelegram, 6000, "ganja_dept", "ru")
	c := e.signIn("boss")

	first := c.get("/console/cases?department=baku_dept")
	if first.code != http.StatusOK || !strings.Contains(first.body, "55 cases") {
		t.Fatalf("first page: got %d, want the total 55 cases\n%s", first.code, first.body)
	}
	if strings.Contains(first.body, `rel="first"`) {
		t.Errorf("the first page links to the first page")
	}
	// A case arrives while the officer reads the first page.
	newer := e.referral(bot.ChannelTelegram, 5999, "baku_dept", "ru")
	want[newer.Code] = true

	seen := map[string]int{}
	body, pages := first.body, 1
	for {
		for _, code := range queueCodes(body) {
			seen[code]++
		}
		next := nextLink(body)
		if next == "" {
			break
		}
		u, err := url.Parse(next)
		if err != nil || u.Path != "/console/cases" || u.Query().Get("department") != "baku_dept" || u.Query().Get("after") == "" {
			t.Fatalf("next link %q does not carry the filter and the cursor", next)
		}
		r := c.get(next)
		if r.code != http.StatusOK {
			t.Fatalf("page %d: got %d", pages+1, r.code)
		}
		if !strings.Contains(r.body, `rel="first"`) || !strings.Contains(r.body, `href="/console/cases?department=baku_dept"`) {
			t.Errorf("page %d has no first-page link with the filter", pages+1)
		}
		if !strings.Contains(r.body, "56 cases") {
			t.Errorf("page %d: the total does not count the new case", pages+1)
		}
		body = r.body
		pages++
		if pages > 10 {
			t.Fatal("the pages do not end")
		}
	}
	if pages < 2 {
		t.Fatalf("56 cases on %d page", pages)
	}
	for code := range want {
		if seen[code] != 1 {
			t.Errorf("case %s shown %d times across the pages", code, seen[code])
		}
	}
	if len(seen) != len(want) || seen[other.Code] != 0 {
		t.Errorf("the pages showed %d cases (another department's: %d), want %d", len(seen), seen[other.Code], len(want))
	}

	// A cursor or filter the queue did not make: the first page, never a 5xx.
	firstCodes := strings.Join(queueCodes(c.get("/console/cases").body), " ")
	for _, q := range []string{"after=garbage", "after=MTIzNA", "after=" + strings.Repeat("x", 500), "after=%2e%2e%2f",
		"sort=sideways&after=*", "mine=yes&unclaimed=2&waiting=&overdue=no", "status=bogus&department=nowhere&language=xx&age=abc"} {
		r := c.get("/console/cases?" + q)
		if r.code != http.StatusOK {
			t.Errorf("?%s: got %d, want 200", q, r.code)
			continue
		}
		if got := strings.Join(queueCodes(r.body), " "); got != firstCodes {
			t.Errorf("?%s is not the first page", q)
		}
	}
}

// TestQueueFilters: claimed by me, unclaimed, waiting for the person,
// overdue; the departments are named, not shown by id.
func TestQueueFilters(t *testing.T) {
	e := newEnv(t)
	e.account("leyla", staff.RoleStaff, "baku_dept")
	e.account("rashad", staff.RoleStaff, "baku_dept")
	mine := e.referral(bot.ChannelTelegram, 7001, "baku_dept", "ru")
	contacted := e.referral(bot.ChannelTelegram, 7002, "baku_dept", "ru")
	theirs := e.referral(bot.ChannelTelegram, 7003, "baku_dept", "ru")
	fresh := e.referral(bot.ChannelTelegram, 7004, "baku_dept", "ru")
	old := e.referral(bot.ChannelTelegram, 7005, "baku_dept", "ru")
	if _, err := e.db.Pool.Exec(context.Background(),
		"UPDATE referrals SET created_at = now() - interval '10 days', updated_at = now() - interval '10 days' WHERE id = $1", old.ID); err != nil {
		t.Fatal(err)
	}
	leyla, rashad := e.signIn("leyla"), e.signIn("rashad")
	for _, ch := range []struct {
		c      *client
		r      *bot.Referral
		status string
	}{{leyla, mine, "claimed"}, {leyla, contacted, "claimed"}, {leyla, contacted, "contacted"}, {rashad, theirs, "claimed"}} {
		if r := ch.c.post(caseURL(ch.r)+"/status", url.Values{"status": {ch.status}}); r.code != http.StatusSeeOther {
			t.Fatalf("status %s: got %d", ch.status, r.code)
		}
	}
	for _, tt := range []struct {
		query string
		want  []*bot.Referral
	}{
		{"mine=1", []*bot.Referral{mine, contacted}},
		{"unclaimed=1", []*bot.Referral{fresh, old}},
		{"waiting=1", []*bot.Referral{contacted}},
		{"overdue=1", []*bot.Referral{old}},
		{"mine=1&waiting=1", []*bot.Referral{contacted}},
	} {
		r := leyla.get("/console/cases?" + tt.query)
		var want []string
		for _, x := range tt.want {
			want = append(want, x.Code)
		}
		got := queueCodes(r.body)
		// Oldest first: old was created ten days ago.
		if strings.Join(got, " ") != strings.Join(sortedByAge(tt.want, old), " ") {
			t.Errorf("?%s: got %v, want %v", tt.query, got, want)
		}
		name := tt.query[:strings.Index(tt.query, "=")]
		if !strings.Contains(r.body, `name="`+name+`" value="1" checked`) {
			t.Errorf("?%s: the checkbox is not kept", tt.query)
		}
		if !strings.Contains(r.body, ">"+plural(len(tt.want))+"<") {
			t.Errorf("?%s: the total %q is not shown", tt.query, plural(len(tt.want)))
		}
	}
	r := leyla.get("/console/cases")
	if !strings.Contains(r.body, "<td>Baku department</td>") || strings.Contains(r.body, "<td>baku_dept</td>") {
		t.Errorf("the queue shows the department's id, not its name")
	}
	if !strings.Contains(r.body, `<option value="baku_dept">Baku department</option>`) {
		t.Errorf("the department filter does not name the department (its value the id)")
	}
	e.account("boss", staff.RoleAdmin)
	r = e.signIn("boss").get("/console/cases?department=ganja_dept")
	if !strings.Contains(r.body, `<option value="ganja_dept" selected>`) || strings.Contains(r.body, ">ganja_dept<") {
		t.Errorf("the admin's department filter shows an id or lost its choice")
	}
}

// sortedByAge is rs oldest first: old first when among them, then in the
// order they were made.
func sortedByAge(rs []*bot.Referral, old *bot.Referral) []string {
	var out []string
	for _, r := range rs {
		if r == old {
			out = append([]string{r.Code}, out...)
		} else {
			out = append(out, r.Code)
		}
	}
	return out
}

func plural(n int) string {
	if n == 1 {
		return "1 case"
	}
	return strconv.Itoa(n) + " cases"
}

// TestQueueUnread: the person writes to a case its officer claimed; the
// case shows the unread mark, comes first by latest activity, and the
// officer's tab title counts it, until the officer opens it.
func TestQueueUnread(t *testing.T) {
	e := newEnv(t)
	e.account("leyla", staff.RoleStaff, "baku_dept")
	e.account("boss", staff.RoleAdmin)
	quiet := e.referral(bot.ChannelTelegram, 8001, "baku_dept", "ru")
	e.referral(bot.ChannelTelegram, 8002, "baku_dept", "ru")
	e.referral(bot.ChannelTelegram, 8003, "baku_dept", "ru")
	leyla := e.signIn("leyla")
	if r := leyla.post(caseURL(quiet)+"/status", url.Values{"status": {"claimed"}}); r.code != http.StatusSeeOther {
		t.Fatalf("claim: got %d", r.code)
	}
	r := leyla.get("/console/cases?sort=activity")
	if strings.Contains(r.body, `class="unread"`) || strings.Contains(r.body, "<title>(") {
		t.Fatalf("a case is unread before the person wrote")
	}
	ctx := context.Background()
	err := e.db.InTx(ctx, func(tx bot.Tx) error {
		conv, err := tx.Conversation(ctx, bot.Chat{Channel: bot.ChannelTelegram, ID: 8001})
		if err != nil {
			return err
		}
		return tx.AddMessage(ctx, conv, bot.DirIn, "text", "any news?")
	})
	if err != nil {
		t.Fatal(err)
	}
	r = leyla.get("/console/cases?sort=activity")
	if codes := queueCodes(r.body); len(codes) != 3 || codes[0] != quiet.Code {
		t.Errorf("by latest activity, the case the person wrote to is not first: %v", codes)
	}
	if !strings.Contains(r.body, `<span class="unread" title="The person wrote since`) {
		t.Errorf("no unread mark with its title")
	}
	if !strings.Contains(r.body, "<title>(1) Referrals · Yol</title>") {
		t.Errorf("the tab title does not count the unread case: %s", r.body[strings.Index(r.body, "<title>"):strings.Index(r.body, "</title>")])
	}
	if r := e.signIn("boss").get("/console/cases?sort=activity"); !strings.Contains(r.body, `class="unread"`) || strings.Contains(r.body, "<title>(") {
		t.Errorf("the admin sees no unread mark, or counts another officer's case in the title")
	}
	leyla.get(caseURL(quiet))
	r = leyla.get("/console/cases?sort=activity")
	if strings.Contains(r.body, `class="unread"`) || !strings.Contains(r.body, "<title>Referrals · Yol</title>") {
		t.Errorf("still unread after the officer opened it")
	}
}

// TestFindByCode: the search box opens a case of the officer's department
// by its code as typed (small letters, without the dash); another
// department's code, a code nobody has, an empty and an over-long input
// all get the same polite message, and every lookup is audited.
func TestFindByCode(t *testing.T) {
	e := newEnv(t)
	e.account("leyla", staff.RoleStaff, "baku_dept")
	e.account("writer", staff.RoleEditor)
	own := e.referral(bot.ChannelTelegram, 9101, "baku_dept", "ru")
	elsewhere := e.referral(bot.ChannelTelegram, 9102, "ganja_dept", "ru")
	c := e.signIn("leyla")

	if r := c.get("/console/cases"); !strings.Contains(r.body, `action="/console/find"`) {
		t.Errorf("no search box on the queue")
	}
	if r := c.get("/console/dashboard"); !strings.Contains(r.body, `action="/console/find"`) {
		t.Errorf("no search box on the dashboard")
	}
	for _, typed := range []string{own.Code, strings.ToLower(own.Code), strings.ReplaceAll(strings.ToLower(own.Code), "-", ""), "  " + own.Code + " "} {
		r := c.get("/console/find?code=" + url.QueryEscape(typed))
		if r.code != http.StatusSeeOther || r.header.Get("Location") != caseURL(own) {
			t.Errorf("find %q: got %d to %q, want 303 to %s", typed, r.code, r.header.Get("Location"), caseURL(own))
		}
	}
	const none = "No case with this code in your organisation."
	answers := map[string]string{}
	for name, typed := range map[string]string{
		"another department's": strings.ToLower(elsewhere.Code), "nobody's": "ZZZ-ZZZZ", "empty": "", "blank": "   ",
		"over-long": strings.Repeat("A", 33), "junk": "<script>alert(1)</script>",
	} {
		r := c.get("/console/find?code=" + url.QueryEscape(typed))
		if r.code != http.StatusOK || !strings.Contains(r.body, none) {
			t.Errorf("find %s code: got %d, want 200 with %q", name, r.code, none)
		}
		if strings.Contains(r.body, elsewhere.Code) || strings.Contains(r.body, "<script>alert") {
			t.Errorf("find %s code shows what it should not", name)
		}
		answers[name] = r.body
	}
	if answers["another department's"] != answers["nobody's"] {
		t.Errorf("another department's code and a code nobody has get different answers")
	}
	if n := e.count("SELECT count(*) FROM audit_log a JOIN staff_accounts s ON s.id = a.staff_id WHERE a.action = 'case.lookup' AND s.login = 'leyla'"); n < 6 {
		t.Errorf("case.lookup audited %d times, want at least 6", n)
	}
	if n := e.count("SELECT count(*) FROM audit_log WHERE action = 'case.lookup' AND referral_id IS NULL AND detail->>'found' = 'no'"); n < 2 {
		t.Errorf("the lookups that found nothing are not audited: %d", n)
	}

	w := e.signIn("writer")
	if r := w.get("/console/dashboard"); strings.Contains(r.body, `action="/console/find"`) {
		t.Errorf("an editor, who sees no case, gets the search box")
	}
	if r := w.get("/console/find?code=" + url.QueryEscape(own.Code)); r.code != http.StatusForbidden {
		t.Errorf("an editor's lookup: got %d, want 403", r.code)
	}
}
