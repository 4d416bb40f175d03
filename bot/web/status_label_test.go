package web

import (
	"testing"

	"github.com/yol-project/yol/bot/locale"
	"github.com/yol-project/yol/bot/referral"
	"github.com/yol-project/yol/locales"
)

// TestEveryStatusHasALabel: the console names every status of the workflow
// (and so has a flash banner for every change), in every staff language of
// the default pack; the person's text of each status exists there too.
func TestEveryStatusHasALabel(t *testing.T) {
	texts, probs := locale.Load(locales.FS, ".")
	if texts == nil {
		t.Fatalf("default locales: %v", probs)
	}
	for _, s := range referral.Statuses() {
		id, ok := flashMessages[statusFlash(s)]
		if !ok {
			t.Errorf("status %q has no flash banner", s)
		}
		for _, lang := range []string{"en", "az", "ru"} { // knowledge/settings.yaml
			for _, want := range []string{statusLabelID(s), id, "referral.status." + string(s)} {
				if !texts.Has(lang, want) {
					t.Errorf("status %q: %s is missing in %s", s, want, lang)
				}
			}
		}
	}
	p := page{Lang: "en", texts: texts}
	if got := p.Status("not_eligible"); got != "Not eligible" {
		t.Errorf("label of a plain string: %q", got)
	}
	if got := p.Status("bogus"); got != "bogus" {
		t.Errorf("label of an unknown status: %q", got)
	}
	p.Lang = "ru"
	if got := p.Status(referral.StatusClaimed); got == "Claimed" || got == "" {
		t.Errorf("Russian label of claimed: %q", got)
	}
}

// TestBrowserLanguage: before sign-in the console follows Accept-Language
// among the staff languages, English when nothing is close.
func TestBrowserLanguage(t *testing.T) {
	for accept, want := range map[string]string{
		"":                        "en",
		"ru-RU,ru;q=0.9,en;q=0.8": "ru",
		"az":                      "az",
		"az-Latn-AZ":              "az",
		"fa-IR,fa;q=0.9":          "en",
		"de, ru;q=0.5":            "ru",
		"tr-TR, en;q=0.3":         "en",
		"en-GB":                   "en",
		"!!!":                     "en",
	} {
		if got := browserLanguage([]string{"en", "az", "ru"}, accept); got != want {
			t.Errorf("Accept-Language %q: %s, want %s", accept, got, want)
		}
	}
}
