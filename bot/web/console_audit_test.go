package web_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/yol-project/yol/bot/web"
)

// TestSimulatorDraftAuditedOncePerHour: running a stored version in the
// simulator is audited once per account and version in an hour, however
// many messages, pages and polls, and on another replica too; an hour
// later it is audited again. The live simulator is not audited.
func TestSimulatorDraftAuditedOncePerHour(t *testing.T) {
	var clock atomic.Int64
	clock.Store(time.Now().UnixNano())
	e := newDraftEnv(t, func(s *web.Server) { s.Now = func() time.Time { return time.Unix(0, clock.Load()) } })
	e.pushDraft(t)
	rows := func(login, version string) int {
		t.Helper()
		return e.count(`SELECT count(*) FROM audit_log a JOIN staff_accounts s ON s.id = a.staff_id
			WHERE a.action = 'content.simulate' AND s.login = $1 AND a.detail = jsonb_build_object('version', $2::text)`, login, version)
	}
	eda, ada := e.signIn("eda"), e.signIn("ada")
	if r := eda.get("/simulator?version=2"); r.code != http.StatusOK {
		t.Fatalf("the draft's page: got %d", r.code)
	}
	decodeSim(t, eda.postJSON("/simulator/reset?version=2", map[string]string{"lang": "ru"}))
	for range 3 {
		decodeSim(t, eda.postJSON("/simulator/send?version=2", map[string]string{"kind": "button", "data": "yes"}))
		decodeSim(t, eda.get("/simulator/poll?version=2"))
	}
	decodeSim(t, eda.postJSON("/simulator/reset?version=1", map[string]string{"lang": "en"}))
	decodeSim(t, ada.postJSON("/simulator/reset?version=2", map[string]string{"lang": "en"}))
	decodeSim(t, eda.postJSON("/simulator/reset", map[string]string{"lang": "en"}))
	decodeSim(t, eda.postJSON("/simulator/send", map[string]string{"kind": "button", "data": "yes"}))

	// Another replica on the same database knows it was audited.
	replica := &web.Server{Log: e.srv.Log, Ready: e.db, Version: "test", Chat: e.srv.Chat, Store: e.db, Content: e.content,
		DraftChat: e.srv.DraftChat, Now: e.srv.Now}
	other := newServerFor(t, replica)
	req, _ := http.NewRequest("POST", other+"/simulator/reset?version=2", strings.NewReader(`{"lang":"ru"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if r := eda.do(req); r.code != http.StatusOK { // the same browser: the session cookie is for the host
		t.Fatalf("the draft on another replica: got %d\n%s", r.code, r.body)
	}
	for _, tc := range []struct {
		login, version string
		want           int
	}{{"eda", "2", 1}, {"eda", "1", 1}, {"ada", "2", 1}, {"ada", "1", 0}} {
		if got := rows(tc.login, tc.version); got != tc.want {
			t.Errorf("content.simulate rows of %s for version %s: got %d, want %d", tc.login, tc.version, got, tc.want)
		}
	}
	if got, want := e.count("SELECT count(*) FROM audit_log WHERE action = 'content.simulate'"), 3; got != want {
		t.Errorf("content.simulate rows: got %d, want %d (none for the live simulator)", got, want)
	}

	clock.Add(int64(61 * time.Minute))
	decodeSim(t, eda.postJSON("/simulator/send?version=2", map[string]string{"kind": "button", "data": "yes"}))
	decodeSim(t, eda.postJSON("/simulator/send?version=2", map[string]string{"kind": "button", "data": "yes"}))
	if got := rows("eda", "2"); got != 2 {
		t.Errorf("content.simulate rows of eda for version 2 an hour later: got %d, want 2", got)
	}
}

// TestCampaignQRDownloadAudited: each download of a source's QR code, PNG
// or SVG, is in the audit log with the source, its code and the format; a
// source that does not exist is not.
func TestCampaignQRDownloadAudited(t *testing.T) {
	e := newEnv(t, withBot)
	admin, _ := e.firstAdmin()
	src := e.source("poster_baku")
	id := strconv.FormatInt(src.ID, 10)
	for _, format := range []string{"png", "svg", "png"} {
		if r := admin.get("/console/campaigns/" + id + "/qr." + format); r.code != http.StatusOK {
			t.Fatalf("qr.%s: got %d", format, r.code)
		}
	}
	if r := admin.get("/console/campaigns/99999/qr.svg"); r.code != http.StatusNotFound {
		t.Errorf("no such source: got %d, want 404", r.code)
	}
	for _, tc := range []struct {
		format string
		want   int
	}{{"png", 2}, {"svg", 1}} {
		got := e.count(`SELECT count(*) FROM audit_log a JOIN staff_accounts s ON s.id = a.staff_id
			WHERE a.action = 'campaign.qr' AND s.login = 'admin' AND a.detail = jsonb_build_object('source', $1::text, 'code', 'poster_baku', 'format', $2::text)`,
			id, tc.format)
		if got != tc.want {
			t.Errorf("campaign.qr rows in %s: got %d, want %d", tc.format, got, tc.want)
		}
	}
	if got := e.count("SELECT count(*) FROM audit_log WHERE action = 'campaign.qr'"); got != 3 {
		t.Errorf("campaign.qr rows: got %d, want 3", got)
	}
}

// TestAuditCSVExportsEverything: the CSV export holds every entry of an
// audit log far longer than a page (and than the 5,000 it used to stop
// at), each once, newest first, its own audit.export row included.
func TestAuditCSVExportsEverything(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.firstAdmin()
	const bulk = 12345
	if _, err := e.db.Pool.Exec(context.Background(), `INSERT INTO audit_log (action, detail, at)
		SELECT 'case.view', jsonb_build_object('n', g::text), now() - interval '1 day' + g * interval '1 millisecond'
		FROM generate_series(1, $1::int) g`, bulk); err != nil {
		t.Fatal(err)
	}
	r := admin.get("/console/audit.csv")
	if r.code != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("audit.csv: got %d %q", r.code, r.header.Get("Content-Type"))
	}
	records, err := csv.NewReader(strings.NewReader(r.body)).ReadAll()
	if err != nil {
		t.Fatalf("audit.csv does not parse: %v", err)
	}
	if got, want := strings.Join(records[0], ","), "id,at,staff,action,referral_id,detail"; got != want {
		t.Errorf("header: got %q, want %q", got, want)
	}
	records = records[1:]
	if got, want := len(records), e.count("SELECT count(*) FROM audit_log"); got != want || got <= bulk {
		t.Fatalf("rows: got %d, want %d (every entry, more than %d)", got, want, bulk)
	}
	if got := records[0]; got[2] != "admin" || got[3] != "audit.export" {
		t.Errorf("the newest row: got %q, want the admin's audit.export", got)
	}
	seen := map[string]bool{}
	prev := int64(1) << 62
	for _, rec := range records {
		id, err := strconv.ParseInt(rec[0], 10, 64)
		if err != nil || id >= prev {
			t.Fatalf("row %q after id %d: want ids newest first", rec, prev)
		}
		prev = id
		if rec[3] == "case.view" {
			seen[rec[5]] = true
		}
	}
	for _, n := range []int{1, 2, 5000, 5001, bulk} {
		if !seen["n="+strconv.Itoa(n)] {
			t.Errorf("entry n=%d is not in the file", n)
		}
	}
	if len(seen) != bulk {
		t.Errorf("bulk entries in the file: got %d, want %d", len(seen), bulk)
	}
	if got := e.count("SELECT count(*) FROM audit_log WHERE action = 'audit.export'"); got != 1 {
		t.Errorf("audit.export rows: got %d, want 1", got)
	}
}
