package web

import (
	"context"
	"encoding/csv"
	"errors"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/locale"
	"github.com/yol-project/yol/bot/staff"
)

type accountsData struct {
	Accounts  []staff.Account
	Offices   []officeChoice
	Roles     []staff.Role
	DeptNames map[string]string // the accounts' departments by id, named in the console's language
	// ContentLanguages are the languages a translator may work on (the
	// content's but its source): code and name.
	ContentLanguages []officeChoice
}

// contentLanguageChoices lists the languages a translator may work on,
// with their names.
func (s *Server) contentLanguageChoices() []officeChoice {
	c := s.Content.Load()
	var out []officeChoice
	for _, code := range TranslationLanguages(c) {
		out = append(out, officeChoice{ID: code, Name: c.Texts.Language(code).Name})
	}
	return out
}

type officeChoice struct{ ID, Name string }

// offices lists what staff may work for, with names in lang: the pack's
// offices, then the organisations admins added that take cases.
func (s *Server) offices(ctx context.Context, lang string) ([]officeChoice, error) {
	var out []officeChoice
	c := s.Content.Load()
	for _, o := range c.KB.Offices() {
		out = append(out, officeChoice{ID: o.ID, Name: c.Texts.Text(lang, o.Name, nil, nil)})
	}
	stored, err := s.Store.Organisations(ctx)
	if err != nil {
		return nil, err
	}
	for _, o := range stored {
		if !o.Retired() {
			out = append(out, officeChoice{ID: o.ID, Name: o.Name(lang, c.Texts.Source())})
		}
	}
	return out, nil
}

// handleAccounts shows the list of staff accounts.
func (s *Server) handleAccounts(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	s.renderAccounts(w, r, a, http.StatusOK, "", "")
}

// renderAccounts renders the accounts page with the given status code,
// banner and error.
func (s *Server) renderAccounts(w http.ResponseWriter, r *http.Request, a *staff.Account, code int, flash, errMsg string) {
	list, err := s.Store.Accounts(r.Context())
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	lang := s.lang(r, a)
	offices, err := s.offices(r.Context(), lang)
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	name, err := s.orgNamer(r.Context(), lang)
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	d := accountsData{Accounts: list, Offices: offices, Roles: staff.Roles, DeptNames: map[string]string{}, ContentLanguages: s.contentLanguageChoices()}
	for _, acc := range list {
		for _, id := range acc.Departments {
			d.DeptNames[id] = name(id)
		}
	}
	s.render(w, r, code, "accounts", page{Title: "console.title.accounts", Nav: "accounts", Account: a, Data: d, Flash: flash, Error: errMsg})
}

// handleCreateAccount creates a staff account with a generated password,
// which the page shows once.
func (s *Server) handleCreateAccount(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		s.plainError(w, r, a, http.StatusBadRequest, "console.error.bad_request")
		return
	}
	offices, err := s.offices(r.Context(), "")
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	var ids []string
	for _, o := range offices {
		ids = append(ids, o.ID)
	}
	lang := s.lang(r, a)
	password := GeneratePassword()
	acct, err := CreateAccount(r.Context(), s.Store, AccountRequest{Login: r.PostForm.Get("login"), Name: r.PostForm.Get("name"),
		Role: staff.Role(r.PostForm.Get("role")), Departments: r.PostForm["departments"], Language: r.PostForm.Get("language"), Languages: s.staffLanguages(),
		ContentLanguages: r.PostForm["content_languages"], Translatable: TranslationLanguages(s.Content.Load())}, password, ids, a.ID)
	if errors.Is(err, staff.ErrLoginTaken) {
		s.renderAccounts(w, r, a, http.StatusConflict, "", s.t(lang, "console.accounts.taken"))
		return
	}
	var ae *AccountError
	if errors.As(err, &ae) {
		s.renderAccounts(w, r, a, http.StatusBadRequest, "", s.t(lang, ae.ID, ae.Data...))
		return
	}
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	// The password is shown once, on this page (never in a URL or a log).
	s.renderAccounts(w, r, a, http.StatusOK, s.t(lang, "console.accounts.created", "Login", acct.Login, "Password", password), "")
}

// handleDisableAccount disables an account, or enables it again when the
// form says enable; an admin cannot disable their own.
func (s *Server) handleDisableAccount(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || r.ParseForm() != nil {
		s.plainError(w, r, a, http.StatusBadRequest, "console.error.bad_request")
		return
	}
	if id == a.ID {
		s.renderAccounts(w, r, a, http.StatusBadRequest, "", s.tr(r, a, "console.accounts.disable_own"))
		return
	}
	disable := r.PostForm.Get("enable") == ""
	err = s.Store.SetAccountDisabled(r.Context(), id, disable, a.ID)
	if errors.Is(err, bot.ErrNotFound) {
		s.notFound(w, r, a)
		return
	}
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	http.Redirect(w, r, flashURL("/console/accounts", "account-updated"), http.StatusSeeOther)
}

// handleAccountLanguages sets the content languages a translator works on
// (at least one of the content's, never its source).
func (s *Server) handleAccountLanguages(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || r.ParseForm() != nil {
		s.plainError(w, r, a, http.StatusBadRequest, "console.error.bad_request")
		return
	}
	langs, err := contentLanguages(staff.RoleTranslator, r.PostForm["content_languages"], TranslationLanguages(s.Content.Load()))
	var ae *AccountError
	if errors.As(err, &ae) {
		s.renderAccounts(w, r, a, http.StatusBadRequest, "", s.tr(r, a, ae.ID, ae.Data...))
		return
	}
	err = s.Store.SetAccountContentLanguages(r.Context(), id, langs, a.ID)
	switch {
	case errors.Is(err, bot.ErrNotFound):
		s.notFound(w, r, a)
	case errors.Is(err, staff.ErrNotTranslator):
		s.renderAccounts(w, r, a, http.StatusBadRequest, "", s.tr(r, a, "console.accounts.not_translator"))
	case err != nil:
		s.serverError(w, r, a, err)
	default:
		http.Redirect(w, r, flashURL("/console/accounts", "account-updated"), http.StatusSeeOther)
	}
}

// handleAudit shows the audit log, 200 entries a page, older pages by
// ?before=.
func (s *Server) handleAudit(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	entries, err := s.Store.AuditLog(r.Context(), before, 200)
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	var next int64
	if len(entries) == 200 {
		next = entries[len(entries)-1].ID
	}
	s.render(w, r, http.StatusOK, "audit", page{Title: "console.title.audit", Nav: "audit", Account: a,
		Data: struct {
			Entries []staff.AuditEntry
			Next    int64
		}{entries, next}})
}

// auditCSVPage is how many entries the CSV export reads at a time, and
// auditCSVPageTime how long it may take to write one: the deadline moves
// on with each page, so that a long log is not cut off by the server's
// write timeout (HTTPLimits.Write) while a stalled download still is.
const (
	auditCSVPage     = 1000
	auditCSVPageTime = 30 * time.Second
)

// handleAuditCSV sends the whole audit log as CSV, newest first, and
// audits the export (first: the file holds its own row). The entries are
// read a page at a time by id (keyset, not OFFSET) and written as they
// come, so memory stays flat however long the log is; entries written
// after the export began are not in it.
func (s *Server) handleAuditCSV(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	ctx := r.Context()
	if err := s.Store.Audit(ctx, staff.AuditEntry{StaffID: a.ID, Action: "audit.export"}); err != nil {
		s.serverError(w, r, a, err)
		return
	}
	entries, err := s.Store.AuditLog(ctx, 0, auditCSVPage)
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="yol-audit.csv"`)
	rc := http.NewResponseController(w)
	cw := csv.NewWriter(w)
	cw.Write([]string{"id", "at", "staff", "action", "referral_id", "detail"})
	for len(entries) > 0 {
		_ = rc.SetWriteDeadline(time.Now().Add(auditCSVPageTime)) // where not supported, the server's timeout stands
		for _, e := range entries {
			cw.Write(auditCSVRow(e))
		}
		cw.Flush()
		if len(entries) < auditCSVPage {
			return
		}
		if entries, err = s.Store.AuditLog(ctx, entries[len(entries)-1].ID, auditCSVPage); err != nil {
			// The file is half sent: cut the connection, so that the
			// download fails instead of looking complete.
			s.Log.Error("audit export", "err", err)
			panic(http.ErrAbortHandler)
		}
	}
	cw.Flush()
}

// auditCSVRow is one entry as a CSV row: its detail as sorted key=value
// pairs.
func auditCSVRow(e staff.AuditEntry) []string {
	keys := make([]string, 0, len(e.Detail))
	for k := range e.Detail {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var d []string
	for _, k := range keys {
		d = append(d, k+"="+e.Detail[k])
	}
	ref := ""
	if e.ReferralID != 0 {
		ref = strconv.FormatInt(e.ReferralID, 10)
	}
	return csvSafe(strconv.FormatInt(e.ID, 10), e.At.UTC().Format("2006-01-02T15:04:05Z"), e.Staff, e.Action, ref, strings.Join(d, " "))
}

// csvSafe defuses cells a spreadsheet would run as a formula.
func csvSafe(cells ...string) []string {
	for i, c := range cells {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			cells[i] = "'" + c
		}
	}
	return cells
}

// coverageRow is one language's translation coverage: of the person's
// side (every text but the console's), or of the console (console.*, in the
// staff languages only).
type coverageRow struct {
	Code, Name, Status string
	RTL                bool
	Console            bool
	Have, Total        int
	Percent            int
	Missing            []string
}

// handleCoverage shows, for each language, how many of the source
// language's texts it has and which it lacks.
func (s *Server) handleCoverage(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	texts := s.Content.Load().Texts
	var person, console []string
	for id := range texts.IDs(texts.Source()) {
		if strings.HasPrefix(id, ConsolePrefix) {
			console = append(console, id)
		} else {
			person = append(person, id)
		}
	}
	count := func(l locale.Language, ids []string, isConsole bool) coverageRow {
		row := coverageRow{Code: l.Code, Name: l.Name, Status: string(l.Status), RTL: l.RTL, Console: isConsole, Total: len(ids)}
		for _, id := range ids {
			if texts.Has(l.Code, id) {
				row.Have++
			} else {
				row.Missing = append(row.Missing, id)
			}
		}
		slices.Sort(row.Missing)
		if row.Total > 0 {
			row.Percent = row.Have * 100 / row.Total
		}
		return row
	}
	var rows []coverageRow
	for _, l := range texts.Languages() {
		rows = append(rows, count(l, person, false))
	}
	for _, code := range s.staffLanguages() {
		l := texts.Language(code)
		if l == nil {
			l = &locale.Language{Code: code, Name: code, Status: locale.StatusIncomplete}
		}
		rows = append(rows, count(*l, console, true))
	}
	s.render(w, r, http.StatusOK, "coverage", page{Title: "console.title.coverage", Nav: "coverage", Account: a, Data: rows})
}
