package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/editor"
	"github.com/yol-project/yol/bot/staff"
)

// Unanswered questions become teaching: an editor gives a group of them a
// search phrase for the article or way that answers it; the phrase goes
// into the editor's working draft (knowledge/search.yaml), and the group
// leaves the list once that draft is published.

// teachTarget is an article or a way an unanswered question may be taught
// to find, named in the staff member's language.
type teachTarget struct{ ID, Name string }

// teachTargets lists the articles and pathways of c (the live version's
// content: the phrase goes into a draft made from it).
func teachTargets(c *bot.Content, lang string) []teachTarget {
	var out []teachTarget
	for _, a := range c.KB.Articles() {
		out = append(out, teachTarget{ID: "article:" + a.ID, Name: c.Texts.Text(lang, a.Title, nil, nil)})
	}
	for _, p := range c.KB.Pathways() {
		out = append(out, teachTarget{ID: "pathway:" + p.ID, Name: c.Texts.Text(lang, p.Title, nil, nil)})
	}
	return out
}

// handleTeachUnanswered stores the phrase for a group in the working draft
// and links the group to that draft.
func (s *Server) handleTeachUnanswered(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		s.plainError(w, r, a, http.StatusBadRequest, "console.error.bad_request")
		return
	}
	lang := s.lang(r, a)
	id, err := strconv.ParseInt(r.PostForm.Get("id"), 10, 64)
	target := r.PostForm.Get("target")
	bad := func(msgID string) { s.renderUnanswered(w, r, a, http.StatusBadRequest, s.t(lang, msgID), "") }
	st, stErr := s.textsState(r.Context(), a)
	if errors.Is(stErr, errNoLive) {
		bad("console.texts.no_live")
		return
	}
	if stErr != nil {
		s.serverError(w, r, a, stErr)
		return
	}
	if err != nil || id <= 0 || !slices.ContainsFunc(teachTargets(st.liveP.c, lang), func(t teachTarget) bool { return t.ID == target }) {
		bad("console.unanswered.bad_teach")
		return
	}
	qs, err := s.Store.Unanswered(r.Context(), 500)
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	i := slices.IndexFunc(qs, func(q bot.UnansweredQuestion) bool { return q.ID == id })
	if i < 0 {
		bad("console.unanswered.gone")
		return
	}
	files, err := editor.AddSearchPhrase(st.baseP.files, target, qs[i].Language, r.PostForm.Get("phrase"))
	if err != nil {
		bad("console.unanswered.bad_phrase")
		return
	}
	version, _, err := s.Store.PushContent(r.Context(), files, a.Login, "search: "+target+" "+qs[i].Language, st.base.ID)
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	if err := s.Store.TeachUnanswered(r.Context(), id, version, a.Login, a.ID); err != nil && !errors.Is(err, bot.ErrNotFound) {
		s.serverError(w, r, a, err)
		return
	}
	s.renderUnanswered(w, r, a, http.StatusOK, "", s.t(lang, "console.unanswered.taught", "Version", version))
}

// teachPhrase suggests a phrase from a redacted question: its words
// without the masks.
func teachPhrase(q string) string {
	var words []string
	for _, w := range strings.Fields(q) {
		if !strings.ContainsAny(w, "[]{},\"'#:&*!|>%@`") {
			words = append(words, w)
		}
	}
	if len(words) > 8 {
		words = words[:8]
	}
	return strings.Join(words, " ")
}
