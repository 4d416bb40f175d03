package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/staff"
)

// The campaigns page (admins and editors): every poster, brochure, video,
// meeting, partner or social-media post gets a campaign source with its
// own Telegram deep link and a print-ready QR code (SVG and PNG); the
// dashboard counts what each one brought.

// campaignsPath is the campaigns page.
const campaignsPath = "/console/campaigns"

// init registers the page's banner.
func init() { flashMessages["campaign-saved"] = "console.flash.campaign_saved" }

// campaignsData is the campaigns page.
type campaignsData struct {
	Bot     string // the bot's username; "": not known
	Sources []campaignRow
	Media   []staff.Medium
	Form    staff.CampaignSource // a new one, or the one that failed
}

// campaignRow is a source as the page lists it.
type campaignRow struct {
	staff.CampaignSource
	Link string // its deep link; "" while the bot's username is unknown
}

// botUsername is the bot's Telegram username, or "" when it is not known.
func (s *Server) botUsername() string {
	if s.BotUsername == nil {
		return ""
	}
	return s.BotUsername()
}

// deepLink is the Telegram link that starts the bot with code, or "" when
// the bot's username is not known.
func deepLink(bot, code string) string {
	if bot == "" {
		return ""
	}
	return "https://t.me/" + url.PathEscape(bot) + "?start=" + url.QueryEscape(code)
}

// handleCampaigns shows the sources and the form for a new one.
func (s *Server) handleCampaigns(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	s.renderCampaigns(w, r, a, http.StatusOK, staff.CampaignSource{Medium: staff.Poster}, "")
}

// renderCampaigns renders the page with form in the form and errID's
// message as the error, if any.
func (s *Server) renderCampaigns(w http.ResponseWriter, r *http.Request, a *staff.Account, code int, form staff.CampaignSource, errID string) {
	sources, err := s.Store.CampaignSources(r.Context())
	if err != nil {
		s.serverError(w, r, a, err)
		return
	}
	d := campaignsData{Bot: s.botUsername(), Media: staff.Media(), Form: form}
	for _, c := range sources {
		d.Sources = append(d.Sources, campaignRow{CampaignSource: c, Link: deepLink(d.Bot, c.Code)})
	}
	p := page{Title: "console.title.campaigns", Nav: "campaigns", Account: a, Data: d}
	if errID != "" {
		p.Error = s.t(s.lang(r, a), errID)
	}
	s.render(w, r, code, "campaigns", p)
}

// handleCreateCampaign creates a source from the form; a mistake is shown
// in the staff member's language with what they typed kept.
func (s *Server) handleCreateCampaign(w http.ResponseWriter, r *http.Request, a *staff.Account) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		s.plainError(w, r, a, http.StatusBadRequest, "console.error.bad_request")
		return
	}
	f := r.PostForm
	c := staff.CampaignSource{Code: strings.TrimSpace(f.Get("code")), Name: strings.TrimSpace(f.Get("name")),
		Region: strings.TrimSpace(f.Get("region")), Medium: staff.Medium(f.Get("medium"))}
	if p := c.Problem(); p != "" {
		s.renderCampaigns(w, r, a, http.StatusBadRequest, c, "console.campaigns.bad_"+p)
		return
	}
	err := s.Store.CreateCampaignSource(r.Context(), &c, a.ID)
	switch {
	case errors.Is(err, staff.ErrCodeTaken):
		s.renderCampaigns(w, r, a, http.StatusConflict, c, "console.campaigns.code_taken")
	case err != nil:
		s.serverError(w, r, a, err)
	default:
		http.Redirect(w, r, flashURL(campaignsPath, "campaign-saved"), http.StatusSeeOther)
	}
}

// campaignLink finds the source of the request's {id} and its deep link;
// ok is false when an answer was written (no such source, or the bot's
// username is not known).
func (s *Server) campaignLink(w http.ResponseWriter, r *http.Request, a *staff.Account) (staff.CampaignSource, string, bool) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	sources, err := s.Store.CampaignSources(r.Context())
	if err != nil {
		s.serverError(w, r, a, err)
		return staff.CampaignSource{}, "", false
	}
	for _, c := range sources {
		if c.ID == id {
			link := deepLink(s.botUsername(), c.Code)
			if link == "" {
				s.plainError(w, r, a, http.StatusConflict, "console.campaigns.no_bot")
				return c, "", false
			}
			return c, link, true
		}
	}
	s.plainError(w, r, a, http.StatusNotFound, "console.campaigns.gone")
	return staff.CampaignSource{}, "", false
}

// handleCampaignQR returns the handler that sends a source's QR code in
// format ("png" or "svg") as a download named after its code, and audits
// the download.
func (s *Server) handleCampaignQR(format string) func(http.ResponseWriter, *http.Request, *staff.Account) {
	return func(w http.ResponseWriter, r *http.Request, a *staff.Account) {
		c, link, ok := s.campaignLink(w, r, a)
		if !ok {
			return
		}
		body, err := qrSVG(link)
		kind := "image/svg+xml"
		if format == "png" {
			body, err = qrPNG(link, 24)
			kind = "image/png"
		}
		if err != nil {
			s.serverError(w, r, a, err)
			return
		}
		if err := s.Store.Audit(r.Context(), staff.AuditEntry{StaffID: a.ID, Action: "campaign.qr",
			Detail: map[string]string{"source": strconv.FormatInt(c.ID, 10), "code": c.Code, "format": format}}); err != nil {
			s.serverError(w, r, a, err)
			return
		}
		w.Header().Set("Content-Type", kind)
		w.Header().Set("Content-Disposition", `attachment; filename="yol-`+c.Code+`.`+format+`"`) // a code is A-Z a-z 0-9 _ -
		w.Write(body)
	}
}

// campaignNamer names the dashboard's campaign groups: a source by its
// name and code, "?" as the unknown source, and "code week" groups with
// their week.
func (s *Server) campaignNamer(ctx context.Context, lang string) (func(string) string, error) {
	sources, err := s.Store.CampaignSources(ctx)
	if err != nil {
		return nil, err
	}
	names := map[string]string{bot.UnknownCampaign: s.t(lang, "console.campaigns.unknown_source")}
	for _, c := range sources {
		names[c.Code] = c.Name + " (" + c.Code + ")"
	}
	return func(g string) string {
		code, week, _ := strings.Cut(g, " ")
		name := code
		if n, ok := names[code]; ok {
			name = n
		} else if code == "" {
			name = s.t(lang, "console.dashboard.none")
		}
		if week != "" {
			return name + " · " + week
		}
		if code == "" {
			return ""
		}
		return name
	}, nil
}
