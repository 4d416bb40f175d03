// Package console holds the plain types the staff console and its store
// share: accounts, the scope of what an account may see, cases, transcript
// lines, notes, audit entries and dashboard counts, and the referral status
// workflow. It has no I/O, so both bot/web (which shows them) and
// bot/postgres (which reads and writes them) can use it without importing
// each other.
package console

import (
	"errors"
	"slices"
	"time"

	"github.com/yol-project/yol/bot"
)

// Role is what an account may do.
type Role string

// The roles.
const (
	RoleAdmin  Role = "admin"  // every department, accounts, audit log
	RoleStaff  Role = "staff"  // the cases of its own departments only
	RoleEditor Role = "editor" // simulator, translation coverage, dashboard; no personal data
)

// ValidRole reports whether r is one of the roles.
func ValidRole(r Role) bool { return r == RoleAdmin || r == RoleStaff || r == RoleEditor }

// Errors of the console store.
var (
	// ErrTransition: the status change is not allowed from the case's status.
	ErrTransition = errors.New("status change not allowed")
	// ErrLoginTaken: an account with that login exists.
	ErrLoginTaken = errors.New("login taken")
	// ErrNoConversation: the person of a case can no longer be written to
	// (they asked to be forgotten).
	ErrNoConversation = errors.New("the person has no conversation any more")
)

// Account is a staff account.
type Account struct {
	ID           int64
	Login        string
	Name         string
	Role         Role
	Departments  []string
	PasswordHash string
	CreatedAt    time.Time
	Disabled     bool
	// MustChangePassword: an admin reset the password; the account sees
	// only the password page until it has chosen a new one.
	MustChangePassword bool
}

// Scope is the set of cases an account may see; every case query of the
// store takes one and filters in SQL.
type Scope struct {
	All         bool     // every department
	Departments []string // else only these
	None        bool     // no case at all (editors)
}

// Scope returns what the account may see.
func (a *Account) Scope() Scope {
	switch a.Role {
	case RoleAdmin:
		return Scope{All: true}
	case RoleStaff:
		return Scope{Departments: slices.Clone(a.Departments)}
	}
	return Scope{None: true}
}

// SeesCases reports whether the account may open cases at all.
func (a *Account) SeesCases() bool { return a.Role == RoleAdmin || a.Role == RoleStaff }

// Statuses in workflow order.
var Statuses = []string{"new", "claimed", "contacted", "appointment", "submitted", "regularized", "not_eligible", "no_response", "withdrawn"}

// Closed reports whether a status ends the case.
func Closed(status string) bool {
	switch status {
	case "regularized", "not_eligible", "no_response", "withdrawn":
		return true
	}
	return false
}

var transitions = map[string][]string{
	"new":         {"claimed", "not_eligible", "no_response", "withdrawn"},
	"claimed":     {"contacted", "appointment", "not_eligible", "no_response", "withdrawn"},
	"contacted":   {"appointment", "submitted", "not_eligible", "no_response", "withdrawn"},
	"appointment": {"contacted", "submitted", "not_eligible", "no_response", "withdrawn"},
	"submitted":   {"regularized", "not_eligible", "withdrawn"},
}

// Next lists the statuses a case may move to from status.
func Next(status string) []string { return slices.Clone(transitions[status]) }

// CanTransition reports whether a case may move from one status to another.
func CanTransition(from, to string) bool { return slices.Contains(transitions[from], to) }

// QueueFilter narrows the referral queue. Empty fields do not filter.
type QueueFilter struct {
	Status     string
	Department string
	Language   string
	MinAgeDays int  // created at least this many days ago
	Open       bool // only cases not closed
	Limit      int  // default 200
}

// Case is a referral as staff see it.
type Case struct {
	bot.Referral
	ConversationID int64 // 0 when the person asked to be forgotten
	Channel        bot.Channel
	ClaimedBy      string // login
	UpdatedAt      time.Time
	ClosedAt       time.Time
	RemindedAt     time.Time
	Anonymised     bool
}

// Overdue reports whether a case waited too long: a new case not claimed
// within two working days.
func (c *Case) Overdue(now time.Time) bool {
	return c.Status == "new" && WorkingDaysBetween(c.CreatedAt, now) >= 2
}

// WorkingDaysBetween counts the Monday-to-Friday days that fully passed
// between from and to (in Baku time, UTC+4).
func WorkingDaysBetween(from, to time.Time) int {
	loc := time.FixedZone("AZT", 4*3600)
	f := from.In(loc)
	t := to.In(loc)
	n := 0
	for d := f.Add(24 * time.Hour); !d.After(t); d = d.Add(24 * time.Hour) {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n++
		}
	}
	return n
}

// Message is one transcript line.
type Message struct {
	ID        int64
	Direction bot.Direction
	Kind      string
	Text      string
	At        time.Time
}

// Note is a staff note on a case.
type Note struct {
	ID    int64
	Staff string
	Text  string
	At    time.Time
}

// Event is one status change.
type Event struct {
	From, To string
	Staff    string
	At       time.Time
}

// CaseFile is everything the case page shows.
type CaseFile struct {
	Case       Case
	Transcript []Message
	Notes      []Note
	Events     []Event
}

// AuditEntry is one row of the audit log. Detail never holds a migrant's
// personal data.
type AuditEntry struct {
	ID         int64
	At         time.Time
	StaffID    int64
	Staff      string // login, when read back
	Action     string
	ReferralID int64
	Detail     map[string]string
}

// Funnel stages, in order.
var Stages = []string{"started", "consented", "eligibility_done", "referral_created", "regularized"}

// FunnelRow is the count of people (or referrals, for "regularized") at each
// stage, for one group (a language, a department, a week, a campaign).
type FunnelRow struct {
	Group  string
	Counts []int64 // by Stages
}

// Outgoing is a message to a person, rendered by the console in the
// person's language once the store knows the case.
type Outgoing func(c *Case) *bot.Reply
