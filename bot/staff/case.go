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
}

// Outgoing is a message to a person, rendered by the console in the
// person's language once the store knows the case.
type Outgoing func(c *Case) *bot.Reply
