package staff

import (
	"errors"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/referral"
)

// ErrNoConversation is returned when the person of a case can no longer be
// written to (they asked to be forgotten).
var ErrNoConversation = errors.New("the person has no conversation any more")

// ErrHandover is the error of a handover that cannot be made: the case is
// closed, or already with that organisation.
var ErrHandover = errors.New("the case cannot be handed over")

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
	// Unread: the person wrote since the case's assignee last opened it.
	Unread bool
	// ActivityAt is the case's last activity: a staff change or a message
	// of the person.
	ActivityAt time.Time
	// HandoverTo is the organisation the case is handed to while the
	// person has not agreed yet (another kind of organisation); "" when
	// none.
	HandoverTo string
}

// Message is one transcript line.
type Message struct {
	ID        int64
	Direction bot.Direction
	Kind      string
	Text      string
	At        time.Time
}

// WithdrawnNote is the note the store adds to a case the person withdrew
// with /forget (the console shows console.case.note_withdrawn instead).
const WithdrawnNote = "Withdrawn by the person (/forget). Their personal data was erased; Yol can no longer reach them."

// Unreadable stands for a note or transcript text the store cannot decrypt
// (the console shows console.case.unreadable instead).
const Unreadable = "[unreadable]"

// Note is a staff note on a case.
type Note struct {
	ID    int64
	Staff string
	Text  string
	At    time.Time
}

// Event is one status change; From is empty for the case's creation.
type Event struct {
	From, To referral.Status
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

// QueueFilter narrows the referral queue. Empty fields do not filter.
type QueueFilter struct {
	Status     referral.Status
	Department string
	Language   string
	MinAgeDays int  // created at least this many days ago
	Open       bool // only cases not closed
	Limit      int  // default 200

	// For a page of the queue (QueuePage):
	Sort      QueueSort // by age (oldest first, the default) or by last activity (latest first)
	ClaimedBy int64     // only cases claimed by this account ("claimed by me")
	Unclaimed bool      // only cases nobody claimed
	Waiting   bool      // only cases waiting for the person (contacted, no answer since)
	Overdue   time.Time // when set, only new cases created before it (referral.OverdueBefore)
	After     string    // the cursor of the page before (QueuePage.Next)
}

// ErrCursor is the error of a queue page cursor that is not one a page
// gave (a tampered or truncated query string): the console starts at the
// first page instead.
var ErrCursor = errors.New("the page cursor is not valid")

// QueueSort orders a queue page.
type QueueSort string

// The orders of a queue page.
const (
	SortAge      QueueSort = "age"      // oldest first: who has waited longest
	SortActivity QueueSort = "activity" // latest activity first: the person wrote, staff changed it
)

// QueuePage is one page of a queue: the cases, how many match the filter
// in all, and the cursor of the next page ("" on the last).
type QueuePage struct {
	Cases []Case
	Total int
	Next  string
}

// Outgoing is a message to a person, rendered by the console in the
// person's language once the store knows the case.
type Outgoing func(c *Case) *bot.Reply

// ErrNoAppointment is returned when an appointment is cancelled on a case
// that has none: nothing changes, nothing is audited.
var ErrNoAppointment = errors.New("the case has no appointment")
