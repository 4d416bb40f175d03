package web

import (
	"context"
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
	MsgAppointmentCancel = "referral.notice.appointment_cancelled"
	MsgReminder          = "referral.reminder"
)

// MessageIDs lists every message ID the console renders, for `yol check`:
// its notices and the name of every status (in a status notice).
var MessageIDs = append([]string{MsgNoticeStatus, MsgNoticeAppointment, MsgAppointmentCancel, MsgReminder, MsgHandoverMoved, MsgHandoverAsk, MsgLongWait,
	"common.yes", "common.no"}, referral.MessageIDs()...)

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

// appointmentNotice returns the message that tells the person about their
// appointment, or that it is cancelled when the case has none any more.
func (s *Server) appointmentNotice() staff.Outgoing {
	return func(c *staff.Case) *bot.Reply {
		if c.AppointmentAt.IsZero() {
			return s.personText(c, MsgAppointmentCancel, nil)
		}
		return s.personText(c, MsgNoticeAppointment, nil)
	}
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
		n, err = s.SendLongWaitNotices(ctx, s.now())
		if err != nil && ctx.Err() == nil {
			s.Log.Error("long wait notices", "err", err)
		} else if n > 0 {
			s.Log.Info("long wait notices sent", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// SendLongWaitNotices tells, once and kindly, every person whose case has
// waited for a first answer longer than its organisation usually takes (a
// week when it has no usual wait yet); it returns how many it told.
func (s *Server) SendLongWaitNotices(ctx context.Context, now time.Time) (int, error) {
	return s.Store.NoticeLongWaits(ctx, now, func(c *staff.Case) *bot.Reply { return s.personText(c, MsgLongWait, nil) })
}

// StaffNotice is the message to the staff Telegram chat about a new
// referral, in the chat's language (StaffChatLanguage): its code, the
// organisation that reads it, the person's language and pathway, and a
// link to the case; never anything personal. orgName names the
// organisation (a department by its office's name).
func StaffNotice(c *bot.Content, orgName func(id, lang string) string, r *bot.Referral, consoleURL string) bot.Reply {
	lang := StaffChatLanguage(c)
	t := func(id string, kv ...any) string { return translate(c.Texts, lang, id, kv...) }
	language := r.Language
	if l := c.Texts.Language(r.Language); l != nil {
		language = l.Name
	}
	lines := []string{t("console.chat.new_referral", "Code", r.Code), t("console.chat.organisation", "Org", orgName(r.Department, lang)),
		t("console.chat.language", "Lang", language)}
	if p := c.KB.Pathway(r.Pathway); p != nil {
		lines = append(lines, t("console.chat.pathway", "Pathway", c.Texts.Text(lang, p.Title, nil, nil)))
	}
	if consoleURL != "" {
		lines = append(lines, strings.TrimRight(consoleURL, "/")+"/console/cases/"+strconv.FormatInt(r.ID, 10))
	}
	return bot.Reply{Text: strings.Join(lines, "\n")}
}

// StaffChatLanguage is the language of the staff Telegram chat: the pack's
// second staff language (the first is the console's fallback), else its
// first, else the pack's source language.
func StaffChatLanguage(c *bot.Content) string {
	switch langs := c.Settings.StaffLanguages; {
	case len(langs) > 1:
		return langs[1]
	case len(langs) == 1:
		return langs[0]
	}
	return c.Texts.Source()
}
