package bot

import (
	"context"
	"errors"
	"time"

	"github.com/yol-project/yol/bot/org"
	"github.com/yol-project/yol/bot/referral"
)

// ErrNotFound is returned by stores for a missing row.
var ErrNotFound = errors.New("not found")

// Store runs one unit of work in a database transaction.
type Store interface {
	// InTx runs f in one transaction, committed when f returns nil.
	InTx(ctx context.Context, f func(tx Tx) error) error
}

// Tx is what the Service does inside one transaction.
type Tx interface {
	// MarkUpdate records a channel delivery id; fresh is false when it was
	// recorded before (a redelivery, to be skipped).
	MarkUpdate(ctx context.Context, updateID int64) (fresh bool, err error)
	// Conversation returns the chat's conversation, created if needed, and
	// locked until the transaction ends, so that one chat's messages are
	// handled one at a time across every process.
	Conversation(ctx context.Context, chat Chat) (*Conversation, error)
	SaveConversation(ctx context.Context, c *Conversation) error
	AddMessage(ctx context.Context, c *Conversation, dir Direction, kind, text string) error
	// Enqueue puts replies in the outbox, in order, for the channel's sender.
	Enqueue(ctx context.Context, c *Conversation, replies []Reply) error
	// AddEvent records an analytics event (no personal data in props).
	AddEvent(ctx context.Context, c *Conversation, name string, props map[string]string) error
	// Forget deletes the conversation and everything linked to the person;
	// open referrals are withdrawn and their personal fields erased.
	Forget(ctx context.Context, c *Conversation) error
	// CreateReferral stores a new referral with a unique code.
	CreateReferral(ctx context.Context, c *Conversation, r *Referral) error
	// OpenReferral returns the person's latest referral not yet closed, or ErrNotFound.
	OpenReferral(ctx context.Context, c *Conversation) (*Referral, error)
	// MessageCount counts the transcript lines kept for the conversation.
	MessageCount(ctx context.Context, c *Conversation) (int, error)
	// Organisations returns the organisations admins added (free legal
	// aid, protection partners), retired ones included; the departments
	// are the pack's offices.
	Organisations(ctx context.Context) ([]org.Organisation, error)
}

// Referral is a case handed to staff.
type Referral struct {
	ID            int64
	Code          string
	Department    string // office id
	Language      string
	Pathway       string
	Status        referral.Status
	ContactMethod string // telegram | phone
	Phone         string
	Summary       string // what the person agreed to share, in the pack's source language
	// Summaries is the same summary in each staff language of the pack
	// (knowledge/settings.yaml staff_languages), by language code.
	Summaries        map[string]string
	Campaign         string
	AppointmentAt    time.Time
	AppointmentPlace string
	CreatedAt        time.Time
}
