package web

import (
	"bytes"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/yol-project/yol/bot/referral"
	"github.com/yol-project/yol/bot/staff"
)

type pageTemplate struct{ t *template.Template }

// templateFuncs are the functions the pages may call; dates are shown in
// the console's zone.
func (s *Server) templateFuncs() template.FuncMap {
	return template.FuncMap{
		"date":  s.date,
		"day":   s.day,
		"clock": s.clock,
		"label": statusLabel,
		"add":   func(a, b int) int { return a + b },
		"zone":  s.zoneName,
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
	Title   string
	Account *staff.Account
	Nav     string // the current section
	Flash   string // a banner set by the server; else the message of the request's ?flash= code
	Error   string
	Data    any
	Version string
}

func (p page) IsAdmin() bool   { return p.Account != nil && p.Account.Role == staff.RoleAdmin }
func (p page) SeesCases() bool { return p.Account != nil && p.Account.SeesCases() }
func (p page) IsEditor() bool {
	return p.Account != nil && (p.Account.Role == staff.RoleEditor || p.Account.Role == staff.RoleAdmin)
}

// render writes a page; a template error is logged and answered with 500.
func (s *Server) render(w http.ResponseWriter, r *http.Request, code int, name string, p page) {
	pt := s.pages[name]
	p.Version = s.Version
	if p.Flash == "" {
		p.Flash = flashOf(r) // the fixed message of a ?flash= code
	}
	var buf bytes.Buffer
	if err := pt.t.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.Log.Error("render page", "page", name, "err", err)
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	w.Write(buf.Bytes())
}

// statusLabels are the statuses' names in the console (English; the
// person reads referral.status.<status> in their own language).
var statusLabels = map[referral.Status]string{
	referral.StatusNew: "New", referral.StatusClaimed: "Claimed", referral.StatusContacted: "Contacted",
	referral.StatusAppointment: "Appointment", referral.StatusSubmitted: "Submitted", referral.StatusRegularized: "Regularized",
	referral.StatusNotEligible: "Not eligible", referral.StatusNoResponse: "No response", referral.StatusWithdrawn: "Withdrawn",
}

// statusLabel is the console's name of a status, given as a referral.Status
// or as a string (bot.Referral.Status is a plain string).
func statusLabel(s referral.Status) string {
	if l, ok := statusLabels[s]; ok {
		return l
	}
	return string(s)
}
