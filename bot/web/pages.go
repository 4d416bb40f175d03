package web

import (
	"bytes"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/yol-project/yol/bot/web/console"
)

type pageTemplate struct{ t *template.Template }

var funcs = template.FuncMap{
	"date": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(baku).Format("2006-01-02 15:04")
	},
	"day": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(baku).Format("2006-01-02")
	},
	"clock": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(baku).Format("15:04")
	},
	"label": statusLabel,
	"add":   func(a, b int) int { return a + b },
}

// baku is the time zone of the console's dates (Azerbaijan has no DST).
var baku = time.FixedZone("Asia/Baku", 4*3600)

// mustParsePages parses layout.html with each other page once.
func mustParsePages() map[string]*pageTemplate {
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
	Account *console.Account
	Nav     string // the current section
	Flash   string // a banner set by the server; else the message of the request's ?flash= code
	Error   string
	Data    any
	Version string
}

func (p page) IsAdmin() bool   { return p.Account != nil && p.Account.Role == console.RoleAdmin }
func (p page) SeesCases() bool { return p.Account != nil && p.Account.SeesCases() }
func (p page) IsEditor() bool {
	return p.Account != nil && (p.Account.Role == console.RoleEditor || p.Account.Role == console.RoleAdmin)
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

var statusLabels = map[string]string{
	"new": "New", "claimed": "Claimed", "contacted": "Contacted", "appointment": "Appointment",
	"submitted": "Submitted", "regularized": "Regularized", "not_eligible": "Not eligible",
	"no_response": "No response", "withdrawn": "Withdrawn",
}

func statusLabel(s string) string {
	if l, ok := statusLabels[s]; ok {
		return l
	}
	return s
}
