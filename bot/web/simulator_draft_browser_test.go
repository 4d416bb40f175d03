package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestSimulatorDraftInBrowser: in headless Chromium an editor signs in,
// picks draft 2 in the simulator's version list, sees the "not live"
// banner and the draft's Russian button; back on the content in use, the
// live button. Skipped only with YOL_SKIP_BROWSER_TEST=1 (as TestBrowser).
func TestSimulatorDraftInBrowser(t *testing.T) {
	e := newDraftEnv(t)
	e.pushDraft(t)

	actx := browserAllocator(t)
	var jsErrors []string
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithErrorf(func(f string, a ...any) { jsErrors = append(jsErrors, fmt.Sprintf(f, a...)) }))
	defer cancel()
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		c, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		if err := chromedp.Do(c, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel chromedp.CSS) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(sel))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(e.ts.URL+"/console/login")); err != nil {
		t.Fatalf("open the console: %v", err)
	}
	do("sign in",
		chromedp.WaitVisible(chromedp.CSS(`input[name=login]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=login]`), "eda"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), "correct horse battery staple"),
		chromedp.Click(chromedp.CSS(`button[type=submit].primary`)),
		chromedp.WaitNotPresent(chromedp.CSS(`input[name=password]`)),
	)
	do("pick draft 2",
		chromedp.Navigate(e.ts.URL+"/simulator"),
		chromedp.WaitVisible(chromedp.CSS(`#sim-version select`)),
		chromedp.SetValue(chromedp.CSS(`#sim-version select`), "2"),
		chromedp.Click(chromedp.CSS(`#sim-version button`)),
		chromedp.WaitVisible(chromedp.CSS(`#sim-draft`)),
	)
	if got := text(`#sim-draft`); !strings.Contains(got, "Draft 2 by eda — not live") {
		t.Errorf("banner: got %q", got)
	}
	do("talk to the draft in Russian",
		chromedp.SetValue(chromedp.CSS(`#lang`), "ru"),
		chromedp.Click(chromedp.CSS(`#restart`)),
		chromedp.WaitVisible(fmt.Sprintf(`//div[@class="buttons"]//button[.=%q]`, draftLabels["ru"])),
	)
	do("back to the content in use",
		chromedp.SetValue(chromedp.CSS(`#sim-version select`), ""),
		chromedp.Click(chromedp.CSS(`#sim-version button`)),
		chromedp.WaitNotPresent(chromedp.CSS(`#sim-draft`)),
		chromedp.SetValue(chromedp.CSS(`#lang`), "ru"),
		chromedp.Click(chromedp.CSS(`#restart`)),
		chromedp.WaitVisible(fmt.Sprintf(`//div[@class="buttons"]//button[.=%q]`, liveLabels["ru"])),
	)
	if got := text(`#chat`); strings.Contains(got, draftLabels["ru"]) {
		t.Errorf("the live chat shows the draft's button: %q", got)
	}
	if len(jsErrors) > 0 {
		t.Errorf("browser errors: %v", jsErrors)
	}
}
