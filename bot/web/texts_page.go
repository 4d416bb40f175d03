package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/editor"
	"github.com/yol-project/yol/bot/locale"
	"github.com/yol-project/yol/bot/staff"
)

// The translations page (content roles): every text of the person's
// side in one language beside its source, with its review status. A save
// edits the one entry in the account's working draft (a new content
// version, approved and published on the content page); "Mark reviewed"
// records that a native speaker read the live text. A translator sees,
// edits and marks reviewed only its own languages
// (staff.Account.WorksOnLanguage); a form posted for another is refused
// (403) and changes nothing. The texts are those of the database's live
// version, not of the files the server started with.

// textsPath is the translations page.
const textsPath = "/console/texts"

// maxTextLen is the longest text the page takes, in characters (a
// Telegram message holds 4096).
const maxTextLen = 4000

// textsPageSize is how many texts the translations page shows at once;
// the next page starts after the last ID shown (keyset paging, the filter
// kept).
const textsPageSize = 100

// The filters of the translations page.
var textFilters = []string{"all", "missing", "unreviewed"}

// textsData is the translations page.
type textsData struct {
	Lang      string // the language shown ("": none could be)
	Languages []officeChoice
	Filter    string
	Filters   []string
	RTL       bool
	Status    string // the language's status, rendered
	Note      string // its note in languages.yaml
	Source    string // the source language's name
	Live      int64
	Draft     int64 // the account's working draft (0: none; edits start from the live version)
	Rows      []textRow
	Total     int    // texts of the person's side, whatever the filter
	Matched   int    // texts the filter keeps, on every page
	After     string // the page starts after this ID ("": the first page)
	Next      string // the next page starts after this ID ("": no next page)
}

// textRow is one text.
type textRow struct {
	ID      string
	Source  []string // the source text, each plural form
	Current string   // the live translation ("" when missing)
	Missing bool
	// Draft is the working draft's text when it differs from the live one.
	Draft   string
	InDraft bool
	Value   string // what the textarea holds
	Plural  bool   // edited in its file, not here
	Status  string // rendered
	// Reviewed: a review of the live text holds.
	Reviewed bool
	Problems []string // why a save was refused, rendered
}

// loadedPack is a version's files and their content.
type loadedPack struct {
	files map[string][]byte
	c     *bot.Content
}

// packCache keeps the last few versions loaded, by checksum (the same
// checksum is the same files, whatever the database).
var packCache = struct {
	sync.Mutex
	m     map[string]*loadedPack
	order []string
}{m: map[string]*loadedPack{}}

// loadVersion returns version v's files and content.
func (s *Server) loadVersion(ctx context.Context, v bot.ContentVersion) (*loadedPack, error) {
	if v.Checksum != "" {
		packCache.Lock()
		p := packCache.m[v.Checksum]
		packCache.Unlock()
		if p != nil {
			return p, nil
		}
	}
	files, err := s.Store.ContentFiles(ctx, v.ID)
	if err != nil {
		return nil, err
	}
	c, probs := bot.LoadPack(bot.PackFS(files))
	if c == nil {
		return nil, fmt.Errorf("content version %d does not load: %v", v.ID, probs)
	}
	p := &loadedPack{files: files, c: c}
	if v.Checksum != "" {
		packCache.Lock()
		if _, ok := packCache.m[v.Checksum]; !ok {
			packCache.m[v.Checksum] = p
			packCache.order = append(packCache.order, v.Checksum)
			if len(packCache.order) > 6 {
				delete(packCache.m, packCache.order[0])
				packCache.order = packCache.order[1:]
			}
		}
		packCache.Unlock()
	}
	return p, nil
}

// textsState is what the translations page works on: the live version and
// the account's working draft (the live version when it has none).
type textsState struct {
	live, base   bot.ContentVersion
	liveP, baseP *loadedPack
}

// errNoLive is the error of a database without a live version.
var errNoLive = errors.New("no live content version")

// textsState finds the live version and the account's working draft: the
// newest version it made after the live one that is not live.
func (s *Server) textsState(ctx context.Context, a *staff.Account) (*textsState, error) {
	liveID, err := s.Store.LiveContent(ctx)
	if errors.Is(err, bot.ErrNotFound) {
		return nil, errNoLive
	}
	if err != nil {
		return nil, err
	}
	vs, err := s.Store.ContentVersions(ctx, maxVersions)
	if err != nil {
		return nil, err
	}
	st := &textsState{live: bot.ContentVersion{ID: liveID, Live: true}}
	for _, v := range vs {
		if v.ID == liveID {
			st.live = v
		}
	}
	st.base = st.live
	for _, v := range vs { // newest first
		if !v.Live && v.ID > liveID && v.Author == a.Login {
			st.base = v
			break
		}
	}
	if st.liveP, err = s.loadVersion(ctx, st.live); err != nil {
		return nil, err
	}
	st.baseP = st.liveP
	if st.base.ID != st.live.ID {
		if st.baseP, err = s.loadVersion(ctx, st.base); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// liveText is message id of lang as the live version has it (plural forms
// one a line), the text a review reads.
func liveText(texts *locale.Bundle, lang, id string) string {
	return strings.Join(texts.Raw(lang, id), "\n")
}

// personIDs lists the texts of the person's side: the source language's
// message IDs that are not the console's, sorted.
func personIDs(texts *locale.Bundle) []string {
	var out []string
	for id := range texts.IDs(texts.Source()) {
		if !strings.HasPrefix(id, ConsolePrefix) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// isPersonText reports whether id is a text of the person's side.
func isPersonText(texts *locale.Bundle, id string) bool {
	return !strings.HasPrefix(id, ConsolePrefix) && texts.Has(texts.Source(), id)
}

// translatable reports whether lang is a language of the pack other than
// its source.
func translatable(texts *locale.Bundle, lang string) bool {
	return lang != texts.Source() && texts.Language(lang) != nil
}

// defaultTextsLang is the language shown without ?lang=: the console's
// own when it is one the account translates into, else the pack's first
// of those ("": none).
func (s *Server) defaultTextsLang(r *http.Request, a *staff.Account, texts *locale.Bundle) string {
	if l := s.lang(r, a); translatable(texts, l) && a.WorksOnLanguage(l) {
		return l
	}
	for _, l := range texts.Languages() {
		if l.Code != texts.Source() && a.WorksOnLanguage(l.Code) {
			return l.Code
		}
	}
	return ""
}

// textError renders the message of errID, a mistake in text form f, in
// the console's language sl; languages are named by their own names.
func (s *Server) textError(sl string, a *staff.Account, errID string, f textForm) string {
	texts := s.Content.Load().Texts
	name := func(code string) string {
		if l := texts.Language(code); l != nil {
			return l.Name + " (" + code + ")"
		}
		return code
	}
	var mine []string
	for _, code := range a.ContentLanguages {
		mine = append(mine, name(code))
	}
	return s.t(sl, errID, "Max", maxTextLen, "Language", name(f.lang), "Languages", strings.Join(mine, ", "))
}

// textsView is how the page is to be shown: language, filter, the
// messages, and a row's state after a refused save.
type textsView struct {
	code          int
	lang, filter  string
	after         string // the page starts after this ID
	errMsg, flash string
	row           *textRow // the row a save was refused for: its value and problems
}

// handleTexts shows the translations page.
func (s *Server) handleTexts(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	q := r.URL.Query()
	s.renderTexts(w, r, a, nil, textsView{code: http.StatusOK, lang: q.Get("lang"), filter: q.Get("filter"), after: pageAfter(q.Get("after"))})
}

// renderTexts renders the translations page; st is loaded when nil.
func (s *Server) renderTexts(w http.ResponseWriter, r *http.Request, a *staff.Account, st *textsState, v textsView) {
	sl := s.lang(r, a)
	p := page{Title: "console.title.texts", Nav: "texts", Account: a, Flash: v.flash, Error: v.errMsg}
	if st == nil {
		var err error
		if st, err = s.textsState(r.Context(), a); errors.Is(err, errNoLive) {
			p.Error = s.t(sl, "console.texts.no_live")
			p.Data = textsData{Filters: textFilters, Filter: "all"}
			s.render(w, r, http.StatusConflict, "texts", p)
			return
		} else if err != nil {
			s.serverError(w, r, a, err)
			return
		}
	}
	texts := st.liveP.c.Texts
	d := textsData{Filters: textFilters, Filter: v.filter, Live: st.live.ID, Lang: v.lang, After: v.after}
	if st.base.ID != st.live.ID {
		d.Draft = st.base.ID
	}
	if src := texts.Language(texts.Source()); src != nil {
		d.Source = src.Name
	}
	for _, l := range texts.Languages() {
		if l.Code != texts.Source() && a.WorksOnLanguage(l.Code) {
			d.Languages = append(d.Languages, officeChoice{ID: l.Code, Name: l.Name})
		}
	}
	if d.Filter == "" {
		d.Filter = "all"
	}
	if !slices.Contains(textFilters, d.Filter) {
		d.Filter = "all"
		if p.Error == "" {
			p.Error, v.code = s.t(sl, "console.texts.bad_filter"), http.StatusBadRequest
		}
	}
	if d.Lang == "" {
		d.Lang = s.defaultTextsLang(r, a, texts)
	}
	switch {
	case d.Lang == "": // none to show
	case !translatable(texts, d.Lang):
		if p.Error == "" {
			p.Error, v.code = s.t(sl, "console.texts.bad_lang"), http.StatusBadRequest
		}
		d.Lang = s.defaultTextsLang(r, a, texts)
	case !a.WorksOnLanguage(d.Lang):
		if p.Error == "" {
			p.Error, v.code = s.textError(sl, a, "console.texts.other_language", textForm{lang: d.Lang}), http.StatusForbidden
		}
		d.Lang = s.defaultTextsLang(r, a, texts)
	}
	if d.Lang == "" && p.Error == "" && len(d.Languages) == 0 && a.Role == staff.RoleTranslator {
		p.Error = s.t(sl, "console.texts.no_languages")
	}
	if d.Lang == "" { // a pack in one language, or none the account translates: nothing to translate
		p.Data = d
		s.render(w, r, v.code, "texts", p)
		return
	}
	l := texts.Language(d.Lang)
	d.RTL, d.Note = l.RTL, l.Note
	d.Status = s.t(sl, "console.coverage.status."+string(l.Status))
	reviews, err := s.Store.TextReviews(r.Context(), d.Lang)
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	draft := st.baseP.c.Texts
	for _, id := range personIDs(texts) {
		d.Total++
		row := textRow{ID: id, Source: texts.Raw(texts.Source(), id), Missing: !texts.Has(d.Lang, id)}
		row.Plural = len(row.Source) > 1 || len(texts.Raw(d.Lang, id)) > 1 || len(draft.Raw(d.Lang, id)) > 1
		if !row.Missing {
			row.Current = liveText(texts, d.Lang, id)
		}
		if draft.Has(d.Lang, id) {
			if dt := liveText(draft, d.Lang, id); dt != row.Current || row.Missing {
				row.Draft, row.InDraft = dt, true
			}
		}
		row.Value = row.Current
		if row.InDraft {
			row.Value = row.Draft
		}
		rev, ok := reviews[id]
		row.Reviewed = ok && !row.Missing && rev.TextSHA == bot.TextSHA(row.Current)
		switch {
		case row.Missing:
			row.Status = s.t(sl, "console.texts.status.missing")
		case row.Reviewed:
			row.Status = s.t(sl, "console.texts.status.reviewed", "Login", rev.Reviewer, "Date", s.day(rev.ReviewedAt))
		default:
			row.Status = d.Status
		}
		if v.row != nil && v.row.ID == id {
			row.Value, row.Problems = v.row.Value, v.row.Problems
		}
		switch d.Filter {
		case "missing":
			if !row.Missing {
				continue
			}
		case "unreviewed":
			if row.Missing || row.Reviewed {
				continue
			}
		}
		d.Matched++
		switch {
		case d.After != "" && id <= d.After:
		case len(d.Rows) == textsPageSize:
			if d.Next == "" {
				d.Next = d.Rows[len(d.Rows)-1].ID
			}
		default:
			d.Rows = append(d.Rows, row)
		}
	}
	p.Data = d
	s.render(w, r, v.code, "texts", p)
}

// textForm is a posted text: its language, message ID and text.
type textForm struct{ lang, id, text, filter, after string }

// readTextForm reads a posted text form; errID names what is wrong with
// it for st's live texts and account a ("": nothing).
func readTextForm(w http.ResponseWriter, r *http.Request, a *staff.Account, st *textsState) (f textForm, errID string) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return f, "console.error.bad_request"
	}
	pf := r.PostForm
	f = textForm{lang: pf.Get("lang"), id: pf.Get("id"), text: strings.ReplaceAll(pf.Get("text"), "\r\n", "\n"), filter: pf.Get("filter"), after: pageAfter(pf.Get("after"))}
	if !slices.Contains(textFilters, f.filter) {
		f.filter = "all"
	}
	texts := st.liveP.c.Texts
	switch {
	case !translatable(texts, f.lang):
		return f, "console.texts.bad_lang"
	case !a.WorksOnLanguage(f.lang):
		return f, "console.texts.other_language_refused"
	case !isPersonText(texts, f.id):
		return f, "console.texts.bad_id"
	case !utf8.ValidString(f.text) || strings.ContainsRune(f.text, 0):
		return f, "console.texts.bad_text"
	case utf8.RuneCountInString(f.text) > maxTextLen:
		return f, "console.texts.text_too_long"
	}
	return f, ""
}

// textsState for a POST: nil after answering when there is none.
func (s *Server) postState(w http.ResponseWriter, r *http.Request, a *staff.Account) *textsState {
	st, err := s.textsState(r.Context(), a)
	switch {
	case errors.Is(err, errNoLive):
		s.renderTexts(w, r, a, nil, textsView{})
		return nil
	case err != nil:
		s.serverError(w, r, a, err)
		return nil
	}
	return st
}

// textRequest reads a text form of the translations page: the state it
// works on (nil: answered already), the console's language, the form, the
// first mistake in it (a message ID, "" when none) and the view to render
// (a 400 until the handler says otherwise).
func (s *Server) textRequest(w http.ResponseWriter, r *http.Request, a *staff.Account) (*textsState, string, textForm, string, textsView) {
	st := s.postState(w, r, a)
	if st == nil {
		return nil, "", textForm{}, "", textsView{}
	}
	f, errID := readTextForm(w, r, a, st)
	view := textsView{code: http.StatusBadRequest, lang: f.lang, filter: f.filter, after: f.after}
	switch errID {
	case "console.texts.bad_lang":
		view.lang = ""
	case "console.texts.other_language_refused":
		view.lang, view.code = "", http.StatusForbidden
	}
	return st, s.lang(r, a), f, errID, view
}

// handleSaveText saves a translation into the account's working draft.
func (s *Server) handleSaveText(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	st, sl, f, errID, view := s.textRequest(w, r, a)
	if st == nil {
		return
	}
	if errID != "" {
		view.errMsg = s.textError(sl, a, errID, f)
		s.renderTexts(w, r, a, st, view)
		return
	}
	source := st.liveP.c.Texts.Source()
	if len(st.liveP.c.Texts.Raw(source, f.id)) > 1 {
		view.errMsg = s.t(sl, "console.texts.plural")
		s.renderTexts(w, r, a, st, view)
		return
	}
	if probs := editor.TextProblems(st.baseP.c, f.lang, f.id, f.text); len(probs) > 0 {
		row := &textRow{ID: f.id, Value: f.text}
		for _, id := range probs {
			row.Problems = append(row.Problems, s.t(sl, id))
		}
		view.errMsg = s.t(sl, "console.texts.not_saved", "ID", f.id) + " " + strings.Join(row.Problems, " ")
		view.row = row
		s.renderTexts(w, r, a, st, view)
		return
	}
	files, err := editor.SetText(st.baseP.files, source, f.lang, f.id, f.text)
	if errors.Is(err, editor.ErrNotEditable) {
		view.errMsg = s.t(sl, "console.texts.plural")
		s.renderTexts(w, r, a, st, view)
		return
	}
	if err != nil {
		view.errMsg = s.t(sl, "console.texts.bad_text")
		s.renderTexts(w, r, a, st, view)
		return
	}
	view.code = http.StatusOK
	if maps.EqualFunc(files, st.baseP.files, bytes.Equal) {
		view.flash = s.t(sl, "console.texts.unchanged")
		s.renderTexts(w, r, a, st, view)
		return
	}
	id, existed, err := s.Store.PushContent(r.Context(), files, a.Login, f.lang+" "+f.id, st.base.ID)
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	s.Log.Info("text saved", "lang", f.lang, "id", f.id, "version", id, "by", a.Login)
	if existed && id == st.live.ID {
		view.flash = s.t(sl, "console.texts.same_as_live", "Version", id)
	} else {
		view.flash = s.t(sl, "console.texts.saved", "Version", id)
	}
	st, err = s.textsState(r.Context(), a) // the draft saved is the working draft now
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	s.renderTexts(w, r, a, st, view)
}

// handleCheckText answers the live checks of a text as it is typed: a
// JSON list of the problems, in the console's language. The check on save
// is the one that counts.
func (s *Server) handleCheckText(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	sl := s.lang(r, a)
	st, err := s.textsState(r.Context(), a)
	if errors.Is(err, errNoLive) {
		writeJSON(w, http.StatusConflict, []string{s.t(sl, "console.texts.no_live")})
		return
	}
	if err != nil {
		s.Log.Error("check text", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, []string{s.t(sl, "console.error.internal")})
		return
	}
	f, errID := readTextForm(w, r, a, st)
	code := http.StatusBadRequest
	if errID == "console.texts.other_language_refused" {
		code = http.StatusForbidden
	}
	if errID != "" {
		writeJSON(w, code, []string{s.textError(sl, a, errID, f)})
		return
	}
	out := []string{}
	for _, id := range editor.TextProblems(st.baseP.c, f.lang, f.id, f.text) {
		out = append(out, s.t(sl, id))
	}
	writeJSON(w, http.StatusOK, out)
}

// handleReviewText records that the account read the live text and found
// it right.
func (s *Server) handleReviewText(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	st, sl, f, errID, view := s.textRequest(w, r, a)
	if st == nil {
		return
	}
	if errID == "" && !st.liveP.c.Texts.Has(f.lang, f.id) {
		errID = "console.texts.review_missing"
	}
	if errID != "" {
		view.errMsg = s.textError(sl, a, errID, f)
		s.renderTexts(w, r, a, st, view)
		return
	}
	if err := s.Store.ReviewText(r.Context(), f.lang, f.id, liveText(st.liveP.c.Texts, f.lang, f.id), a.Login, a.ID); err != nil {
		s.serverError(w, r, a, err)
		return
	}
	q := url.Values{"lang": {f.lang}, "filter": {f.filter}, "flash": {"text-reviewed"}}
	if f.after != "" {
		q.Set("after", f.after)
	}
	http.Redirect(w, r, textsPath+"?"+q.Encode()+"#t-"+url.PathEscape(f.id), http.StatusSeeOther)
}

// handleTextsScript serves the translations page's live checks (a file of
// our own: the console's Content-Security-Policy allows no inline script).
func (s *Server) handleTextsScript(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Write([]byte(textsScript))
}

// textsScript checks a text as it is typed (POST /console/texts/check) and
// lists the problems under its textarea.
const textsScript = `"use strict";
(function () {
  var timers = new WeakMap();
  function check(ta) {
    var form = ta.form, out = form.querySelector(".live-problems");
    var body = new URLSearchParams();
    body.set("lang", form.elements.lang.value);
    body.set("id", form.elements.id.value);
    body.set("text", ta.value);
    fetch("/console/texts/check", {method: "POST", body: body, credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (list) {
        out.textContent = "";
        (list || []).forEach(function (msg) {
          var li = document.createElement("li");
          li.className = "tag warn";
          li.textContent = msg;
          out.appendChild(li);
        });
      })
      .catch(function () {});
  }
  document.addEventListener("input", function (ev) {
    var ta = ev.target;
    if (!ta.matches || !ta.matches("textarea[data-check]")) { return; }
    clearTimeout(timers.get(ta));
    timers.set(ta, setTimeout(function () { check(ta); }, 300));
  });
})();
`

// pageAfter reads the translations page's "after" parameter: a message
// ID, or "" (the first page) for anything that is not one.
func pageAfter(s string) string {
	if len(s) > 200 || !messageIDPattern.MatchString(s) {
		return ""
	}
	return s
}

// messageIDPattern is the form of a message ID.
var messageIDPattern = regexp.MustCompile(`^[a-z0-9_]+(\.[a-z0-9_]+)*$`)
