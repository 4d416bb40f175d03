package web_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/yol-project/yol/bot/staff"
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

// TestBrowser drives headless Chromium through what a newcomer and an
// officer do: a person talks in the simulator and asks for a person; the
// officer signs in, opens the case from the queue, changes its status and
// writes to the person; the message appears in the person's simulator tab.
// It saves screenshots of the case page to docs/console.png (and of the
// simulator to docs/simulator.png) when they are missing or
// YOL_UPDATE_SCREENSHOTS=1, and always to the test's temporary folder.
//
// It does not skip when the browser is missing (CI installs it with
// scripts/install-test-deps); set YOL_SKIP_BROWSER_TEST=1 to skip locally.
func TestBrowser(t *testing.T) {
	if os.Getenv("YOL_SKIP_BROWSER_TEST") == "1" {
		t.Skip("YOL_SKIP_BROWSER_TEST=1")
	}
	browser := findBrowser()
	if browser == "" {
		t.Fatal("no Chromium found: run scripts/install-test-deps (apt-get install chromium), or set YOL_SKIP_BROWSER_TEST=1")
	}
	e := newEnv(t)
	e.account("leyla", staff.RoleStaff, "baku_dept")

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
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
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

	for name, png := range map[string][]byte{"console.png": consoleShot, "simulator.png": simShot} {
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
