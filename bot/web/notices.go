package web

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/web/console"
)

// Message IDs of the texts the console sends to people (in their language,
// from the content pack's locales). Template data: .Code (the case code),
// .Status (the translated referral.status.<status>), .Date (YYYY-MM-DD),
// .Time (HH:MM, Baku time), .Place.
const (
	MsgNoticeStatus      = "referral.notice.status"
	MsgNoticeAppointment = "referral.notice.appointment"
	MsgReminder          = "referral.reminder"
)

// MessageIDs lists every message ID the console renders, for `yol check`.
var MessageIDs = []string{MsgNoticeStatus, MsgNoticeAppointment, MsgReminder,
	"referral.status.new", "referral.status.claimed", "referral.status.contacted", "referral.status.appointment",
	"referral.status.submitted", "referral.status.regularized", "referral.status.not_eligible",
	"referral.status.no_response", "referral.status.withdrawn"}

// personText renders a message for the person of a case.
func (s *Server) personText(c *console.Case, id string, data map[string]any) *bot.Reply {
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
		data["Date"] = day(c.AppointmentAt)
		data["Time"] = clock(c.AppointmentAt)
	}
	rtl := false
	if l := content.Texts.Language(lang); l != nil {
		rtl = l.RTL
	}
	return &bot.Reply{Text: content.Texts.Text(lang, id, data, nil), RTL: rtl}
}

// statusNotice tells the person their case moved to status.
func (s *Server) statusNotice(status string) console.Outgoing {
	return func(c *console.Case) *bot.Reply {
		content := s.Content.Load()
		lang := c.Language
		if content.Texts.Language(lang) == nil {
			lang = content.Texts.Source()
		}
		label := content.Texts.Text(lang, "referral.status."+status, nil, nil)
		return s.personText(c, MsgNoticeStatus, map[string]any{"Status": label})
	}
}

func (s *Server) appointmentNotice() console.Outgoing {
	return func(c *console.Case) *bot.Reply { return s.personText(c, MsgNoticeAppointment, nil) }
}

// SendReminders sends the appointment reminder, in the person's language,
// for every open case whose appointment is within the next 24 hours and
// who was not reminded yet; it returns how many it sent. Run it every few
// minutes (RunReminders does).
func (s *Server) SendReminders(ctx context.Context, now time.Time) (int, error) {
	return s.Store.Remind(ctx, now, 24*time.Hour, func(c *console.Case) *bot.Reply {
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

// AccountStore is what account creation needs (a *postgres.DB).
type AccountStore interface {
	CreateAccount(ctx context.Context, a *console.Account, byStaff int64) error
	CreateFirstAdmin(ctx context.Context, a *console.Account) (bool, error)
}

// EnsureAdmin creates an admin account "admin" with a generated password
// when no enabled admin exists (first start). The password is returned to
// be shown once; it is stored only as a hash.
func EnsureAdmin(ctx context.Context, st AccountStore) (login, password string, created bool, err error) {
	password = GeneratePassword()
	hash, err := HashPassword(password)
	if err != nil {
		return "", "", false, err
	}
	a := &console.Account{Login: "admin", Name: "Administrator", Role: console.RoleAdmin, PasswordHash: hash}
	created, err = st.CreateFirstAdmin(ctx, a)
	if err != nil || !created {
		return "", "", false, err
	}
	return a.Login, password, true, nil
}

// NewAccount validates and creates an account; byStaff is the admin who
// creates it (0 from the command line). offices lists the valid department
// ids.
func NewAccount(ctx context.Context, st AccountStore, login, name string, role console.Role, departments []string, password string, offices []string, byStaff int64) (*console.Account, error) {
	login = strings.TrimSpace(login)
	if !validLogin(login) {
		return nil, fmt.Errorf("login %q: use 2 to 64 letters, digits, '.', '_', '-' or '@'", login)
	}
	if !console.ValidRole(role) {
		return nil, fmt.Errorf("role %q: want admin, staff or editor", role)
	}
	var depts []string
	for _, d := range departments {
		d = strings.TrimSpace(d)
		if d == "" {
			continue
		}
		known := false
		for _, o := range offices {
			known = known || o == d
		}
		if !known {
			return nil, fmt.Errorf("department %q is not an office id of the content (%s)", d, strings.Join(offices, ", "))
		}
		depts = append(depts, d)
	}
	if role == console.RoleStaff && len(depts) == 0 {
		return nil, fmt.Errorf("a staff account needs at least one department")
	}
	if role != console.RoleStaff {
		depts = nil
	}
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	a := &console.Account{Login: login, Name: strings.TrimSpace(name), Role: role, Departments: depts, PasswordHash: hash}
	if err := st.CreateAccount(ctx, a, byStaff); err != nil {
		return nil, err
	}
	return a, nil
}

func validLogin(s string) bool {
	if len(s) < 2 || len(s) > 64 {
		return false
	}
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-@", r)
		if !ok {
			return false
		}
	}
	return true
}
