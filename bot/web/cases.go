package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/referral"
	"github.com/yol-project/yol/bot/staff"
)

// routeConsole registers the console's pages with the roles that may use
// each.
func (s *Server) routeConsole() {
	caseRoles := []staff.Role{staff.RoleAdmin, staff.RoleStaff}
	everyone := staff.Roles
	s.route("GET /console/login", s.handleLoginPage)
	s.route("POST /console/login", s.handleLogin)
	s.route("POST /console/logout", s.staffOnly(s.handleLogout, everyone...))
	s.route("GET /console", s.staffOnly(s.handleHome, everyone...))
	s.route("GET /console/cases", s.staffOnly(s.handleQueue, caseRoles...))
	s.route("GET /console/cases/{id}", s.staffOnly(s.handleCase, caseRoles...))
	s.route("GET /console/find", s.staffOnly(s.handleFind, caseRoles...))
	s.route("POST /console/cases/{id}/translate", s.staffOnly(s.handleTranslate, caseRoles...))
	s.route("POST /console/cases/{id}/status", s.staffOnly(s.handleStatus, caseRoles...))
	s.route("POST /console/cases/{id}/appointment", s.staffOnly(s.handleAppointment, caseRoles...))
	s.route("POST /console/cases/{id}/notes", s.staffOnly(s.handleNote, caseRoles...))
	s.route("POST /console/cases/{id}/message", s.staffOnly(s.handleMessage, caseRoles...))
	s.route("POST /console/cases/{id}/handover", s.staffOnly(s.handleHandover, caseRoles...))
	s.route("GET /console/dashboard", s.staffOnly(s.handleDashboard, everyone...))
	s.route("GET /console/dashboard.csv", s.staffOnly(s.handleDashboardCSV, everyone...))
	s.route("GET /console/coverage", s.staffOnly(s.handleCoverage, staff.ContentRoles...))
	s.route("GET /console/unanswered", s.staffOnly(s.handleUnanswered, staff.EditorRoles...))
	s.route("POST /console/unanswered/teach", s.staffOnly(s.handleTeachUnanswered, staff.EditorRoles...))
	s.route("GET /console/campaigns", s.staffOnly(s.handleCampaigns, staff.EditorRoles...))
	s.route("POST /console/campaigns", s.staffOnly(s.handleCreateCampaign, staff.EditorRoles...))
	s.route("GET /console/campaigns/{id}/qr.png", s.staffOnly(s.handleCampaignQR("png"), staff.EditorRoles...))
	s.route("GET /console/campaigns/{id}/qr.svg", s.staffOnly(s.handleCampaignQR("svg"), staff.EditorRoles...))
	s.route("GET /console/accounts", s.staffOnly(s.handleAccounts, staff.RoleAdmin))
	s.route("GET /console/organisations", s.staffOnly(s.handleOrganisations, staff.RoleAdmin))
	s.route("POST /console/organisations", s.staffOnly(s.handleSaveOrganisation, staff.RoleAdmin))
	s.route("POST /console/organisations/{id}/retire", s.staffOnly(s.handleRetireOrganisation, staff.RoleAdmin))
	s.routeUpdates()
	s.route("GET /console/content", s.staffOnly(s.handleContent, staff.ContentRoles...))
	s.route("POST /console/content/{id}/approve", s.staffOnly(s.handleApproveContent, staff.ApproverRoles...))
	s.route("POST /console/content/{id}/publish", s.staffOnly(s.handlePublishContent, staff.EditorRoles...))
	s.route("GET /console/texts", s.staffOnly(s.handleTexts, staff.ContentRoles...))
	s.route("POST /console/texts", s.staffOnly(s.handleSaveText, staff.TextRoles...))
	s.route("POST /console/texts/check", s.staffOnly(s.handleCheckText, staff.TextRoles...))
	s.route("POST /console/texts/review", s.staffOnly(s.handleReviewText, staff.ContentRoles...))
	s.route("GET /console/texts.js", s.handleTextsScript)
	s.route("GET /console/facts", s.staffOnly(s.handleFacts, staff.EditorRoles...))
	s.route("POST /console/facts", s.staffOnly(s.handleSaveFact, staff.EditorRoles...))
	s.route("POST /console/accounts", s.staffOnly(s.handleCreateAccount, staff.RoleAdmin))
	s.route("POST /console/accounts/{id}/disable", s.staffOnly(s.handleDisableAccount, staff.RoleAdmin))
	s.route("POST /console/accounts/{id}/languages", s.staffOnly(s.handleAccountLanguages, staff.RoleAdmin))
	s.route("GET /console/audit", s.staffOnly(s.handleAudit, staff.RoleAdmin))
	s.route("GET /console/audit.csv", s.staffOnly(s.handleAuditCSV, staff.RoleAdmin))
}

// handleHome sends accounts that see cases to the queue, others to the
// dashboard.
func (s *Server) handleHome(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	if a.SeesCases() {
		http.Redirect(w, r, "/console/cases", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/console/dashboard", http.StatusSeeOther)
}

// serverError logs err and shows a generic error page.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, a *staff.Account, err error) {
	s.Log.Error("console", "path", r.URL.Path, "err", err)
	s.render(w, r, http.StatusInternalServerError, "error", page{Title: "console.title.error", Account: a, Error: s.tr(r, a, "console.error.internal")})
}

// notFound shows the "No such case" page.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	s.render(w, r, http.StatusNotFound, "error", page{Title: "console.title.not_found", Account: a, Error: s.tr(r, a, "console.error.no_case")})
}

// queueRow is one line of the queue.
type queueRow struct {
	staff.Case
	Overdue   bool
	AgeDays   int
	Simulator bool
	// DepartmentName names the case's department or organisation.
	DepartmentName string
}

// queueChoice is an option of a filter: its value and what staff read.
type queueChoice struct{ ID, Name string }

type queueData struct {
	Rows        []queueRow
	Filter      staff.QueueFilter
	Statuses    []referral.Status
	Departments []queueChoice
	Languages   []string
	AgeChoices  []int
	// The filters of a page beyond Filter's (which holds what the store
	// takes): claimed by me, unclaimed, waiting for the person, overdue.
	Mine, Unclaimed, Waiting, Overdue bool
	// Total counts the cases that match the filter on every page.
	Total int
	// NextURL is the next page's address ("" on the last); FirstURL the
	// first page's, with the same filters ("" on the first).
	NextURL, FirstURL string
}

// handleQueue shows the referrals in the account's scope, filtered by
// status, department, language and age; open cases by default.
func (s *Server) handleQueue(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	s.showQueue(w, r, a, "")
}

// departmentsOf lists the organisation ids an account may filter by: a
// staff member's own; for an admin the pack's departments and the
// organisations admins added.
func (s *Server) departmentsOf(ctx context.Context, a *staff.Account) ([]string, error) {
	if a.Role == staff.RoleStaff {
		return a.Departments, nil
	}
	orgs, err := s.organisations(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, o := range orgs {
		out = append(out, o.ID)
	}
	return out, nil
}

type caseData struct {
	staff.CaseFile
	Next       []referral.Status
	Overdue    bool
	Simulator  bool
	ApptDate   string
	ApptTime   string
	LangName   string
	Department string
	HandoverTo string // the organisation the case waits to go to (the person has not agreed yet)
	// Draft and DraftTranslation are a reply being translated: what the
	// staff member wrote and the model's translation, shown before sending.
	Draft, DraftTranslation string
	// SameLanguage: the person reads the staff member's language;
	// HasModel: a model can translate replies.
	SameLanguage, HasModel bool
	Handover               []handoverChoice // where the case may be handed
	CanMessage             bool
	SummaryRows            []string
	// CanTranslate: a model is configured to translate the person's messages.
	CanTranslate bool
	// Translations holds translations of the person's messages into the
	// staff member's language, by message id, after staff asked for them.
	Translations map[int64]string
}

// caseID returns the request's {id}, and whether it is a valid case ID.
func caseID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

// handleCase shows a case.
func (s *Server) handleCase(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	if d, ok := s.openCase(w, r, a); ok {
		s.render(w, r, http.StatusOK, "case", casePage(a, d))
	}
}

// casePage is the case page of d.
func casePage(a *staff.Account, d caseData) page {
	return page{Title: "console.title.case", TitleData: map[string]any{"Code": d.Case.Code}, Nav: "cases", Account: a, Data: d}
}

// translateLimit is how many of the person's latest messages one request
// translates.
const translateLimit = 30

// translateBudget is how long one request may spend asking the model to
// translate: it ends well within DefaultHTTPLimits.Write, and the messages
// not translated by then are counted as failed.
const translateBudget = 40 * time.Second

// handleTranslate shows the case with the person's messages translated into
// the staff member's language by the model (redacted before they leave the machine).
func (s *Server) handleTranslate(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	d, ok := s.openCase(w, r, a)
	if !ok {
		return
	}
	if s.Translator == nil {
		p := casePage(a, d)
		p.Error = s.tr(r, a, "console.case.no_model")
		s.render(w, r, http.StatusOK, "case", p)
		return
	}
	if err := s.Store.Audit(r.Context(), staff.AuditEntry{StaffID: a.ID, Action: "case.translate", ReferralID: d.Case.ID}); err != nil {
		s.serverError(w, r, a, err)
		return
	}
	lang := s.lang(r, a) // into the staff member's language
	d.Translations = map[int64]string{}
	failed := 0
	ctx, cancel := context.WithTimeout(r.Context(), translateBudget)
	defer cancel()
	for i := len(d.Transcript) - 1; i >= 0 && len(d.Translations)+failed < translateLimit; i-- {
		m := d.Transcript[i]
		if m.Direction != bot.DirIn || m.Kind != "text" {
			continue
		}
		t, err := s.Translator.Translate(ctx, m.Text, lang)
		if err != nil {
			failed++
			continue
		}
		d.Translations[m.ID] = t
	}
	p := casePage(a, d)
	p.Flash = s.t(lang, "console.case.translated")
	if failed > 0 {
		p.Error = s.t(lang, "console.case.translate_failed", "Count", failed)
	}
	s.render(w, r, http.StatusOK, "case", p)
}

// openCase loads the case of the request's {id} in the account's scope (an
// audited view) and prepares it for the case page; on failure it has
// answered already.
func (s *Server) openCase(w http.ResponseWriter, r *http.Request, a *staff.Account) (caseData, bool) {
	id, ok := caseID(r)
	if !ok {
		s.notFound(w, r, a)
		return caseData{}, false
	}
	f, err := s.Store.OpenCase(r.Context(), a.Scope(), id, a.ID)
	if errors.Is(err, bot.ErrNotFound) {
		s.notFound(w, r, a)
		return caseData{}, false
	}
	if err != nil {
		s.serverError(w, r, a, err)
		return caseData{}, false
	}
	c := &f.Case
	status := c.Status
	d := caseData{CaseFile: *f, Next: status.Next(), Overdue: s.overdue(c, s.now()), Simulator: c.Channel == bot.ChannelSimulator,
		ApptDate: s.day(c.AppointmentAt), ApptTime: s.clock(c.AppointmentAt), CanMessage: c.ConversationID != 0 && !status.Closed()}
	content := s.Content.Load()
	lang := s.lang(r, a)
	if l := content.Texts.Language(c.Language); l != nil {
		d.LangName = l.Name
	}
	name, err := s.orgNamer(r.Context(), lang)
	if err != nil {
		s.serverError(w, r, a, err)
		return caseData{}, false
	}
	d.Department = name(c.Department)
	if c.HandoverTo != "" {
		d.HandoverTo = name(c.HandoverTo)
	}
	if !status.Closed() && c.HandoverTo == "" {
		if d.Handover, err = s.handoverChoices(r, c, name); err != nil {
			s.serverError(w, r, a, err)
			return caseData{}, false
		}
	}
	summary := c.Summary
	if t, ok := c.Summaries[lang]; ok { // in the staff member's language
		summary = t
	}
	for line := range strings.SplitSeq(strings.TrimSpace(summary), "\n") {
		if line != "" {
			d.SummaryRows = append(d.SummaryRows, line)
		}
	}
	// The texts the store writes itself, in the staff member's language.
	for i, n := range d.Notes {
		switch {
		case n.Staff == "" && n.Text == staff.WithdrawnNote:
			d.Notes[i].Text = s.t(lang, "console.case.note_withdrawn")
		case n.Text == staff.Unreadable:
			d.Notes[i].Text = s.t(lang, "console.case.unreadable")
		}
	}
	for i, m := range d.Transcript {
		if m.Text == staff.Unreadable {
			d.Transcript[i].Text = s.t(lang, "console.case.unreadable")
		}
	}
	d.CanTranslate = s.Translator != nil && len(f.Transcript) > 0
	d.SameLanguage, d.HasModel = c.Language == lang, s.Translator != nil
	return d, true
}

// overdue reports whether a case waited too long to be claimed, counting
// working days in the console's zone.
func (s *Server) overdue(c *staff.Case, now time.Time) bool {
	return referral.Overdue(c.Status, c.CreatedAt, now, s.zone())
}

// caseForm parses a case form; on failure it has answered.
func (s *Server) caseForm(w http.ResponseWriter, r *http.Request, a *staff.Account) (int64, bool) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	id, ok := caseID(r)
	if !ok || r.ParseForm() != nil {
		s.notFound(w, r, a)
		return 0, false
	}
	return id, true
}

// afterChange answers a case change: back to the case with the banner of
// the flash code done.
func (s *Server) afterChange(w http.ResponseWriter, r *http.Request, a *staff.Account, id int64, err error, done string) {
	back := "/console/cases/" + strconv.FormatInt(id, 10)
	switch {
	case errors.Is(err, bot.ErrNotFound):
		s.notFound(w, r, a)
	case errors.Is(err, referral.ErrTransition):
		s.render(w, r, http.StatusConflict, "error", page{Title: "console.title.not_allowed", Account: a,
			Error: s.tr(r, a, "console.error.transition")})
	case errors.Is(err, errInput):
		http.Redirect(w, r, flashURL(back, "invalid-form"), http.StatusSeeOther)
	case errors.Is(err, staff.ErrNoAppointment):
		http.Redirect(w, r, flashURL(back, "no-appointment"), http.StatusSeeOther)
	case err != nil:
		s.serverError(w, r, a, err)
	default:
		http.Redirect(w, r, flashURL(back, done), http.StatusSeeOther)
	}
}

// errInput is a case form's invalid input: the case again, with a banner.
var errInput = errors.New("bad input")

// handleStatus moves a case to another status and tells the person.
func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	id, ok := s.caseForm(w, r, a)
	if !ok {
		return
	}
	to := referral.Status(r.PostForm.Get("status"))
	if !to.Valid() {
		s.afterChange(w, r, a, id, referral.ErrTransition, "")
		return
	}
	err := s.Store.ChangeStatus(r.Context(), a.Scope(), id, a.ID, to, s.statusNotice(to))
	s.afterChange(w, r, a, id, err, statusFlash(to))
}

// handleAppointment sets a case's appointment (date, time and place in the
// console's zone) and tells the person; "cancel" (or an empty date and
// time) cancels it, and the person is told when it was still to come.
func (s *Server) handleAppointment(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	id, ok := s.caseForm(w, r, a)
	if !ok {
		return
	}
	date, tm := r.PostForm.Get("date"), r.PostForm.Get("time")
	place := strings.TrimSpace(r.PostForm.Get("place"))
	var at time.Time
	flash := "appointment-cancelled"
	if r.PostForm.Has("cancel") {
		date, tm, place = "", "", ""
	}
	if date != "" || tm != "" {
		flash = "appointment-set"
		var err error
		at, err = time.ParseInLocation("2006-01-02 15:04", date+" "+tm, s.zone())
		if err != nil || len(place) > 300 || place == "" {
			s.afterChange(w, r, a, id, errInput, "")
			return
		}
	}
	err := s.Store.SetAppointment(r.Context(), a.Scope(), id, a.ID, at, place, s.appointmentNotice())
	s.afterChange(w, r, a, id, err, flash)
}

// formText reads the form's non-empty "text" of at most max bytes; otherwise
// it answers with the input error and ok is false.
func (s *Server) formText(w http.ResponseWriter, r *http.Request, a *staff.Account, id int64, max int) (string, bool) {
	text := strings.TrimSpace(r.PostForm.Get("text"))
	if text == "" || len(text) > max {
		s.afterChange(w, r, a, id, errInput, "")
		return "", false
	}
	return text, true
}

// handleNote adds a staff note to a case.
func (s *Server) handleNote(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	id, ok := s.caseForm(w, r, a)
	if !ok {
		return
	}
	text, ok := s.formText(w, r, a, id, 8000)
	if !ok {
		return
	}
	err := s.Store.AddNote(r.Context(), a.Scope(), id, a.ID, text)
	s.afterChange(w, r, a, id, err, "note-added")
}

// handleMessage sends the person of a case a message from staff.
func (s *Server) handleMessage(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	id, ok := s.caseForm(w, r, a)
	if !ok {
		return
	}
	text, ok := s.formText(w, r, a, id, 4000)
	if !ok {
		return
	}
	if r.PostForm.Get("translate") != "" {
		s.previewReply(w, r, a, text)
		return
	}
	err := s.Store.MessagePerson(r.Context(), a.Scope(), id, a.ID, text)
	if errors.Is(err, staff.ErrNoConversation) {
		err = errInput
	}
	// A translated reply keeps what the staff member wrote, as a note.
	if original := strings.TrimSpace(r.PostForm.Get("original")); err == nil && original != "" && len(original) <= 4000 {
		err = s.Store.AddNote(r.Context(), a.Scope(), id, a.ID, s.tr(r, a, "console.case.original_note", "Text", original))
	}
	s.afterChange(w, r, a, id, err, "message-sent")
}

// previewReply shows the case with what the staff member wrote and the
// model's translation into the person's language, both editable, before
// anything is sent.
func (s *Server) previewReply(w http.ResponseWriter, r *http.Request, a *staff.Account, text string) {
	d, ok := s.openCase(w, r, a)
	if !ok {
		return
	}
	p := casePage(a, d)
	if s.Translator == nil {
		p.Error = s.tr(r, a, "console.case.no_model")
		s.render(w, r, http.StatusOK, "case", p)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), translateBudget)
	defer cancel()
	translated, err := s.Translator.TranslateReply(ctx, text, s.lang(r, a), d.Case.Language)
	d.Draft = text
	if err != nil {
		p.Error = s.tr(r, a, "console.case.reply_not_translated")
	} else {
		d.DraftTranslation = translated
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "case", p)
}
