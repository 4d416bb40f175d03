package web

import (
	"errors"
	"net/http"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/org"
	"github.com/yol-project/yol/bot/staff"
)

// Message IDs of what the person is told when their case is handed over:
// moved at once (an organisation of the same kind), or asked (another
// kind). Template data: .Code, .Org (the organisation's name), .Kind (the
// sentence saying what it is, referral.kind.<kind>).
const (
	MsgHandoverMoved = "referral.notice.handover_moved"
	MsgHandoverAsk   = "referral.notice.handover_ask"
	MsgLongWait      = "referral.notice.long_wait"
)

// handoverChoice is an organisation a case may be handed to, for the case
// page's form.
type handoverChoice struct {
	ID, Name string
	Kind     org.Kind
}

// handoverChoices lists the organisations a case may go to: those taking
// cases, except the one that has it.
func (s *Server) handoverChoices(r *http.Request, c *staff.Case, name func(string) string) ([]handoverChoice, error) {
	all, err := s.organisations(r.Context())
	if err != nil {
		return nil, err
	}
	var out []handoverChoice
	for _, o := range all {
		if o.ID != c.Department && !o.Retired() {
			out = append(out, handoverChoice{ID: o.ID, Name: name(o.ID), Kind: o.Kind})
		}
	}
	return out, nil
}

// handleHandover hands a case to another organisation: of the same kind at
// once (the person is told), of another kind once the person agrees (they
// are asked, with Yes and No under the message; the case stays until then).
func (s *Server) handleHandover(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	id, ok := s.caseForm(w, r, a)
	if !ok {
		return
	}
	c, err := s.Store.Case(r.Context(), a.Scope(), id)
	if err != nil {
		s.afterChange(w, r, a, id, err, "")
		return
	}
	all, err := s.organisations(r.Context())
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	var from, to *org.Organisation
	for i := range all {
		switch all[i].ID {
		case c.Department:
			from = &all[i]
		case r.PostForm.Get("to"):
			to = &all[i]
		}
	}
	if to == nil || to.Retired() || c.Status.Closed() {
		s.afterChange(w, r, a, id, errInput, "")
		return
	}
	ask := from == nil || from.Kind != to.Kind
	msg := s.handoverMessage(*to, ask)
	err = s.Store.HandOver(r.Context(), a.Scope(), id, a.ID, to.ID, ask, msg)
	if errors.Is(err, staff.ErrHandover) {
		err = errInput
	}
	done := "handover-done"
	if ask {
		done = "handover-asked"
	}
	s.afterChange(w, r, a, id, err, done)
}

// handoverMessage is what the person reads about a handover to o, in their
// language: asked (with Yes and No buttons) or told.
func (s *Server) handoverMessage(o org.Organisation, ask bool) staff.Outgoing {
	return func(c *staff.Case) *bot.Reply {
		content := s.Content.Load()
		lang := c.Language
		if content.Texts.Language(lang) == nil {
			lang = content.Texts.Source()
		}
		name := o.Name(lang, content.Texts.Source())
		for _, of := range content.KB.Offices() {
			if of.ID == o.ID {
				name = content.Texts.Text(lang, of.Name, nil, nil)
			}
		}
		data := map[string]any{"Org": name, "Kind": content.Texts.Text(lang, "referral.kind."+string(o.Kind), nil, nil)}
		if !ask {
			return s.personText(c, MsgHandoverMoved, data)
		}
		r := s.personText(c, MsgHandoverAsk, data)
		r.Buttons = [][]bot.Button{{
			{Label: content.Texts.Text(lang, "common.yes", nil, nil), Data: bot.HandoverButton + "yes"},
			{Label: content.Texts.Text(lang, "common.no", nil, nil), Data: bot.HandoverButton + "no"},
		}}
		return r
	}
}
