package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/referral"
	"github.com/yol-project/yol/bot/staff"
)

// The queue at campaign scale: a page of the cases at a time (the store
// pages by a cursor), the total for the filter, two orders, and the
// filters an officer works by (claimed by me, unclaimed, waiting for the
// person, overdue).

// queueForm is the queue's filter as the query string gives it, each
// value one of its choices or none: anything else (a tampered link, an old
// bookmark) is dropped, never an error.
type queueForm struct {
	f                                 staff.QueueFilter
	all                               bool
	mine, unclaimed, waiting, overdue bool
}

// flag reads a checkbox of the queue's form.
func flag(q url.Values, name string) bool { return q.Get(name) == "1" }

// readQueueForm reads the queue's filter from r's query.
func (s *Server) readQueueForm(r *http.Request, a *staff.Account, departments, languages []string) queueForm {
	q := r.URL.Query()
	f := staff.QueueFilter{Status: referral.Status(q.Get("status")), Department: q.Get("department"), Language: q.Get("language"),
		Sort: staff.SortAge, After: q.Get("after")}
	if !f.Status.Valid() {
		f.Status = ""
	}
	if !slices.Contains(departments, f.Department) {
		f.Department = ""
	}
	if !slices.Contains(languages, f.Language) {
		f.Language = ""
	}
	if staff.QueueSort(q.Get("sort")) == staff.SortActivity {
		f.Sort = staff.SortActivity
	}
	if len(f.After) > 64 { // longer than any cursor the store makes
		f.After = ""
	}
	qf := queueForm{all: q.Get("all") != "", mine: flag(q, "mine"), unclaimed: flag(q, "unclaimed"), waiting: flag(q, "waiting"),
		overdue: flag(q, "overdue")}
	if f.Status == "" && !qf.all {
		f.Open = true
	}
	f.MinAgeDays = queryInt(r, "age") // clamped to 0..maxAgeDays before routing
	if qf.mine {
		f.ClaimedBy = a.ID
	}
	f.Unclaimed, f.Waiting = qf.unclaimed, qf.waiting
	if qf.overdue {
		f.Overdue = referral.OverdueBefore(s.now(), s.zone())
	}
	qf.f = f
	return qf
}

// values is the query string of the form's filter, without the cursor.
func (qf queueForm) values() url.Values {
	v := url.Values{}
	set := func(name, value string) {
		if value != "" {
			v.Set(name, value)
		}
	}
	f := qf.f
	set("status", string(f.Status))
	set("department", f.Department)
	set("language", f.Language)
	if f.MinAgeDays > 0 {
		v.Set("age", strconv.Itoa(f.MinAgeDays))
	}
	if qf.all {
		v.Set("all", "1")
	}
	if f.Sort == staff.SortActivity {
		v.Set("sort", string(staff.SortActivity))
	}
	for name, on := range map[string]bool{"mine": qf.mine, "unclaimed": qf.unclaimed, "waiting": qf.waiting, "overdue": qf.overdue} {
		if on {
			v.Set(name, "1")
		}
	}
	return v
}

// queueURL is the queue's address with the query v.
func queueURL(v url.Values) string {
	if len(v) == 0 {
		return "/console/cases"
	}
	return "/console/cases?" + v.Encode()
}

// showQueue renders a page of the queue for r's query; message, when set,
// is shown above it (the search box's polite answer).
func (s *Server) showQueue(w http.ResponseWriter, r *http.Request, a *staff.Account, message string) {
	ctx := r.Context()
	var languages []string
	for _, l := range s.Content.Load().Texts.Languages() {
		languages = append(languages, l.Code)
	}
	departments, err := s.departmentsOf(ctx, a)
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	lang := s.lang(r, a)
	name, err := s.orgNamer(ctx, lang)
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	qf := s.readQueueForm(r, a, departments, languages)
	f := qf.f
	pg, err := s.Store.QueuePage(ctx, a.Scope(), f)
	if err != nil && errors.Is(err, staff.ErrCursor) {
		// A cursor QueuePage did not make: the first page.
		f.After, qf.f.After = "", ""
		pg, err = s.Store.QueuePage(ctx, a.Scope(), f)
	}
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	now := s.now()
	d := queueData{Filter: f, Statuses: referral.Statuses(), AgeChoices: []int{1, 2, 7, 30}, Languages: languages,
		Mine: qf.mine, Unclaimed: qf.unclaimed, Waiting: qf.waiting, Overdue: qf.overdue, Total: pg.Total}
	for _, id := range departments {
		d.Departments = append(d.Departments, queueChoice{ID: id, Name: name(id)})
	}
	unread := 0
	for _, c := range pg.Cases {
		d.Rows = append(d.Rows, queueRow{Case: c, Overdue: s.overdue(&c, now), AgeDays: int(now.Sub(c.CreatedAt).Hours() / 24),
			Simulator: c.Channel == bot.ChannelSimulator, DepartmentName: name(c.Department)})
		if c.Unread && c.ClaimedBy != "" && c.ClaimedBy == a.Login {
			unread++
		}
	}
	v := qf.values()
	if f.After != "" {
		d.FirstURL = queueURL(v)
	}
	if pg.Next != "" {
		v.Set("after", pg.Next)
		d.NextURL = queueURL(v)
	}
	s.render(w, r, http.StatusOK, "queue", page{Title: "console.title.queue", Nav: "cases", Account: a, Data: d, Error: message, Unread: unread})
}
