package web

import (
	"bytes"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strings"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/locale"
	"github.com/yol-project/yol/bot/referral"
	"github.com/yol-project/yol/bot/staff"
)

type pageTemplate struct{ t *template.Template }

// templateFuncs are the functions the pages may call; dates are shown in
// the console's zone. Texts come from the page's methods (T, Status, Role),
// in the page's language.
func (s *Server) templateFuncs() template.FuncMap {
	return template.FuncMap{
		"date":  s.date,
		"day":   s.day,
		"clock": s.clock,
		"add":   func(a, b int) int { return a + b },
		"zone":  s.zoneName,
		"has":   slices.Contains[[]string],
	}
}

// mustParsePages parses layout.html with each other page once.
func mustParsePages(funcs template.FuncMap) map[string]*pageTemplate {
	layout := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html"))
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	pages := map[string]*pageTemplate{}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "layout" {
			continue
		}
		t := template.Must(template.Must(layout.Clone()).ParseFS(templateFS, f))
		pages[name] = &pageTemplate{t: t}
	}
	return pages
}

// page is what every console page gets.
type page struct {
	Title      string         // a message ID (console.title.*), rendered in Lang
	TitleData  map[string]any // its template data
	Account    *staff.Account
	Nav        string // the current section
	Flash      string // a banner set by the server; else the message of the request's ?flash= code
	Error      string
	Data       any
	Unread     int // the account's unread cases on the page: "(N) " before the title
	Version    string
	Lang       string // the console's language for this page (set by render)
	texts      *locale.Bundle
	content    *bot.Content // the content in use (set by render; nil without one)
	staffLangs []string     // the console's languages (set by render)
}

// T renders console message id in the page's language; kv are pairs of
// template data (name, value), a "Count" picks the plural form.
func (p page) T(id string, kv ...any) string { return translate(p.texts, p.Lang, id, kv...) }

// TitleText is the page's title in its language.
func (p page) TitleText() string {
	if p.Title == "" || p.texts == nil {
		return ""
	}
	return p.texts.Text(p.Lang, p.Title, p.TitleData, nil)
}

// Status is the console's name of a status (console.status.<status>),
// given as a referral.Status or as a string (bot.Referral.Status is a plain
// string).
func (p page) Status(st referral.Status) string {
	if !st.Valid() {
		return string(st)
	}
	return p.T(statusLabelID(st))
}

// PersonStatus is what the person reads of a status
// (referral.status.<status>), in the page's language.
func (p page) PersonStatus(st referral.Status) string {
	if !st.Valid() || p.texts == nil {
		return ""
	}
	return p.texts.Text(p.Lang, "referral.status."+string(st), nil, nil)
}

// Role is the console's name of a role.
func (p page) Role(r staff.Role) string {
	if !staff.ValidRole(r) {
		return string(r)
	}
	return p.T("console.role." + string(r))
}

// Known renders console message id when the pack has it, else fallback
// (a code shown as it is, such as an unknown contact method).
func (p page) Known(id, fallback string) string {
	if b := consoleTexts(p.texts, id); b == nil || !b.Has(b.Source(), id) {
		return fallback
	}
	return p.T(id)
}

// LanguageName is a language's own name ("Azərbaycanca"), or its code.
func (p page) LanguageName(code string) string {
	if p.texts != nil {
		if l := p.texts.Language(code); l != nil {
			return l.Name
		}
	}
	return code
}

// PathwayName is a pathway's title in the page's language, or its id (an
// id the content does not know, or none).
func (p page) PathwayName(id string) string {
	if p.content == nil || id == "" {
		return id
	}
	if pw := p.content.KB.Pathway(id); pw != nil && pw.Title != "" {
		return p.content.Texts.Text(p.Lang, pw.Title, nil, nil)
	}
	return id
}

// StaffLanguages lists the languages the console can be shown in.
func (p page) StaffLanguages() []string { return p.staffLangs }

// IsAdmin reports whether the signed-in account is an admin.
func (p page) IsAdmin() bool { return p.Account != nil && p.Account.Role == staff.RoleAdmin }

// SeesCases reports whether the signed-in account may see cases.
func (p page) SeesCases() bool { return p.Account != nil && p.Account.SeesCases() }

// IsEditor reports whether the signed-in account is an editor or an admin
// (facts, teaching, publishing).
func (p page) IsEditor() bool { return p.Account.Has(staff.EditorRoles...) }

// WorksOnContent reports whether the signed-in account works on the
// content (texts, drafts): admin, editor, translator or reviewer.
func (p page) WorksOnContent() bool { return p.Account.Has(staff.ContentRoles...) }

// EditsTexts reports whether the signed-in account may edit texts.
func (p page) EditsTexts() bool { return p.Account.Has(staff.TextRoles...) }

// Approves reports whether the signed-in account may approve drafts.
func (p page) Approves() bool { return p.Account.Has(staff.ApproverRoles...) }

// render writes a page in the console's language for the request's
// account (or browser); a template error is logged and answered with 500.
func (s *Server) render(w http.ResponseWriter, r *http.Request, code int, name string, p page) {
	pt := s.pages[name]
	p.Version = s.Version
	p.Lang = s.lang(r, p.Account)
	p.texts = s.texts()
	if s.Content != nil {
		p.content = s.Content.Load()
	}
	p.staffLangs = s.staffLanguages()
	if p.Flash == "" {
		if id := flashOf(r); id != "" { // the fixed message of a ?flash= code
			p.Flash = p.T(id)
		}
	}
	var buf bytes.Buffer
	if err := pt.t.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.Log.Error("render page", "page", name, "err", err)
		http.Error(w, p.T("console.error.internal"), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", p.Lang)
	w.WriteHeader(code)
	w.Write(buf.Bytes())
}

// statusLabelID is the message ID of a status's name on the console.
func statusLabelID(s referral.Status) string { return "console.status." + string(s) }
