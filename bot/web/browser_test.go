package web_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/yol-project/yol/bot/locale"
	"github.com/yol-project/yol/bot/staff"
	"github.com/yol-project/yol/locales"
)

// findBrowser returns the system Chromium (Debian's chromium package).
func findBrowser() string {
	if p := os.Getenv("YOL_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browserAllocator starts headless Chromium for a test (stopped when it
// ends) and returns its allocator context. It fails, never skips, when
// there is no browser (CI installs it with scripts/install-test-deps);
// YOL_SKIP_BROWSER_TEST=1 skips locally.
func browserAllocator(t *testing.T) context.Context {
	t.Helper()
	if os.Getenv("YOL_SKIP_BROWSER_TEST") == "1" {
		t.Skip("YOL_SKIP_BROWSER_TEST=1")
	}
	browser := findBrowser()
	if browser == "" {
		t.Fatal("no Chromium found: run scripts/install-test-deps (apt-get install chromium), or set YOL_SKIP_BROWSER_TEST=1")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(browser),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(t.TempDir()),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	return actx
}

// missingKey matches a message key shown in place of its missing text.
var missingKey = regexp.MustCompile(`\[[a-z_]+\.[a-z_.]+\]`)

// TestBrowser drives headless Chromium through what a newcomer and an
// officer do: a person talks in the simulator and asks for a person; the
// officer signs in, opens the case from the queue, changes its status and
// writes to the person; the message appears in the person's simulator tab.
// Officers whose console is in Azerbaijani and in Russian then work the same
// case. It saves screenshots of the case page to docs/console.png (in
// Azerbaijani and Russian to docs/console.az.png and docs/console.ru.png;
// of the simulator to docs/simulator.png) when they are missing or
// YOL_UPDATE_SCREENSHOTS=1, and always to the test's temporary folder.
//
// It does not skip when the browser is missing (CI installs it with
// scripts/install-test-deps); set YOL_SKIP_BROWSER_TEST=1 to skip locally.
func TestBrowser(t *testing.T) {
	e := newEnv(t)
	e.account("leyla", staff.RoleStaff, "baku_dept")

	actx := browserAllocator(t)
	var consoleErrors []string
	sim, cancelSim := chromedp.NewContext(actx, chromedp.WithErrorf(func(f string, a ...any) { consoleErrors = append(consoleErrors, fmt.Sprintf(f, a...)) }))
	defer cancelSim()

	do := func(ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		c, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		if err := chromedp.Do(c, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(ctx context.Context, sel chromedp.CSS) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(sel))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	shot := func(ctx context.Context) []byte {
		t.Helper()
		b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot: %v", err)
		}
		return b
	}

	// The person, in the simulator (the first Run starts the browser: no timeout on it).
	if err := chromedp.Do(sim, chromedp.Navigate(e.ts.URL+"/")); err != nil {
		t.Fatalf("open the simulator: %v", err)
	}
	do(sim, "ask for a person",
		chromedp.WaitVisible(`//div[contains(@class,"bubble") and contains(., "May I keep this conversation?")]`),
		chromedp.Click(`//div[@class="buttons"]//button[.="Yes"]`),
		chromedp.WaitVisible(`//button[.="Talk to a person"]`),
		chromedp.Click(`//button[.="Talk to a person"]`),
		chromedp.WaitVisible(chromedp.CSS(`button.kbtn`)),
		chromedp.Click(chromedp.CSS(`button.kbtn`)),
		chromedp.WaitVisible(chromedp.CSS(`#contactform button`)),
		chromedp.Click(chromedp.CSS(`#contactform button`)),
		chromedp.WaitVisible(`//div[contains(@class,"bubble") and contains(., "Your case code is")]`),
	)
	if chatText := text(sim, `#chat`); !strings.Contains(chatText, "Hello! I am Yol.") {
		t.Errorf("simulator chat: %q", chatText)
	}
	// A text missing from the pack renders as its key in brackets; a
	// person must never read one (the Hide button did).
	if missing := missingKey.FindAllString(text(sim, `#chat`), -1); len(missing) > 0 {
		t.Errorf("the simulator shows message keys instead of texts: %v", missing)
	}
	simShot := shot(sim)

	// The officer, in another tab of the same browser.
	officer, cancelOfficer := chromedp.NewContext(sim)
	defer cancelOfficer()
	if err := chromedp.Do(officer, chromedp.Navigate(e.ts.URL+"/console/login")); err != nil {
		t.Fatalf("open the console: %v", err)
	}
	do(officer, "sign in",
		chromedp.WaitVisible(chromedp.CSS(`input[name=login]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=login]`), "leyla"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), "correct horse battery staple"),
		chromedp.Click(chromedp.CSS(`button[type=submit].primary`)),
		chromedp.WaitVisible(chromedp.CSS(`table.queue`)),
	)
	do(officer, "open the case",
		chromedp.Click(chromedp.CSS(`table.queue tbody tr:first-child td a`)),
		chromedp.WaitVisible(chromedp.CSS(`#change-status`)),
	)
	code := text(officer, `.code`)
	if n := e.count("SELECT count(*) FROM audit_log WHERE action = 'case.view'"); n != 1 {
		t.Errorf("case views audited: %d, want 1", n)
	}
	// The search box in the header: the code as a person reads it out on
	// the phone (small letters, no dash) opens the case.
	do(officer, "find the case by its code",
		chromedp.Navigate(e.ts.URL+"/console/cases"),
		chromedp.WaitVisible(chromedp.CSS(`table.queue`)),
		chromedp.SendKeys(chromedp.CSS(`#find-code`), strings.ToLower(strings.ReplaceAll(code, "-", ""))),
		chromedp.Click(chromedp.CSS(`form.find button`)),
		chromedp.WaitVisible(chromedp.CSS(`#change-status`)),
	)
	if found := text(officer, `.code`); found != code {
		t.Errorf("the search box opened case %q, want %q", found, code)
	}
	if n := e.count("SELECT count(*) FROM audit_log WHERE action = 'case.lookup' AND detail->>'found' = 'yes'"); n != 1 {
		t.Errorf("lookups by code audited: %d, want 1", n)
	}
	do(officer, "change the status",
		chromedp.SetValue(chromedp.CSS(`#status`), "claimed"),
		chromedp.Click(chromedp.CSS(`#change-status`)),
		chromedp.WaitVisible(`//p[@class="flash" and contains(., "Status changed to Claimed")]`),
	)
	do(officer, "write to the person",
		chromedp.SendKeys(chromedp.CSS(`#message`), "Hello, I am Leyla from the Baku department. Can you come on Monday at 10:00?"),
		chromedp.Click(chromedp.CSS(`#send-message`)),
		chromedp.WaitVisible(`//p[@class="flash" and contains(., "Message sent")]`),
	)
	if tr := text(officer, `.transcript`); !strings.Contains(tr, "I am Leyla") {
		t.Errorf("transcript lacks the staff message: %q", tr)
	}
	if n := e.count("SELECT count(*) FROM referrals WHERE code = $1 AND status = 'claimed' AND department = 'baku_dept'", code); n != 1 {
		t.Errorf("case %q not claimed in the database", code)
	}
	consoleShot := shot(officer)

	// Back in the person's tab: the status notice and the message arrive by polling.
	do(sim, "the person reads the answer",
		chromedp.WaitVisible(`//div[contains(@class,"bubble staff") and contains(., "I am Leyla")]`),
	)
	if chatText := text(sim, `#chat`); !strings.Contains(chatText, "taken by an officer") {
		t.Errorf("the status notice did not reach the simulator: %q", chatText)
	}

	// The same case, by officers whose console is in Azerbaijani, then
	// Russian: the pages, the status names and the banners are theirs.
	texts, probs := locale.Load(locales.FS, ".")
	if texts == nil {
		t.Fatalf("default locales: %v", probs)
	}
	shots := map[string][]byte{"console.png": consoleShot, "simulator.png": simShot}
	for _, lang := range []string{"az", "ru"} {
		login := "leyla_" + lang
		e.staffAccount(login, staff.RoleStaff, lang, "baku_dept")
		do(officer, "sign out",
			chromedp.Click(chromedp.CSS(`form[action="/console/logout"] button`)),
			chromedp.WaitVisible(chromedp.CSS(`input[name=login]`)),
		)
		do(officer, "sign in in "+lang,
			chromedp.SendKeys(chromedp.CSS(`input[name=login]`), login),
			chromedp.SendKeys(chromedp.CSS(`input[name=password]`), "correct horse battery staple"),
			chromedp.Click(chromedp.CSS(`button[type=submit].primary`)),
			chromedp.WaitVisible(chromedp.CSS(`html[lang=`+lang+`] table.queue`)),
		)
		if h := text(officer, `main h1`); h != texts.Text(lang, "console.queue.heading", nil, nil) {
			t.Errorf("%s: the queue's heading is %q", lang, h)
		}
		do(officer, "open the case in "+lang,
			chromedp.Click(chromedp.CSS(`table.queue tbody tr:first-child td a`)),
			chromedp.WaitVisible(chromedp.CSS(`#change-status`)),
		)
		next, err := chromedp.Run(officer, chromedp.Value(chromedp.CSS(`#status`)))
		if err != nil || next == "" {
			t.Fatalf("%s: the next status: %q %v", lang, next, err)
		}
		flash := texts.Text(lang, "console.flash.status."+next, nil, nil)
		do(officer, "change the status in "+lang,
			chromedp.Click(chromedp.CSS(`#change-status`)),
			chromedp.WaitVisible(`//p[@class="flash" and contains(., "`+flash+`")]`),
		)
		if st := text(officer, `.casehead .st`); st != texts.Text(lang, "console.status."+next, nil, nil) {
			t.Errorf("%s: the case's status reads %q", lang, st)
		}
		shots["console."+lang+".png"] = shot(officer)
	}
	// The simulator's frame, and what sim.js writes into the chat, are in
	// the console's language (Russian, the last officer's); the chat is not.
	newChat := texts.Text("ru", "console.sim.js.new_chat", nil, nil)
	do(officer, "open the simulator in Russian",
		chromedp.Navigate(e.ts.URL+"/simulator"),
		chromedp.WaitVisible(`//div[contains(@class,"bubble sys") and contains(., "`+newChat+` · /start")]`),
		chromedp.WaitVisible(`//div[contains(@class,"bubble bot") and contains(., "Hello! I am Yol.")]`),
	)
	if got, want := text(officer, `#restart`), texts.Text("ru", "console.sim.restart", nil, nil); got != want {
		t.Errorf("the simulator's restart button in Russian: got %q, want %q", got, want)
	}

	for name, png := range shots {
		if err := os.WriteFile(filepath.Join(t.TempDir(), name), png, 0o644); err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join("..", "..", "docs", name)
		if _, err := os.Stat(dst); err == nil && os.Getenv("YOL_UPDATE_SCREENSHOTS") != "1" {
			continue
		}
		os.MkdirAll(filepath.Dir(dst), 0o755)
		if err := os.WriteFile(dst, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", dst)
	}
	if len(consoleErrors) > 0 {
		t.Logf("browser errors: %v", consoleErrors)
	}
}
