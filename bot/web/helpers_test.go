package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/metrics"
	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/bot/staff"
	"github.com/yol-project/yol/bot/web"
	"github.com/yol-project/yol/locales"
)

// env is a running server on a fresh database with the test content pack
// (testdata/pack: offices baku_dept and ganja_dept; languages en, az, ru,
// fa) and the default pack's console texts (locales/console.*.yaml).
type env struct {
	t       testing.TB
	db      *postgres.DB
	srv     *web.Server
	ts      *httptest.Server
	content *bot.ContentHolder
	svc     *bot.Service
	log     *bytes.Buffer
}

// newEnv serves a fresh database; opts change the server before it starts.
func newEnv(t testing.TB, opts ...func(*web.Server)) *env {
	t.Helper()
	db := pgtest.DB(t)
	c, probs := bot.LoadPack(testPack(t))
	if c == nil {
		t.Fatalf("test pack: %v", probs)
	}
	holder := bot.NewContentHolder(c)
	var logBuf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logBuf, nil))
	svc := &bot.Service{Store: db, Content: holder, Log: log}
	srv := &web.Server{Log: log, Metrics: metrics.New(), Ready: db, Version: "test", Chat: svc, Store: db, Content: holder}
	for _, o := range opts {
		o(srv)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &env{t: t, db: db, srv: srv, ts: ts, content: holder, svc: svc, log: &logBuf}
}

// testPack is testdata/pack with the console's texts of the default pack
// (locales/console.<lang>.yaml), so that the console's pages are tested
// with the texts they ship with.
func testPack(t testing.TB) fs.FS {
	t.Helper()
	pack := fstest.MapFS{}
	err := fs.WalkDir(os.DirFS("testdata/pack"), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(filepath.Join("testdata/pack", p))
		pack[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	files, err := fs.Glob(locales.FS, "console*.*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("console texts: %v %v", files, err)
	}
	for _, f := range files {
		b, err := fs.ReadFile(locales.FS, f)
		if err != nil {
			t.Fatal(err)
		}
		pack[path.Join("locales", f)] = &fstest.MapFile{Data: b}
	}
	return pack
}

// client is one browser: a cookie jar, no automatic redirects.
type client struct {
	e   *env
	jar *cookiejar.Jar
	hc  *http.Client
}

func (e *env) client() *client {
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &client{e: e, jar: jar, hc: hc}
}

type resp struct {
	code   int
	body   string
	header http.Header
}

func (c *client) do(req *http.Request) resp {
	c.e.t.Helper()
	res, err := c.hc.Do(req)
	if err != nil {
		c.e.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{code: res.StatusCode, body: string(b), header: res.Header}
}

func (c *client) get(path string) resp {
	c.e.t.Helper()
	req, _ := http.NewRequest("GET", c.e.ts.URL+path, nil)
	return c.do(req)
}

// post sends a same-origin form (as a browser would: Sec-Fetch-Site).
func (c *client) post(path string, form url.Values) resp {
	c.e.t.Helper()
	req, _ := http.NewRequest("POST", c.e.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", c.e.ts.URL)
	return c.do(req)
}

func (c *client) postJSON(path string, v any) resp {
	c.e.t.Helper()
	b, _ := json.Marshal(v)
	req, _ := http.NewRequest("POST", c.e.ts.URL+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(req)
}

// account creates an account with a known password; a translator works
// on every language of the content but its source (use translator for
// fewer).
func (e *env) account(login string, role staff.Role, depts ...string) *staff.Account {
	e.t.Helper()
	var langs []string
	if role == staff.RoleTranslator {
		langs = web.TranslationLanguages(e.content.Load())
	}
	return e.accountFor(web.AccountRequest{Login: login, Role: role, Departments: depts, ContentLanguages: langs})
}

// translator creates a translator's account for langs, with a known
// password.
func (e *env) translator(login string, langs ...string) *staff.Account {
	e.t.Helper()
	return e.accountFor(web.AccountRequest{Login: login, Role: staff.RoleTranslator, ContentLanguages: langs})
}

// accountFor creates the account req asks for (named "Test login"), with
// a known password, in the test pack's offices and languages.
func (e *env) accountFor(req web.AccountRequest) *staff.Account {
	e.t.Helper()
	req.Name, req.Translatable = "Test "+req.Login, web.TranslationLanguages(e.content.Load())
	a, err := web.CreateAccount(context.Background(), e.db, req, "correct horse battery staple", []string{"baku_dept", "ganja_dept"}, 0)
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

// signIn returns a client signed in as login.
func (e *env) signIn(login string) *client {
	e.t.Helper()
	c := e.client()
	r := c.post("/console/login", url.Values{"login": {login}, "password": {"correct horse battery staple"}})
	if r.code != http.StatusSeeOther {
		e.t.Fatalf("sign in %s: got %d, want 303\n%s", login, r.code, r.body)
	}
	return c
}

// firstAdminPassword is the password the first admin chooses in tests,
// after signing in with the one printed at the first start.
const firstAdminPassword = "the first admin's own password"

// firstAdmin creates the first admin as the first start does and signs in
// as a person would: with the printed password, which lands on the
// password page, where it chooses firstAdminPassword and goes on. It
// returns the signed-in client and the printed password.
func (e *env) firstAdmin() (*client, string) {
	e.t.Helper()
	login, printed, created, err := web.EnsureAdmin(context.Background(), e.db)
	if err != nil || !created {
		e.t.Fatalf("first admin: created %v, err %v", created, err)
	}
	c := e.client()
	r := c.post("/console/login", url.Values{"login": {login}, "password": {printed}})
	if r.code != http.StatusSeeOther || r.header.Get("Location") != "/console/password" {
		e.t.Fatalf("first admin's sign-in: got %d to %q, want 303 to /console/password", r.code, r.header.Get("Location"))
	}
	r = c.post("/console/password", url.Values{"current": {printed}, "new": {firstAdminPassword}, "again": {firstAdminPassword}})
	if r.code != http.StatusOK {
		e.t.Fatalf("first admin chooses a password: got %d, want 200\n%s", r.code, r.body)
	}
	return c, printed
}

// referral makes a person with a consented conversation in channel ch, a
// transcript of texts, and a referral to dept; it returns the referral.
func (e *env) referral(ch bot.Channel, chatID int64, dept, lang string, texts ...string) *bot.Referral {
	e.t.Helper()
	ctx := context.Background()
	r := &bot.Referral{Code: bot.NewReferralCode(), Department: dept, Language: lang, Pathway: "family", Status: "new",
		ContactMethod: "phone", Phone: "+994501112233", Summary: "Passport — valid\nPathway: Family"}
	err := e.db.InTx(ctx, func(tx bot.Tx) error {
		conv, err := tx.Conversation(ctx, bot.Chat{Channel: ch, ID: chatID})
		if err != nil {
			return err
		}
		conv.Language = lang
		conv.ConsentAt = time.Now()
		if err := tx.SaveConversation(ctx, conv); err != nil {
			return err
		}
		for _, t := range texts {
			if err := tx.AddMessage(ctx, conv, bot.DirIn, "text", t); err != nil {
				return err
			}
		}
		return tx.CreateReferral(ctx, conv, r)
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

func (e *env) count(sql string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.db.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		e.t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// unlimited lifts the simulator's rate limits (for fuzzers, which send
// thousands of messages from one address).
func unlimited(s *web.Server) {
	lots := web.Rate{Burst: 1 << 30, Every: time.Nanosecond}
	s.SimulatorLimits = web.SimulatorLimits{Messages: lots, NewChats: lots}
}

// newServerFor serves srv and returns its URL.
func newServerFor(t *testing.T, srv *web.Server) string {
	t.Helper()
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts.URL
}
