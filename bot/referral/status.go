// Package referral holds the rules of a referral's workflow: its statuses in
// order, which of them close a case, the moves staff may make between them,
// the working days a new case may wait, and the message ID that names each
// status to the person. It has no I/O and imports only the standard
// library, so the conversation (bot), the store (bot/postgres) and the
// console (bot/web) share one definition.
package referral

import (
	"errors"
	"slices"
)

// Status is where a referral stands in the workflow.
type Status string

// The statuses, in workflow order (see Statuses).
const (
	StatusNew         Status = "new"         // received, nobody has taken it yet
	StatusClaimed     Status = "claimed"     // an officer took it
	StatusContacted   Status = "contacted"   // the officer reached the person
	StatusAppointment Status = "appointment" // the person has an appointment
	StatusSubmitted   Status = "submitted"   // the application was handed in
	StatusRegularized Status = "regularized" // closed: the person's stay is regular
	StatusNotEligible Status = "not_eligible"
	StatusNoResponse  Status = "no_response"
	StatusWithdrawn   Status = "withdrawn" // closed: by the person (/forget) or for them
)

// ErrTransition is returned for a status change the workflow does not allow
// from the case's current status.
var ErrTransition = errors.New("status change not allowed")

// statuses is the workflow order; closed marks the statuses that end a case.
var statuses = []struct {
	status Status
	closed bool
}{
	{StatusNew, false}, {StatusClaimed, false}, {StatusContacted, false}, {StatusAppointment, false},
	{StatusSubmitted, false}, {StatusRegularized, true}, {StatusNotEligible, true}, {StatusNoResponse, true},
	{StatusWithdrawn, true},
}

// transitions lists, for each open status, where a case may move next.
// Closed statuses have no way out.
var transitions = map[Status][]Status{
	StatusNew:         {StatusClaimed, StatusNotEligible, StatusNoResponse, StatusWithdrawn},
	StatusClaimed:     {StatusContacted, StatusAppointment, StatusNotEligible, StatusNoResponse, StatusWithdrawn},
	StatusContacted:   {StatusAppointment, StatusSubmitted, StatusNotEligible, StatusNoResponse, StatusWithdrawn},
	StatusAppointment: {StatusContacted, StatusSubmitted, StatusNotEligible, StatusNoResponse, StatusWithdrawn},
	StatusSubmitted:   {StatusRegularized, StatusNotEligible, StatusWithdrawn},
}

// Statuses lists every status in workflow order.
func Statuses() []Status {
	out := make([]Status, len(statuses))
	for i, s := range statuses {
		out[i] = s.status
	}
	return out
}

// ClosedStatuses lists the statuses that end a case, in workflow order.
func ClosedStatuses() []Status {
	var out []Status
	for _, s := range statuses {
		if s.closed {
			out = append(out, s.status)
		}
	}
	return out
}

// Valid reports whether s is one of the statuses.
func (s Status) Valid() bool { return slices.Contains(Statuses(), s) }

// Closed reports whether s ends the case.
func (s Status) Closed() bool { return slices.Contains(ClosedStatuses(), s) }

// Next lists the statuses a case may move to from s.
func (s Status) Next() []Status { return slices.Clone(transitions[s]) }

// CanMoveTo reports whether a case may move from s to the status to.
func (s Status) CanMoveTo(to Status) bool { return slices.Contains(transitions[s], to) }

// MessageID is the ID of the text that names s to the person, in their
// language: "referral.status.<s>".
func (s Status) MessageID() string { return "referral.status." + string(s) }

// MessageIDs lists the message ID of every status, in workflow order, for
// the lists of IDs `yol check` verifies.
func MessageIDs() []string {
	var out []string
	for _, s := range Statuses() {
		out = append(out, s.MessageID())
	}
	return out
}
