package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/staff"
)

// The updates page (admins, issue #16): write an update per language for
// an audience of subscribers, see which languages of the audience lack a
// text, preview it as people read it, schedule or send it (a second person
// approves one to more than 1,000 people), and see what became of it.

// updatesStore is what the page needs of the store (*postgres.DB).
type updatesStore interface {
	AudienceLanguages(ctx context.Context, audience, value string) (map[string]int, error)
	CreateUpdate(ctx context.Context, u staff.Update) (int64, error)
	ApproveUpdate(ctx context.Context, id, staffID int64) error
	QueueUpdate(ctx context.Context, id, staffID int64, reply func(lang, text string) bot.Reply) (int, error)
	Updates(ctx context.Context) ([]staff.Update, error)
}

// updatesPath is the updates page.
const updatesPath = "/console/updates"

// maxUpdateText is the longest text of an update, in characters (one
// Telegram message).
const maxUpdateText = 4000

// routeUpdates registers the updates page.
func (s *Server) routeUpdates() {
	s.route("GET "+updatesPath, s.staffOnly(s.handleUpdates, staff.RoleAdmin))
	s.route("POST "+updatesPath, s.staffOnly(s.handleComposeUpdate, staff.RoleAdmin))
	s.route("POST "+updatesPath+"/{id}/approve", s.staffOnly(s.handleApproveUpdate, staff.RoleAdmin))
	s.route("POST "+updatesPath+"/{id}/send", s.staffOnly(s.handleSendUpdate, staff.RoleAdmin))
}

// updatesData is the updates page.
type updatesData struct {
	Languages []officeChoice // the pack's
	Regions   []officeChoice // the departments
	Form      updateForm
	Audience  []audienceLang // the form's audience, per language (after a check)
	Checked   bool
	Missing   []string // languages of the audience without a text
	// MissingList is Missing for the page: "fa, ru".
	MissingList string
	Audiences   []string // the audiences the form offers
	Previews    []updatePreview
	List        []updateRow
}

// updateForm is the compose form as sent.
type updateForm struct {
	Audience, Value, SendAt string
	Texts                   map[string]string
}

// Text returns the form's text for lang.
func (f updateForm) Text(lang string) string { return f.Texts[lang] }

// audienceLang is how many subscribers of the audience speak a language.
type audienceLang struct {
	Lang, Name string
	Count      int
	HasText    bool
}

// updatePreview is an update as a person reads it.
type updatePreview struct {
	Name, Text, Button string
	RTL                bool
}

// updateRow is a stored update in the list.
type updateRow struct {
	staff.Update
	Langs    string
	Queued   bool
	Approved bool
}

// updatesStore returns the store's updates side, or nil.
func (s *Server) updatesStore() updatesStore {
	u, _ := s.Store.(updatesStore)
	return u
}

// handleUpdates shows the page with an empty form.
func (s *Server) handleUpdates(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	s.renderUpdates(w, r, a, http.StatusOK, updateForm{Audience: staff.AudienceAll, Texts: map[string]string{}}, "", "")
}

// renderUpdates renders the page with form; checked adds the audience's
// languages and previews; errText and flash are shown as given.
func (s *Server) renderUpdates(w http.ResponseWriter, r *http.Request, a *staff.Account, code int, form updateForm, errText, flash string) {
	st := s.updatesStore()
	if st == nil {
		s.plainError(w, r, a, http.StatusNotFound, "console.error.bad_request")
		return
	}
	lang := s.lang(r, a)
	c := s.Content.Load()
	d := updatesData{Form: form, Audiences: []string{staff.AudienceAll, staff.AudienceLanguage, staff.AudienceRegion, staff.AudienceCampaign}}
	for _, l := range c.Texts.Languages() {
		d.Languages = append(d.Languages, officeChoice{ID: l.Code, Name: l.Name})
	}
	for _, o := range c.KB.Offices() {
		if o.Kind == "central" || o.Kind == "regional" {
			d.Regions = append(d.Regions, officeChoice{ID: o.ID, Name: c.Texts.Text(lang, o.Name, nil, nil)})
		}
	}
	if r.Method == http.MethodPost && validAudience(form.Audience) {
		counts, err := st.AudienceLanguages(r.Context(), form.Audience, form.Value)
		if err != nil {
			s.serverError(w, r, a, err)
			return
		}
		d.Checked = true
		d.Missing = staff.Missing(form.Texts, counts)
		d.MissingList = strings.Join(d.Missing, ", ")
		for _, l := range c.Texts.Languages() {
			if counts[l.Code] > 0 {
				d.Audience = append(d.Audience, audienceLang{Lang: l.Code, Name: l.Name, Count: counts[l.Code], HasText: strings.TrimSpace(form.Texts[l.Code]) != ""})
			}
			if t := strings.TrimSpace(form.Texts[l.Code]); t != "" {
				rep := bot.UpdateReply(c.Texts, l.Code, t)
				d.Previews = append(d.Previews, updatePreview{Name: l.Name, Text: rep.Text, Button: rep.Buttons[0][0].Label, RTL: rep.RTL})
			}
		}
	}
	list, err := st.Updates(r.Context())
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	for _, u := range list {
		var langs []string
		for _, l := range c.Texts.Languages() {
			if u.Texts[l.Code] != "" {
				langs = append(langs, l.Code)
			}
		}
		d.List = append(d.List, updateRow{Update: u, Langs: strings.Join(langs, ", "), Queued: !u.QueuedAt.IsZero(), Approved: u.ApprovedBy != 0})
	}
	p := page{Title: "console.title.updates", Nav: "updates", Account: a, Data: d, Error: errText, Flash: flash}
	s.render(w, r, code, "updates", p)
}

// validAudience reports whether a is one of the audiences.
func validAudience(a string) bool {
	switch a {
	case staff.AudienceAll, staff.AudienceLanguage, staff.AudienceRegion, staff.AudienceCampaign:
		return true
	}
	return false
}

// handleComposeUpdate checks the form (action "check": audience, missing
// languages, preview) or saves the update to go at its time ("save"),
// refusing it while a language of its audience has no text.
func (s *Server) handleComposeUpdate(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.plainError(w, r, a, http.StatusBadRequest, "console.error.bad_request")
		return
	}
	lang := s.lang(r, a)
	c := s.Content.Load()
	f := r.PostForm
	form := updateForm{Audience: f.Get("audience"), Value: strings.TrimSpace(f.Get("value")), SendAt: f.Get("send_at"), Texts: map[string]string{}}
	if form.Audience == staff.AudienceAll {
		form.Value = ""
	}
	for _, l := range c.Texts.Languages() {
		if t := strings.TrimSpace(f.Get("text_" + l.Code)); t != "" {
			form.Texts[l.Code] = t
		}
	}
	errID := ""
	sendAt := s.now()
	switch {
	case !validAudience(form.Audience):
		errID = "console.updates.bad_audience"
	case form.Audience != staff.AudienceAll && form.Value == "":
		errID = "console.updates.need_value"
	case len(form.Texts) == 0:
		errID = "console.updates.need_text"
	}
	for _, t := range form.Texts {
		if utf8.RuneCountInString(t) > maxUpdateText {
			errID = "console.updates.too_long"
		}
	}
	if form.SendAt != "" && errID == "" {
		at, err := time.ParseInLocation("2006-01-02T15:04", form.SendAt, s.zone())
		if err != nil {
			errID = "console.updates.bad_time"
		}
		sendAt = at
	}
	if errID != "" {
		if !validAudience(form.Audience) {
			form.Audience = staff.AudienceAll
		}
		s.renderUpdates(w, r, a, http.StatusBadRequest, form, s.t(lang, errID), "")
		return
	}
	if f.Get("action") != "save" {
		s.renderUpdates(w, r, a, http.StatusOK, form, "", "")
		return
	}
	counts, err := s.updatesStore().AudienceLanguages(r.Context(), form.Audience, form.Value)
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	if missing := staff.Missing(form.Texts, counts); len(missing) > 0 {
		s.renderUpdates(w, r, a, http.StatusBadRequest, form, s.t(lang, "console.updates.missing", "Languages", strings.Join(missing, ", ")), "")
		return
	}
	if _, err := s.updatesStore().CreateUpdate(r.Context(), staff.Update{Texts: form.Texts, Audience: form.Audience, AudienceValue: form.Value,
		SendAt: sendAt, CreatedBy: a.ID}); err != nil {
		s.serverError(w, r, a, err)
		return
	}
	s.renderUpdates(w, r, a, http.StatusOK, updateForm{Audience: staff.AudienceAll, Texts: map[string]string{}}, "", s.t(lang, "console.updates.saved"))
}

// updateID reads the {id} of the path, 0 when it is not a number.
func updateID(r *http.Request) int64 {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

// handleApproveUpdate records a second person's approval.
func (s *Server) handleApproveUpdate(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	lang := s.lang(r, a)
	empty := updateForm{Audience: staff.AudienceAll, Texts: map[string]string{}}
	err := s.updatesStore().ApproveUpdate(r.Context(), updateID(r), a.ID)
	switch {
	case errors.Is(err, bot.ErrNotFound):
		s.renderUpdates(w, r, a, http.StatusConflict, empty, s.t(lang, "console.updates.cannot_approve"), "")
	case err != nil:
		s.serverError(w, r, a, err)
	default:
		s.renderUpdates(w, r, a, http.StatusOK, empty, "", s.t(lang, "console.updates.approved"))
	}
}

// handleSendUpdate queues an update now.
func (s *Server) handleSendUpdate(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	lang := s.lang(r, a)
	empty := updateForm{Audience: staff.AudienceAll, Texts: map[string]string{}}
	texts := s.Content.Load().Texts
	n, err := s.updatesStore().QueueUpdate(r.Context(), updateID(r), a.ID, func(l, text string) bot.Reply { return bot.UpdateReply(texts, l, text) })
	var missing *staff.MissingTextsError
	switch {
	case errors.As(err, &missing):
		s.renderUpdates(w, r, a, http.StatusConflict, empty, s.t(lang, "console.updates.missing", "Languages", strings.Join(missing.Languages, ", ")), "")
	case errors.Is(err, staff.ErrNeedsApproval):
		s.renderUpdates(w, r, a, http.StatusConflict, empty, s.t(lang, "console.updates.needs_approval"), "")
	case errors.Is(err, staff.ErrAlreadyQueued):
		s.renderUpdates(w, r, a, http.StatusConflict, empty, s.t(lang, "console.updates.already_sent"), "")
	case errors.Is(err, bot.ErrNotFound):
		s.renderUpdates(w, r, a, http.StatusNotFound, empty, s.t(lang, "console.updates.gone"), "")
	case err != nil:
		s.serverError(w, r, a, err)
	default:
		s.renderUpdates(w, r, a, http.StatusOK, empty, "", s.t(lang, "console.updates.sent", "Count", n))
	}
}
