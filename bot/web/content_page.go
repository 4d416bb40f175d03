package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/editor"
	"github.com/yol-project/yol/bot/problem"
	"github.com/yol-project/yol/bot/staff"
)

// The content page (admins and editors): the stored content versions,
// newest first, with their approval and publishing. What `yol content
// list/publish` does on the command line: a version is checked as `yol
// check` checks the files (conversation tests included) and published only
// without errors; every replica switches to it by itself. A version made
// in the console that changes legal text, a fact or a dialog is published
// only once a reviewer or an admin other than its author approved it
// (content_changes.go). Publishing an earlier version is the rollback.

// contentPath is the content page.
const contentPath = "/console/content"

// maxVersions is how many versions the content page lists (and the
// translations page looks through for a working draft).
const maxVersions = 200

// contentData is the content page.
type contentData struct {
	Versions []versionRow
	Live     int64
	// Problems are what the check found in the version that was not
	// published (errors first).
	Problems  []problem.Problem
	ProblemOf int64
	// Stale are the live pack's facts verified longer ago than StaleDays
	// (or never).
	Stale     []editor.StaleFact
	StaleDays int
}

// versionRow is one version as the page shows it.
type versionRow struct {
	bot.ContentVersion
	// FromConsole: its author is a console account, so another account
	// approves it before it is published.
	FromConsole bool
	CanApprove  bool // the viewer may approve it
	Older       bool // older than the live version: publishing it is a rollback
	// Changes is what a console draft changes against its parent (shown
	// to the approver); NeedsApproval: it changes legal text, a fact or a
	// dialog, so a second person approves it before it is published.
	Changes       *editor.Changes
	NeedsApproval bool
}

// handleContent shows the content page.
func (s *Server) handleContent(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	s.renderContent(w, r, a, http.StatusOK, "", nil, 0)
}

// renderContent renders the content page with msg as the error (a
// rendered text, "": none) and the problems found in version problemOf.
func (s *Server) renderContent(w http.ResponseWriter, r *http.Request, a *staff.Account, code int, msg string, probs []problem.Problem, problemOf int64) {
	vs, err := s.Store.ContentVersions(r.Context(), maxVersions)
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	console, err := s.consoleLogins(r)
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	d := contentData{ProblemOf: problemOf}
	d.Stale, d.StaleDays = s.staleFacts()
	for _, v := range vs {
		if v.Live {
			d.Live = v.ID
		}
	}
	for _, p := range probs { // errors first, then the warnings
		if p.Severity != problem.Warning {
			d.Problems = append(d.Problems, p)
		}
	}
	for _, p := range probs {
		if p.Severity == problem.Warning {
			d.Problems = append(d.Problems, p)
		}
	}
	for _, v := range vs {
		row := versionRow{ContentVersion: v, FromConsole: console[v.Author], Older: d.Live != 0 && v.ID < d.Live}
		if row.FromConsole && !v.Live && v.PublishedAt.IsZero() {
			c, err := s.versionChanges(r.Context(), v)
			if err != nil {
				s.serverError(w, r, a, err)
				return
			}
			row.Changes, row.NeedsApproval = &c, c.NeedsApproval()
		}
		row.CanApprove = row.NeedsApproval && a.Has(staff.ApproverRoles...) && v.ApprovedBy == "" && v.Author != a.Login
		d.Versions = append(d.Versions, row)
	}
	s.render(w, r, code, "content", page{Title: "console.title.content", Nav: "content", Account: a, Data: d, Error: msg})
}

// consoleLogins is the set of the console's logins: a version whose
// author is one was made in the console.
func (s *Server) consoleLogins(r *http.Request) (map[string]bool, error) {
	list, err := s.Store.Accounts(r.Context())
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(list))
	for _, acc := range list {
		out[acc.Login] = true
	}
	return out, nil
}

// contentVersion finds version id among the latest versions; ok is false
// when there is none (a bad id answers the page with its message).
func (s *Server) contentVersion(w http.ResponseWriter, r *http.Request, a *staff.Account) (bot.ContentVersion, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.renderContent(w, r, a, http.StatusBadRequest, s.tr(r, a, "console.content.bad_version"), nil, 0)
		return bot.ContentVersion{}, false
	}
	vs, err := s.Store.ContentVersions(r.Context(), maxVersions)
	if err != nil {
		s.serverError(w, r, a, err)
		return bot.ContentVersion{}, false
	}
	for _, v := range vs {
		if v.ID == id {
			return v, true
		}
	}
	s.renderContent(w, r, a, http.StatusNotFound, s.tr(r, a, "console.content.no_version", "ID", id), nil, 0)
	return bot.ContentVersion{}, false
}

// handleApproveContent records that the account approved a version
// someone else made.
func (s *Server) handleApproveContent(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	v, ok := s.contentVersion(w, r, a)
	if !ok {
		return
	}
	switch {
	case v.Author == a.Login:
		s.renderContent(w, r, a, http.StatusForbidden, s.tr(r, a, "console.content.own_version"), nil, 0)
		return
	case v.ApprovedBy != "":
		s.renderContent(w, r, a, http.StatusConflict, s.tr(r, a, "console.content.already_approved", "ID", v.ID, "Login", v.ApprovedBy), nil, 0)
		return
	}
	err := s.Store.ApproveContent(r.Context(), v.ID, a.Login, a.ID)
	switch {
	case errors.Is(err, bot.ErrNotFound):
		s.renderContent(w, r, a, http.StatusNotFound, s.tr(r, a, "console.content.no_version", "ID", v.ID), nil, 0)
	case err != nil:
		s.serverError(w, r, a, err)
	default:
		http.Redirect(w, r, flashURL(contentPath, "content-approved"), http.StatusSeeOther)
	}
}

// publishing lets one check of a version run at a time (each runs the
// pack's conversation tests).
var publishing sync.Mutex

// handlePublishContent checks a version and makes it live when it has no
// error and, made in the console and changing legal text, a fact or a
// dialog, was approved by another account.
func (s *Server) handlePublishContent(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	v, ok := s.contentVersion(w, r, a)
	if !ok {
		return
	}
	if v.Live {
		s.renderContent(w, r, a, http.StatusConflict, s.tr(r, a, "console.content.already_live", "ID", v.ID), nil, 0)
		return
	}
	console, err := s.consoleLogins(r)
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	need, err := s.needsApproval(r.Context(), v, console[v.Author])
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	if need {
		s.renderContent(w, r, a, http.StatusForbidden, s.tr(r, a, "console.content.needs_approval", "ID", v.ID, "Login", v.Author), nil, 0)
		return
	}
	files, err := s.Store.ContentFiles(r.Context(), v.ID)
	if errors.Is(err, bot.ErrNotFound) {
		s.renderContent(w, r, a, http.StatusNotFound, s.tr(r, a, "console.content.no_version", "ID", v.ID), nil, 0)
		return
	}
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	publishing.Lock()
	c, probs := checkPack(files)
	publishing.Unlock()
	if c == nil || problem.HasErrors(probs) {
		s.renderContent(w, r, a, http.StatusUnprocessableEntity, s.tr(r, a, "console.content.has_errors", "ID", v.ID), probs, v.ID)
		return
	}
	err = s.Store.PublishContent(r.Context(), v.ID, a.Login)
	switch {
	case errors.Is(err, bot.ErrNotFound):
		s.renderContent(w, r, a, http.StatusNotFound, s.tr(r, a, "console.content.no_version", "ID", v.ID), nil, 0)
	case err != nil:
		s.serverError(w, r, a, err)
	default:
		s.Log.Info("content published", "version", v.ID, "by", a.Login)
		http.Redirect(w, r, flashURL(contentPath, "content-published"), http.StatusSeeOther)
	}
}

// checkPack checks a version's files as `yol check` does; a check that
// panics is a problem of the pack, not a crash of the console.
func checkPack(files map[string][]byte) (c *bot.Content, probs []problem.Problem) {
	defer func() {
		if e := recover(); e != nil {
			c, probs = nil, []problem.Problem{{Message: fmt.Sprintf("the check failed: %v", e)}}
		}
	}()
	return editor.CheckContent(bot.PackFS(files), MessageIDs...)
}
