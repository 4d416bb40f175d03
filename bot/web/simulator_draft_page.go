package web

import (
	"net/http"

	"github.com/yol-project/yol/bot/staff"
)

// maxSimVersions is how many stored versions the simulator's picker lists
// (newest first); an older one is run by its number in the address.
const maxSimVersions = 50

// simDraftView is the simulator page's version part: the picker for
// content staff and the banner of the stored version being run.
type simDraftView struct {
	CanPick  bool // the account may run stored versions
	Options  []simVersionOption
	ID       int64  // the version run; 0: the live content
	Banner   string // what is run, in the console's language
	NotLive  bool   // the version run is not the live one
	Checksum string // the loaded pack's short hash (Content.Version)
}

// simVersionOption is one version of the picker.
type simVersionOption struct {
	ID       int64
	Label    string
	Selected bool
}

// simDraftView fills the version part of the simulator page for account
// a running run (nil: the live content).
func (s *Server) simDraftView(r *http.Request, a *staff.Account, run *draftRun) simDraftView {
	var v simDraftView
	if !a.Has(staff.ContentRoles...) || a.MustChangePassword || s.DraftChat == nil {
		return v
	}
	v.CanPick = true
	vs, err := s.Store.ContentVersions(r.Context(), maxSimVersions)
	if err != nil {
		s.Log.Error("simulator: listing content versions", "err", err)
	}
	if run != nil {
		v.ID, v.Checksum, v.NotLive = run.id, run.content.Version, true
		v.Banner = s.tr(r, a, "console.simdraft.banner_other", "ID", run.id)
	}
	for _, cv := range vs {
		state := "draft"
		switch {
		case cv.Live:
			state = "live"
		case !cv.PublishedAt.IsZero():
			state = "earlier"
		}
		o := simVersionOption{ID: cv.ID, Selected: run != nil && cv.ID == run.id,
			Label: s.tr(r, a, "console.simdraft.option_"+state, "ID", cv.ID, "Author", cv.Author, "Date", s.day(cv.CreatedAt))}
		v.Options = append(v.Options, o)
		if o.Selected {
			v.NotLive = !cv.Live
			v.Banner = s.tr(r, a, "console.simdraft.banner_"+state, "ID", cv.ID, "Author", cv.Author)
		}
	}
	return v
}
