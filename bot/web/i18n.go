package web

import (
	"net/http"
	"slices"
	"sync"

	"golang.org/x/text/language"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/locale"
	"github.com/yol-project/yol/bot/staff"
	"github.com/yol-project/yol/locales"
)

// The console speaks the staff's languages, from the same go-i18n bundle
// as the person's side (the content pack's locales/console.<lang>.yaml,
// message IDs console.*). Staff read referrals in Azerbaijani and Russian;
// English is the fallback.

// ConsolePrefix starts the message ID of every console text.
const ConsolePrefix = bot.ConsoleTextPrefix

// staffLanguages lists the console's languages, the fallback first: the
// pack's staff_languages (knowledge/settings.yaml), else its source
// language.
func (s *Server) staffLanguages() []string {
	if s.Content == nil {
		return []string{"en"}
	}
	c := s.Content.Load()
	if len(c.Settings.StaffLanguages) > 0 {
		return c.Settings.StaffLanguages
	}
	return []string{c.Texts.Source()}
}

// isStaffLanguage reports whether code is a staff language.
func (s *Server) isStaffLanguage(code string) bool { return slices.Contains(s.staffLanguages(), code) }

// browserLanguage is the language of langs (the fallback first) closest
// to an Accept-Language header; the fallback when nothing is close.
func browserLanguage(langs []string, accept string) string {
	tags, _, err := language.ParseAcceptLanguage(accept)
	if err != nil || len(tags) == 0 {
		return langs[0]
	}
	have := make([]language.Tag, len(langs))
	for i, l := range langs {
		have[i] = language.Make(l)
	}
	_, idx, conf := language.NewMatcher(have).Match(tags...)
	if conf == language.No {
		return langs[0]
	}
	return langs[idx]
}

// lang is the language of the console for a request: the account's own
// choice, else the browser's (before sign-in, or for an account that
// follows the browser). A language the pack has no texts for is the
// fallback's.
func (s *Server) lang(r *http.Request, a *staff.Account) string {
	langs := s.staffLanguages()
	l := langs[0]
	if a != nil && s.isStaffLanguage(a.Language) {
		l = a.Language
	} else if r != nil {
		l = browserLanguage(langs, r.Header.Get("Accept-Language"))
	}
	if s.Content == nil || s.Content.Load().Texts.Language(l) == nil {
		return langs[0]
	}
	return l
}

// texts is the pack's bundle, or nil without a pack.
func (s *Server) texts() *locale.Bundle {
	if s.Content == nil {
		return nil
	}
	return s.Content.Load().Texts
}

// t renders console message id in lang; kv are pairs of template data
// (name, value); a "Count" picks the plural form.
func (s *Server) t(lang, id string, kv ...any) string { return translate(s.texts(), lang, id, kv...) }

// tr renders console message id in the language of the request's console.
func (s *Server) tr(r *http.Request, a *staff.Account, id string, kv ...any) string {
	return s.t(s.lang(r, a), id, kv...)
}

// builtinTexts are the built-in pack's texts: the console's texts when
// the pack in use has none (a pack of another country that ships only the
// person's side).
var builtinTexts = sync.OnceValue(func() *locale.Bundle {
	b, _ := locale.Load(locales.FS, ".")
	return b
})

// consoleTexts is the bundle that holds console message id: the pack's,
// else the built-in one.
func consoleTexts(b *locale.Bundle, id string) *locale.Bundle {
	if b != nil && b.Has(b.Source(), id) {
		return b
	}
	if bi := builtinTexts(); bi != nil && bi.Has(bi.Source(), id) {
		return bi
	}
	return b
}

// translate renders console message id in lang from bundle b (the
// built-in pack's when b lacks it); kv are pairs of template data, a
// "Count" picks the plural form.
func translate(b *locale.Bundle, lang, id string, kv ...any) string {
	b = consoleTexts(b, id)
	if b == nil {
		return "[" + id + "]"
	}
	var data map[string]any
	var count any
	if len(kv) > 0 {
		data = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			k, _ := kv[i].(string)
			data[k] = kv[i+1]
			if k == "Count" {
				count = kv[i+1]
			}
		}
	}
	return b.Text(lang, id, data, count)
}

// refuseEarly answers a request refused before routing (a bad query, a
// cross-origin request) with a plain-text error in the console language of
// its session, else of its browser.
func (s *Server) refuseEarly(w http.ResponseWriter, r *http.Request, code int, id string) {
	s.plainError(w, r, s.anyAccount(r), code, id)
}

// anyAccount is the request's signed-in account, or nil (also without a
// store): for the language of an answer outside the console's handlers.
func (s *Server) anyAccount(r *http.Request) *staff.Account {
	if s.Store == nil {
		return nil
	}
	a, _ := s.sessionAccount(r)
	return a
}

// plainError answers with a plain-text error in the console's language.
func (s *Server) plainError(w http.ResponseWriter, r *http.Request, a *staff.Account, code int, id string) {
	http.Error(w, s.tr(r, a, id), code)
}
