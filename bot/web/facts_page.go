package web

import (
	"bytes"
	"errors"
	"maps"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/editor"
	"github.com/yol-project/yol/bot/staff"
)

// The facts page (editors and admins): the pack's fees, fines, deadlines,
// phone numbers, addresses and opening hours (with an office's lunch
// break), each with its sources, its verified-on date, a stale mark and
// its unconfirmed mark, and a form per fact. The form sets the
// unconfirmed mark (the bot then says "not confirmed yet" after the fact)
// or clears it, which needs a known source and the day of the check. A save edits that
// fact alone into the account's working draft (the same drafts as the
// translations page); a draft that changes a fact needs a second person's
// approval on the content page. Only facts the pack has are listed: the
// page edits them, it never adds one.

// factsData is the facts page.
type factsData struct {
	Live, Draft int64
	StaleDays   int
	Groups      []factGroup
}

// factGroup is the facts of one kind.
type factGroup struct {
	Kind  string
	Facts []factRow
}

// factRow is one fact with its form.
type factRow struct {
	editor.Fact
	Anchor   string // the row's HTML id
	Owner    string // its pathway, document, office or help number, rendered
	What     string // its label, rendered ("" when none)
	Shared   string // the other owners of a shared fee list, rendered ("" when none)
	Value    string // the value, as shown
	Stale    bool
	In       factForm // what the form holds
	Problems []string // why a save was refused, rendered
}

// factForm is what a fact's form holds (or was posted with). Lunch, Note
// and Unconfirmed ("yes", "no") are kept as they are when not posted.
type factForm struct {
	Key, Amount, AmountMax, Phones, Hours, Lunch, Sources, VerifiedOn, Note, Unconfirmed string
	hasLunch, hasNote                                                                    bool
}

// factsView is a render of the facts page after a post.
type factsView struct {
	code          int
	errMsg, flash string
	row           *factRow // the refused fact: what was typed and why
}

// handleFacts shows the facts page.
func (s *Server) handleFacts(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	s.renderFacts(w, r, a, nil, factsView{code: http.StatusOK})
}

// renderFacts renders the facts page from the account's working draft;
// st is loaded when nil.
func (s *Server) renderFacts(w http.ResponseWriter, r *http.Request, a *staff.Account, st *textsState, v factsView) {
	sl := s.lang(r, a)
	p := page{Title: "console.title.facts", Nav: "facts", Account: a, Flash: v.flash, Error: v.errMsg}
	if st == nil {
		var err error
		if st, err = s.textsState(r.Context(), a); errors.Is(err, errNoLive) {
			p.Error = s.t(sl, "console.texts.no_live")
			p.Data = factsData{}
			s.render(w, r, http.StatusConflict, "facts", p)
			return
		} else if err != nil {
			s.serverError(w, r, a, err)
			return
		}
	}
	facts, err := editor.Facts(st.baseP.files)
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	age := s.StaleAge
	if age <= 0 {
		age = editor.DefaultStaleAge
	}
	cut := s.now().Add(-age)
	d := factsData{Live: st.live.ID, StaleDays: int(age.Hours() / 24)}
	if st.base.ID != st.live.ID {
		d.Draft = st.base.ID
	}
	texts := st.baseP.c.Texts
	text := func(id string) string {
		if id == "" || !texts.Has(texts.Source(), id) {
			return ""
		}
		if texts.Has(sl, id) {
			return texts.Text(sl, id, nil, nil)
		}
		return texts.Text(texts.Source(), id, nil, nil)
	}
	owners := map[string]string{}
	for _, x := range st.baseP.c.KB.Pathways() {
		owners["pathways.yaml/"+x.ID] = text(x.Title)
	}
	for _, x := range st.baseP.c.KB.Documents() {
		owners["documents.yaml/"+x.ID] = text(x.Title)
	}
	for _, x := range st.baseP.c.KB.Offices() {
		owners["offices.yaml/"+x.ID] = text(x.Name)
	}
	for _, x := range st.baseP.c.KB.Hotlines() {
		owners["offices.yaml/"+x.ID] = text(x.What)
	}
	for _, kind := range editor.FactKinds {
		g := factGroup{Kind: kind}
		for _, f := range facts {
			if f.Kind != kind {
				continue
			}
			row := factRow{Fact: f, Anchor: "f-" + strings.NewReplacer("/", "-", ".", "-").Replace(f.Key), Owner: owners[f.File+"/"+f.Owner], In: formOf(f)}
			if row.Owner == "" {
				row.Owner = f.Owner
			}
			var also []string
			for _, o := range f.AlsoIn {
				if n := owners[f.File+"/"+o]; n != "" {
					also = append(also, n)
				} else {
					also = append(also, o)
				}
			}
			row.Shared = strings.Join(also, "; ")
			switch kind {
			case editor.FactFee, editor.FactFine:
				row.What = text(f.Label)
				row.Value = f.Amount + " " + f.Currency
				if f.HasMax {
					row.Value = f.Amount + "–" + f.AmountMax + " " + f.Currency
				}
			case editor.FactPhone:
				row.Value = strings.Join(f.Phones, ", ")
			case editor.FactAddress, editor.FactDeadline:
				row.Value = text(f.TextID)
			case editor.FactHours:
				row.Value = strings.ReplaceAll(row.In.Hours, "\n", "; ")
				if f.Lunch != "" {
					row.Value += "; " + s.t(sl, "console.facts.lunch_value", "Lunch", f.Lunch)
				}
			}
			day, err := time.Parse("2006-01-02", f.VerifiedOn)
			row.Stale = err != nil || day.Before(cut)
			if v.row != nil && v.row.Key == f.Key {
				was := row.In
				row.In, row.Problems = v.row.In, v.row.Problems
				if row.In.Unconfirmed == "" {
					row.In.Unconfirmed = was.Unconfirmed
				}
				if !row.In.hasLunch {
					row.In.Lunch = was.Lunch
				}
				if !row.In.hasNote {
					row.In.Note = was.Note
				}
			}
			g.Facts = append(g.Facts, row)
		}
		d.Groups = append(d.Groups, g)
	}
	p.Data = d
	s.render(w, r, v.code, "facts", p)
}

// formOf is what a fact's form holds before an edit.
func formOf(f editor.Fact) factForm {
	in := factForm{Key: f.Key, Amount: f.Amount, AmountMax: f.AmountMax, Phones: strings.Join(f.Phones, "\n"), Lunch: f.Lunch, Sources: strings.Join(f.Sources, ", "), VerifiedOn: f.VerifiedOn, Note: f.Note, Unconfirmed: "no"}
	if f.Unconfirmed {
		in.Unconfirmed = "yes"
	}
	var hours []string
	for _, day := range []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"} {
		if h, ok := f.Hours[day]; ok {
			hours = append(hours, day+": "+h)
		}
	}
	in.Hours = strings.Join(hours, "\n")
	return in
}

// readFactForm reads a posted fact form ("" errID: it could be read).
func readFactForm(w http.ResponseWriter, r *http.Request) (factForm, string) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		return factForm{}, "console.error.bad_request"
	}
	pf := r.PostForm
	f := factForm{Key: pf.Get("key"), Amount: pf.Get("amount"), AmountMax: pf.Get("amount_max"), Phones: pf.Get("phones"),
		Hours: pf.Get("hours"), Lunch: pf.Get("lunch"), Sources: pf.Get("sources"), VerifiedOn: pf.Get("verified_on"),
		Note: pf.Get("note"), Unconfirmed: pf.Get("unconfirmed"), hasLunch: pf.Has("lunch"), hasNote: pf.Has("note")}
	for _, v := range []string{f.Key, f.Amount, f.AmountMax, f.Phones, f.Hours, f.Lunch, f.Sources, f.VerifiedOn, f.Note} {
		if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
			return f, "console.error.bad_request"
		}
	}
	if f.Unconfirmed != "" && f.Unconfirmed != "yes" && f.Unconfirmed != "no" {
		return f, "console.error.bad_request"
	}
	return f, ""
}

// input turns a fact form into what editor.SetFact takes.
func (f factForm) input() editor.FactInput {
	in := editor.FactInput{Amount: f.Amount, AmountMax: f.AmountMax, Hours: strings.ReplaceAll(f.Hours, "\r\n", "\n"), VerifiedOn: strings.TrimSpace(f.VerifiedOn)}
	for _, p := range strings.Split(strings.ReplaceAll(f.Phones, "\r\n", "\n"), "\n") {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			in.Phones = append(in.Phones, p)
		}
	}
	in.Sources = strings.FieldsFunc(f.Sources, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
	if f.hasLunch {
		in.Lunch = &f.Lunch
	}
	if f.hasNote {
		in.Note = &f.Note
	}
	if f.Unconfirmed != "" {
		marked := f.Unconfirmed == "yes"
		in.Unconfirmed = &marked
	}
	return in
}

// handleSaveFact saves a fact into the account's working draft.
func (s *Server) handleSaveFact(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	sl := s.lang(r, a)
	st, err := s.textsState(r.Context(), a)
	switch {
	case errors.Is(err, errNoLive):
		s.renderFacts(w, r, a, nil, factsView{})
		return
	case err != nil:
		s.serverError(w, r, a, err)
		return
	}
	f, errID := readFactForm(w, r)
	view := factsView{code: http.StatusBadRequest}
	if errID != "" {
		view.errMsg = s.t(sl, errID)
		s.renderFacts(w, r, a, st, view)
		return
	}
	// Today in the pack's zone: a date after it is in the future.
	today, _ := time.Parse("2006-01-02", s.day(s.now()))
	files, probs, err := editor.SetFact(st.baseP.files, f.Key, f.input(), today)
	switch {
	case errors.Is(err, editor.ErrNoFact):
		view.errMsg = s.t(sl, "console.facts.no_such_fact")
		s.renderFacts(w, r, a, st, view)
		return
	case err != nil:
		// SetFact reads no more than the file: an error is a layout the
		// form cannot splice (a multi-line note, say), not the server's.
		s.Log.Warn("facts: the form cannot edit how this fact is written", "fact", f.Key, "err", err)
		view.errMsg, view.code = s.t(sl, "console.facts.cannot_edit"), http.StatusUnprocessableEntity
		s.renderFacts(w, r, a, st, view)
		return
	case len(probs) > 0:
		row := &factRow{Fact: editor.Fact{Key: f.Key}, In: f}
		for _, id := range probs {
			row.Problems = append(row.Problems, s.t(sl, id, "Days", "mon tue wed thu fri sat sun"))
		}
		view.errMsg = s.t(sl, "console.facts.not_saved") + " " + strings.Join(row.Problems, " ")
		view.row = row
		s.renderFacts(w, r, a, st, view)
		return
	}
	if c, _ := bot.LoadPack(bot.PackFS(files)); c == nil {
		view.errMsg = s.t(sl, "console.facts.breaks_pack")
		view.row = &factRow{Fact: editor.Fact{Key: f.Key}, In: f}
		s.renderFacts(w, r, a, st, view)
		return
	}
	view.code = http.StatusOK
	if maps.EqualFunc(files, st.baseP.files, bytes.Equal) {
		view.flash = s.t(sl, "console.texts.unchanged")
		s.renderFacts(w, r, a, st, view)
		return
	}
	id, _, err := s.Store.PushContent(r.Context(), files, a.Login, "fact "+f.Key, st.base.ID)
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	s.Log.Info("fact saved", "fact", f.Key, "version", id, "by", a.Login)
	view.flash = s.t(sl, "console.facts.saved", "Version", id)
	if st, err = s.textsState(r.Context(), a); err != nil {
		s.serverError(w, r, a, err)
		return
	}
	s.renderFacts(w, r, a, st, view)
}
