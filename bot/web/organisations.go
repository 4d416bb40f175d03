package web

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/kb"
	"github.com/yol-project/yol/bot/org"
	"github.com/yol-project/yol/bot/staff"
)

// The organisations page (admins): who reads cases besides the
// departments the pack ships. Admins add only organisations that take
// cases through Yol; a person in danger is offered a protection partner
// for their danger first (bot/org).

// orgsData is the organisations page.
type orgsData struct {
	Departments []officeChoice // the pack's, read-only here
	Stored      []orgRow
	Kinds       []org.Kind // that admins may add
	Dangers     []org.Danger
	Cities      []officeChoice
	Languages   []officeChoice
	Form        orgRow // the form: a new one, or the one that failed
}

// orgRow is an organisation as the page shows and edits it.
type orgRow struct {
	org.Organisation
	Name string // in the staff member's language
	Edit bool   // the form edits an existing one
}

// Has reports whether the organisation protects from d (for the form's
// checkboxes).
func (o orgRow) Has(d org.Danger) bool { return slices.Contains(o.Protects, d) }

// Serves reports whether it lists city (for the form's choices).
func (o orgRow) ServesCity(city string) bool { return slices.Contains(o.Cities, city) }

// Speaks reports whether its staff speak lang.
func (o orgRow) Speaks(lang string) bool { return slices.Contains(o.Languages, lang) }

// NameIn returns the name it has in lang ("" when none).
func (o orgRow) NameIn(lang string) string { return o.Names[lang] }

// handleOrganisations shows the organisations page; ?edit=ID fills its
// form with that organisation.
func (s *Server) handleOrganisations(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	form := orgRow{}
	if id := r.URL.Query().Get("edit"); id != "" { // the form holds the organisation to edit
		stored, err := s.Store.Organisations(r.Context())
		if err != nil {
			s.serverError(w, r, a, err)
			return
		}
		for _, o := range stored {
			if o.ID == id && !o.Retired() {
				form = orgRow{Organisation: o, Edit: true}
			}
		}
	}
	s.renderOrganisations(w, r, a, http.StatusOK, form, "")
}

// renderOrganisations renders the page with form in the form and errID's
// message as the error, if any.
func (s *Server) renderOrganisations(w http.ResponseWriter, r *http.Request, a *staff.Account, code int, form orgRow, errID string) {
	lang := s.lang(r, a)
	c := s.Content.Load()
	stored, err := s.Store.Organisations(r.Context())
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	d := orgsData{Kinds: []org.Kind{org.LegalAid, org.Protection}, Dangers: org.Dangers(), Form: form}
	for _, o := range c.KB.Offices() {
		if o.Kind == "central" || o.Kind == "regional" {
			d.Departments = append(d.Departments, officeChoice{ID: o.ID, Name: c.Texts.Text(lang, o.Name, nil, nil)})
		}
	}
	for _, o := range stored {
		d.Stored = append(d.Stored, orgRow{Organisation: o, Name: o.Name(lang, c.Texts.Source()), Edit: true})
	}
	for _, city := range c.KB.Cities() {
		d.Cities = append(d.Cities, officeChoice{ID: city.ID, Name: city.Name.Get(lang)})
	}
	for _, l := range c.Texts.Languages() {
		d.Languages = append(d.Languages, officeChoice{ID: l.Code, Name: l.Name})
	}
	p := page{Title: "console.title.organisations", Nav: "organisations", Account: a, Data: d}
	if errID != "" {
		p.Error = s.t(lang, errID)
	}
	s.render(w, r, code, "organisations", p)
}

// handleSaveOrganisation adds an organisation, or saves the one edited.
func (s *Server) handleSaveOrganisation(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	r.Body = http.MaxBytesReader(w, r.Body, 32<<10)
	if err := r.ParseForm(); err != nil {
		s.plainError(w, r, a, http.StatusBadRequest, "console.error.bad_request")
		return
	}
	c := s.Content.Load()
	f := r.PostForm
	o := org.Organisation{ID: strings.TrimSpace(f.Get("id")), Kind: org.Kind(f.Get("kind")), Names: map[string]string{},
		Hours: strings.TrimSpace(f.Get("hours")), Contact: strings.TrimSpace(f.Get("contact"))}
	for _, d := range f["protects"] {
		o.Protects = append(o.Protects, org.Danger(d))
	}
	for _, l := range c.Texts.Languages() {
		if n := strings.TrimSpace(f.Get("name_" + l.Code)); n != "" {
			o.Names[l.Code] = n
		}
		if slices.Contains(f["languages"], l.Code) {
			o.Languages = append(o.Languages, l.Code)
		}
	}
	var cities []string
	for _, city := range c.KB.Cities() {
		cities = append(cities, city.ID)
	}
	o.Cities = f["cities"]
	form := orgRow{Organisation: o, Edit: f.Get("edit") == "1"}
	// The first mistake, in the staff member's language.
	errID := ""
	switch {
	case !org.ValidID(o.ID):
		errID = "console.orgs.bad_id"
	case o.Kind != org.LegalAid && o.Kind != org.Protection:
		errID = "console.orgs.bad_kind"
	case o.Names[c.Texts.Source()] == "":
		errID = "console.orgs.need_name"
	case o.Kind == org.Protection && len(o.Protects) == 0:
		errID = "console.orgs.need_danger"
	case slices.ContainsFunc(c.KB.Offices(), func(of *kb.Office) bool { return of.ID == o.ID }):
		errID = "console.orgs.id_taken"
	}
	if o.Kind != org.Protection {
		o.Protects = nil
		form.Protects = nil
	}
	if errID == "" && o.Validate(c.Texts.Source(), cities) != nil {
		errID = "console.orgs.invalid"
	}
	if errID != "" {
		s.renderOrganisations(w, r, a, http.StatusBadRequest, form, errID)
		return
	}
	err := s.Store.SaveOrganisation(r.Context(), o, form.Edit, a.ID)
	switch {
	case errors.Is(err, org.ErrExists):
		s.renderOrganisations(w, r, a, http.StatusConflict, form, "console.orgs.id_taken")
	case errors.Is(err, bot.ErrNotFound):
		s.renderOrganisations(w, r, a, http.StatusNotFound, form, "console.orgs.gone")
	case errors.Is(err, org.ErrInvalid):
		s.renderOrganisations(w, r, a, http.StatusBadRequest, form, "console.orgs.invalid")
	case err != nil:
		s.serverError(w, r, a, err)
	default:
		http.Redirect(w, r, flashURL(organisationsPath, "org-saved"), http.StatusSeeOther)
	}
}

// handleRetireOrganisation stops an organisation taking new cases.
func (s *Server) handleRetireOrganisation(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	err := s.Store.RetireOrganisation(r.Context(), r.PathValue("id"), a.ID)
	switch {
	case errors.Is(err, bot.ErrNotFound):
		s.renderOrganisations(w, r, a, http.StatusNotFound, orgRow{}, "console.orgs.gone")
	case err != nil:
		s.serverError(w, r, a, err)
	default:
		http.Redirect(w, r, flashURL(organisationsPath, "org-retired"), http.StatusSeeOther)
	}
}

// organisationsPath is the organisations page.
const organisationsPath = "/console/organisations"
