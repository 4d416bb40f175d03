package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/yol-project/yol/bot"
)

// The legal text the editors' browser test changes: an article's title
// (prefix "article." of legal_texts in knowledge/settings.yaml), shown as
// a button of /articles.
const (
	legalID  = "article.fines_overstay.title"
	legalOld = "جریمه ماندن بدون مدارک"
	legalNew = "جریمه ماندن بدون مدارک معتبر"
)

// startBrowser starts headless Chromium for a test and returns its first
// tab. It fails (never skips) when there is no browser, as TestBrowser.
func startBrowser(t *testing.T) context.Context {
	t.Helper()
	actx := browserAllocator(t)
	tab, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(cancelTab)
	return tab
}

// TestBrowserEditorDay drives headless Chromium through the editors' day
// (issue #15): a translator edits a Persian legal text in place (right to
// left) and saves it as a draft; the Content page shows the draft, which
// its author cannot approve; a reviewer reads the old and the new Persian
// text and approves; an editor publishes; a replica following the
// database switches, and the bot's /articles answers with the new title.
// It saves the texts page to docs/editor.png and the reviewer's diff to
// docs/editor-approve.png (when missing or YOL_UPDATE_SCREENSHOTS=1, and
// always to the test's temporary folder).
func TestBrowserEditorDay(t *testing.T) {
	tab := startBrowser(t)
	e := newContentEnv(t)
	ctx := context.Background()

	do := func(what string, timeout time.Duration, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		c, cancel := context.WithTimeout(tab, timeout)
		defer cancel()
		if err := chromedp.Do(c, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		c, cancel := context.WithTimeout(tab, 10*time.Second)
		defer cancel()
		s, err := chromedp.Run(c, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	present := func(sel string) bool {
		t.Helper()
		ok, err := chromedp.Run(tab, chromedp.Evaluate[bool](`document.querySelector(`+jsString(sel)+`) !== null`))
		if err != nil {
			t.Fatalf("query %s: %v", sel, err)
		}
		return ok
	}
	shot := func() []byte {
		t.Helper()
		b, err := chromedp.Run(tab, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatalf("screenshot: %v", err)
		}
		return b
	}
	signIn := func(login string) {
		t.Helper()
		do("sign in as "+login, 30*time.Second,
			chromedp.Navigate(e.ts.URL+"/console/login"),
			chromedp.WaitVisible(chromedp.CSS(`input[name=login]`)),
			chromedp.SendKeys(chromedp.CSS(`input[name=login]`), login),
			chromedp.SendKeys(chromedp.CSS(`input[name=password]`), "correct horse battery staple"),
			chromedp.Click(chromedp.CSS(`button[type=submit].primary`)),
			chromedp.WaitVisible(chromedp.CSS(`form[action="/console/logout"] button`)),
		)
	}
	signOut := func() {
		t.Helper()
		do("sign out", 30*time.Second,
			chromedp.Click(chromedp.CSS(`form[action="/console/logout"] button`)),
			chromedp.WaitVisible(chromedp.CSS(`input[name=login]`)),
		)
	}
	rowSel := `tr[id="t-` + legalID + `"]`

	// The first Run starts the browser: no timeout on it (the browser
	// would end with it).
	if err := chromedp.Do(tab, chromedp.Navigate(e.ts.URL+"/console/login")); err != nil {
		t.Fatalf("start the browser: %v", err)
	}

	// The translator edits the Persian title in place and saves.
	signIn("tia")
	do("open the Persian texts", 30*time.Second,
		chromedp.Navigate(e.ts.URL+"/console/texts?lang=fa&after=article.fines_overstay.body"),
		chromedp.WaitVisible(chromedp.CSS(rowSel+` textarea`)),
	)
	attrs, err := chromedp.Run(tab, chromedp.Attributes(chromedp.CSS(rowSel+` textarea`)))
	if err != nil {
		t.Fatal(err)
	}
	if attrs["dir"] != "rtl" || attrs["lang"] != "fa" {
		t.Errorf("the Persian textarea: dir=%q lang=%q, want rtl fa", attrs["dir"], attrs["lang"])
	}
	if got, err := chromedp.Run(tab, chromedp.Value(chromedp.CSS(rowSel+` textarea`))); err != nil || got != legalOld {
		t.Fatalf("the textarea holds %q (%v), want the live text %q", got, err, legalOld)
	}
	do("edit the text", 30*time.Second,
		chromedp.Clear(chromedp.CSS(rowSel+` textarea`)),
		chromedp.SendKeys(chromedp.CSS(rowSel+` textarea`), legalNew),
	)
	if got, err := chromedp.Run(tab, chromedp.Value(chromedp.CSS(rowSel+` textarea`))); err != nil || got != legalNew {
		t.Fatalf("after typing the textarea holds %q (%v), want %q", got, err, legalNew)
	}
	do("save", 30*time.Second,
		chromedp.Click(chromedp.CSS(rowSel+` form[action="/console/texts"] button`)),
		chromedp.WaitVisible(`//p[@class="flash" and contains(., "Saved as draft version 2")]`),
	)
	if r := text(rowSel); !strings.Contains(r, "In your draft:") || !strings.Contains(r, legalNew) {
		t.Errorf("the texts page after the save does not show the draft: %q", r)
	}
	editorShot := shot()

	// What was stored: version 2 by tia, the new text in kb.fa.yaml, audited.
	vs, err := e.db.ContentVersions(ctx, 5)
	if err != nil {
		t.Fatal(err)
	}
	if v := vs[0]; v.ID != 2 || v.Author != "tia" || v.Parent != 1 || v.Note != "fa "+legalID || v.Live || v.ApprovedBy != "" {
		t.Fatalf("the draft stored: %+v", v)
	}
	if kb := string(e.files(2)["locales/kb.fa.yaml"]); !strings.Contains(kb, legalID+`: "`+legalNew+`"`) {
		t.Errorf("kb.fa.yaml of version 2 lacks the new title")
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action = 'content.push' AND detail->>'version' = '2' AND detail->>'author' = 'tia'`); n != 1 {
		t.Errorf("pushes of version 2 by tia audited: %d, want 1", n)
	}

	// The Content page shows the draft; its author cannot approve it.
	do("the translator's content page", 30*time.Second,
		chromedp.Navigate(e.ts.URL+"/console/content"),
		chromedp.WaitVisible(chromedp.CSS(`tr#v2`)),
	)
	if r := text(`tr#v2`); !strings.Contains(r, "tia") || !strings.Contains(r, "needs approval") {
		t.Errorf("version 2 on the translator's content page: %q", r)
	}
	if present(`form[action="/console/content/2/approve"]`) || present(`form[action="/console/content/2/publish"]`) {
		t.Errorf("the translator is offered to approve or publish her own draft")
	}
	if r := e.signIn("tia").post("/console/content/2/approve", nil); r.code != 403 {
		t.Errorf("the translator approved her own draft: %d", r.code)
	}
	signOut()

	// The reviewer reads the change (old and new Persian text) and approves.
	signIn("rev")
	do("the reviewer's content page", 30*time.Second,
		chromedp.Navigate(e.ts.URL+"/console/content"),
		chromedp.WaitVisible(chromedp.CSS(`tr.changes .diff ins`)),
	)
	for _, tc := range []struct{ sel, want string }{
		{`tr.changes .diff del`, legalOld},
		{`tr.changes .diff ins`, legalNew},
	} {
		if got := text(tc.sel); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.sel, got, tc.want)
		}
	}
	if d := text(`tr.changes .diff`); !strings.Contains(d, legalID) || !strings.Contains(d, "legal text: needs a second person") {
		t.Errorf("the diff does not name the text as legal: %q", d)
	}
	if present(`form[action="/console/content/2/publish"]`) {
		t.Errorf("a reviewer is offered to publish")
	}
	approveShot := shot()
	do("approve", 30*time.Second,
		chromedp.Click(chromedp.CSS(`form[action="/console/content/2/approve"] button`)),
		chromedp.WaitVisible(`//p[@class="flash" and contains(., "Version approved")]`),
	)
	if vs, err = e.db.ContentVersions(ctx, 5); err != nil || vs[0].ID != 2 || vs[0].ApprovedBy != "rev" {
		t.Fatalf("version 2 after the approval: %+v %v", vs, err)
	}
	if n := e.count(`SELECT count(*) FROM audit_log a JOIN staff_accounts s ON s.id = a.staff_id WHERE a.action = 'content.approve' AND a.detail->>'version' = '2' AND s.login = 'rev'`); n != 1 {
		t.Errorf("approvals of version 2 by rev audited: %d, want 1", n)
	}
	signOut()

	// A replica follows the database, as `yol serve` does: it loads each
	// new live version into the content the bot answers from.
	lctx, stop := context.WithCancel(ctx)
	followed := make(chan struct{})
	go func() {
		defer close(followed)
		e.db.ListenContent(lctx, time.Second, func() {
			id, err := e.db.LiveContent(lctx)
			if err != nil {
				return
			}
			files, err := e.db.ContentFiles(lctx, id)
			if err != nil {
				return
			}
			if c, _ := bot.LoadPack(bot.PackFS(files)); c != nil {
				e.content.Swap(c)
			}
		})
	}()
	t.Cleanup(func() { stop(); <-followed })

	// An editor publishes (the whole check runs first).
	signIn("eda")
	do("publish", 120*time.Second,
		chromedp.Navigate(e.ts.URL+"/console/content"),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/console/content/2/publish"] button`)),
		chromedp.Click(chromedp.CSS(`form[action="/console/content/2/publish"] button`)),
		chromedp.WaitVisible(`//p[@class="flash" and contains(., "Version published")]`),
	)
	if got := e.live(); got != 2 {
		t.Fatalf("live is %d, want 2", got)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action = 'content.publish' AND detail->>'version' = '2' AND detail->>'by' = 'eda'`); n != 1 {
		t.Errorf("publishes of version 2 by eda audited: %d, want 1", n)
	}

	// The bot answers with the new title within 5 s.
	deadline := time.Now().Add(5 * time.Second)
	for e.content.Load().Texts.Text("fa", legalID, nil, nil) != legalNew {
		if time.Now().After(deadline) {
			t.Fatalf("the bot's content did not switch within 5 s: %q", e.content.Load().Texts.Text("fa", legalID, nil, nil))
		}
		time.Sleep(50 * time.Millisecond)
	}
	person := e.client()
	out := decodeSim(t, person.postJSON("/simulator/reset", map[string]string{"lang": "fa"}))
	consent := out.Replies[len(out.Replies)-1]
	if len(consent.Buttons) == 0 {
		t.Fatalf("no consent question in fa: %+v", out.Replies)
	}
	decodeSim(t, person.postJSON("/simulator/send", map[string]any{"kind": "button", "data": consent.Buttons[0][0].Data, "lang": "fa"}))
	out = decodeSim(t, person.postJSON("/simulator/send", map[string]any{"kind": "text", "text": "/articles"}))
	var labels []string
	for _, r := range out.Replies {
		for _, line := range r.Buttons {
			for _, b := range line {
				labels = append(labels, b.Label)
			}
		}
	}
	if !containsString(labels, legalNew) || containsString(labels, legalOld) {
		t.Errorf("/articles in fa after the publish: buttons %q, want %q and not %q", labels, legalNew, legalOld)
	}

	saveScreenshots(t, map[string][]byte{"editor.png": editorShot, "editor-approve.png": approveShot})
}

// containsString reports whether list holds s.
func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// jsString quotes s as a JavaScript string literal (selectors of our own).
func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// saveScreenshots writes the screenshots to the test's temporary folder,
// and to docs/ when they are missing there or YOL_UPDATE_SCREENSHOTS=1.
func saveScreenshots(t *testing.T, shots map[string][]byte) {
	t.Helper()
	tmp := t.TempDir()
	for name, png := range shots {
		if err := os.WriteFile(filepath.Join(tmp, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join("..", "..", "docs", name)
		if _, err := os.Stat(dst); err == nil && os.Getenv("YOL_UPDATE_SCREENSHOTS") != "1" {
			continue
		}
		if err := os.WriteFile(dst, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", dst)
	}
}
