package web

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/referral"
	"github.com/yol-project/yol/bot/staff"
)

// Message IDs of the texts the console sends to people (in their language,
// from the content pack's locales). Template data: .Code (the case code),
// .Status (the translated referral.status.<status>), .Date (YYYY-MM-DD),
// .Time (HH:MM, in the console's zone), .Place.
const (
	MsgNoticeStatus      = "referral.notice.status"
	MsgNoticeAppointment = "referral.notice.appointment"
	MsgReminder          = "referral.reminder"
)

// MessageIDs lists every message ID the console renders, for `yol check`:
// its notices and the name of every status (in a status notice).
var MessageIDs = append([]string{MsgNoticeStatus, MsgNoticeAppointment, MsgReminder}, referral.MessageIDs()...)

// personText renders a message for the person of a case.
func (s *Server) personText(c *staff.Case, id string, data map[string]any) *bot.Reply {
	content := s.Content.Load()
	lang := c.Language
	if content.Texts.Language(lang) == nil {
		lang = content.Texts.Source()
	}
	if data == nil {
		data = map[string]any{}
	}
	data["Code"] = c.Code
	data["Place"] = c.AppointmentPlace
	if !c.AppointmentAt.IsZero() {
		data["Date"] = s.day(c.AppointmentAt)
		data["Time"] = s.clock(c.AppointmentAt)
	}
	rtl := false
	if l := content.Texts.Language(lang); l != nil {
		rtl = l.RTL
	}
	return &bot.Reply{Text: content.Texts.Text(lang, id, data, nil), RTL: rtl}
}

// statusNotice tells the person their case moved to status.
func (s *Server) statusNotice(status referral.Status) staff.Outgoing {
	return func(c *staff.Case) *bot.Reply {
		content := s.Content.Load()
		lang := c.Language
		if content.Texts.Language(lang) == nil {
			lang = content.Texts.Source()
		}
		label := content.Texts.Text(lang, status.MessageID(), nil, nil)
		return s.personText(c, MsgNoticeStatus, map[string]any{"Status": label})
	}
}

func (s *Server) appointmentNotice() staff.Outgoing {
	return func(c *staff.Case) *bot.Reply { return s.personText(c, MsgNoticeAppointment, nil) }
}

// SendReminders sends the appointment reminder, in the person's language,
// for every open case whose appointment is within the next 24 hours and
// who was not reminded yet; it returns how many it sent. Run it every few
// minutes (RunReminders does).
func (s *Server) SendReminders(ctx context.Context, now time.Time) (int, error) {
	return s.Store.Remind(ctx, now, 24*time.Hour, func(c *staff.Case) *bot.Reply {
		return s.personText(c, MsgReminder, nil)
	})
}

// RunReminders calls SendReminders every interval until ctx ends.
func (s *Server) RunReminders(ctx context.Context, interval time.Duration) {
	s.init()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		n, err := s.SendReminders(ctx, s.now())
		if err != nil && ctx.Err() == nil {
			s.Log.Error("appointment reminders", "err", err)
		} else if n > 0 {
			s.Log.Info("appointment reminders sent", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// StaffNotice is the message to the staff Telegram chat about a new
// referral: its code, department, language and a link to the case; never
// anything personal.
func StaffNotice(r *bot.Referral, consoleURL string) bot.Reply {
	var b strings.Builder
	fmt.Fprintf(&b, "New referral %s\nDepartment: %s\nLanguage: %s", r.Code, r.Department, r.Language)
	if r.Pathway != "" {
		fmt.Fprintf(&b, "\nPathway: %s", r.Pathway)
	}
	if consoleURL != "" {
		fmt.Fprintf(&b, "\n%s/console/cases/%s", strings.TrimRight(consoleURL, "/"), strconv.FormatInt(r.ID, 10))
	}
	return bot.Reply{Text: b.String()}
}
