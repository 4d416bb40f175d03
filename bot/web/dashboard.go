package web

import (
	"encoding/csv"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/staff"
)

// The campaign dashboard: the funnel (started → consented → eligibility
// done → referral → regularized), in total and by language, department,
// ISO week or campaign source, as server-rendered SVG bar charts. Counts
// only: no personal data, so every role may see it.

// The funnel's stages and the groupings are named on the page by
// console.dashboard.stage.<stage> and console.dashboard.group.<id>; the CSV
// keeps the machine-read names (staff.Stages, the ids).
var groupings = []string{"language", "department", "week", "campaign", "campaign_week"}

// grouping is one choice of the dashboard's "by".
type grouping struct{ ID, Label string }

// bar is one drawn bar of a chart, coordinates computed here so that the
// template only prints numbers.
type bar struct {
	Label      string
	Value      int64
	X, Y, W, H int
	TextX      int
	TextY      int
	Class      string
}

type chart struct {
	Title  string
	Width  int
	Height int
	Bars   []bar
}

// funnelChart draws counts as horizontal bars, labelled by stages.
func funnelChart(title string, stages []string, counts []int64) chart {
	const rowH, labelW, barMax, width = 28, 140, 300, 520
	var top int64 = 1
	for _, c := range counts {
		top = max(top, c)
	}
	ch := chart{Title: title, Width: width, Height: rowH*len(counts) + 8}
	for i, c := range counts {
		w := int(c * barMax / top)
		if c > 0 && w < 2 {
			w = 2
		}
		ch.Bars = append(ch.Bars, bar{Label: stages[i], Value: c, X: labelW, Y: 4 + i*rowH, W: w, H: rowH - 8,
			TextX: labelW + w + 6, TextY: 4 + i*rowH + rowH/2 + 1, Class: "s" + strconv.Itoa(i)})
	}
	return ch
}

// dashboardRow is one line of the dashboard's table: a group by its name
// for staff, with its code where the name hides it (a language, a
// department), and its counts.
type dashboardRow struct {
	Name, Code string
	Counts     []int64
}

type dashboardData struct {
	By        string
	ByLabel   string // the grouping's name
	ByHeading string // "By language"
	Groupings []grouping
	Since     string
	Until     string
	Total     chart
	Groups    []chart
	Rows      []dashboardRow
	Stages    []string
	Model     modelUse
	// DeadLetters is how many replies Telegram kept refusing and Yol set
	// aside (see bot/telegram), so that their chats' other replies go;
	// admins also see the latest (never their text).
	DeadLetters   int
	LatestDeadOut []bot.DeadLetter
}

// modelUse is what free-text help has spent on the model since this process
// started (from its metrics; a restart starts again from zero).
type modelUse struct {
	Requests, PromptTokens, CompletionTokens int64
}

// modelUsage reads the model's counters from the metrics registry.
func (s *Server) modelUsage() modelUse {
	var u modelUse
	families, err := s.Metrics.Registry.Gather()
	if err != nil {
		return u
	}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			v := int64(m.GetCounter().GetValue())
			switch f.GetName() {
			case "yol_llm_requests_total":
				u.Requests += v
			case "yol_llm_tokens_total":
				for _, l := range m.GetLabel() {
					if l.GetName() == "kind" && l.GetValue() == "prompt" {
						u.PromptTokens += v
					} else if l.GetName() == "kind" && l.GetValue() == "completion" {
						u.CompletionTokens += v
					}
				}
			}
		}
	}
	return u
}

// dashboardRange reads since/until (YYYY-MM-DD, in the console's zone); the
// default is the last twelve weeks.
func (s *Server) dashboardRange(r *http.Request) (time.Time, time.Time) {
	zone := s.zone()
	now := s.now().In(zone)
	until := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, zone).AddDate(0, 0, 1)
	since := until.AddDate(0, 0, -84)
	if t, err := time.ParseInLocation("2006-01-02", r.URL.Query().Get("since"), zone); err == nil {
		since = t
	}
	if t, err := time.ParseInLocation("2006-01-02", r.URL.Query().Get("until"), zone); err == nil {
		until = t.AddDate(0, 0, 1)
	}
	return since, until
}

// validGrouping returns by when it is a known grouping, else "language".
func validGrouping(by string) string {
	if slices.Contains(groupings, by) {
		return by
	}
	return "language"
}

// handleDashboard shows the campaign funnel, in total and by a grouping,
// with the model's usage and the dead letters (their latest for admins).
func (s *Server) handleDashboard(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	since, until := s.dashboardRange(r)
	by := validGrouping(r.URL.Query().Get("by"))
	total, err := s.Store.Funnel(r.Context(), "", since, until, s.zone())
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	rows, err := s.Store.Funnel(r.Context(), by, since, until, s.zone())
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	lang := s.lang(r, a)
	d := dashboardData{By: by, ByLabel: s.t(lang, "console.dashboard.group."+by), ByHeading: s.t(lang, "console.dashboard.heading_by."+by),
		Since: since.Format("2006-01-02"), Until: until.AddDate(0, 0, -1).Format("2006-01-02")}
	for _, g := range groupings {
		d.Groupings = append(d.Groupings, grouping{ID: g, Label: s.t(lang, "console.dashboard.group."+g)})
	}
	for _, st := range staff.Stages {
		d.Stages = append(d.Stages, s.t(lang, "console.dashboard.stage."+st))
	}
	d.Total = funnelChart(s.t(lang, "console.dashboard.all_people"), d.Stages, total[0].Counts)
	name, err := s.groupNamer(r, by, lang)
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	for _, row := range rows {
		dr := dashboardRow{Name: name(row.Group), Counts: row.Counts}
		if dr.Name == "" {
			dr.Name = s.t(lang, "console.dashboard.none")
		}
		if (by == "language" || by == "department") && row.Group != "" && dr.Name != row.Group {
			dr.Code = row.Group
		}
		d.Rows = append(d.Rows, dr)
		d.Groups = append(d.Groups, funnelChart(dr.Name, d.Stages, row.Counts))
	}
	d.Model = s.modelUsage()
	n, err := s.Store.DeadLetterCount(r.Context())
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	d.DeadLetters = n
	if n > 0 && a.Role == staff.RoleAdmin {
		if d.LatestDeadOut, err = s.Store.DeadLetters(r.Context(), 20); err != nil {
			s.serverError(w, r, a, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "dashboard", page{Title: "console.title.dashboard", Nav: "dashboard", Account: a, Data: d})
}

// groupNamer names the funnel's groups for staff: languages by their own
// names, organisations (the department grouping) and campaign sources by
// name, weeks as they are; "" stays "" (no group).
func (s *Server) groupNamer(r *http.Request, by, lang string) (func(string) string, error) {
	switch by {
	case "campaign", "campaign_week":
		return s.campaignNamer(r.Context(), lang)
	case "language":
		texts := s.texts()
		return func(g string) string {
			if l := texts.Language(g); g != "" && l != nil {
				return l.Name
			}
			return g
		}, nil
	case "department": // named below
	default:
		return func(g string) string { return g }, nil
	}
	name, err := s.orgNamer(r.Context(), lang)
	if err != nil {
		return nil, err
	}
	return func(g string) string {
		if g == "" {
			return ""
		}
		return name(g)
	}, nil
}

// handleDashboardCSV sends the funnel by a grouping as CSV, and audits the
// export.
func (s *Server) handleDashboardCSV(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	since, until := s.dashboardRange(r)
	by := validGrouping(r.URL.Query().Get("by"))
	rows, err := s.Store.Funnel(r.Context(), by, since, until, s.zone())
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	if err := s.Store.Audit(r.Context(), staff.AuditEntry{StaffID: a.ID, Action: "dashboard.export",
		Detail: map[string]string{"by": by, "since": since.Format("2006-01-02"), "until": until.Format("2006-01-02")}}); err != nil {
		s.serverError(w, r, a, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="yol-funnel-by-`+by+`.csv"`)
	name, err := s.groupNamer(r, by, s.lang(r, a))
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	cw := csv.NewWriter(w)
	head := []string{by}
	if by == "department" { // the id for machines, the name for people
		head = append(head, "name")
	}
	cw.Write(append(head, staff.Stages...))
	for _, row := range rows {
		cells := []string{row.Group}
		if by == "department" {
			cells = append(cells, name(row.Group))
		}
		for _, c := range row.Counts {
			cells = append(cells, strconv.FormatInt(c, 10))
		}
		cw.Write(csvSafe(cells...))
	}
	cw.Flush()
}
