package staff

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Updates staff send to the people who asked for them (issue #16).

// The audiences of an update.
const (
	AudienceAll      = "all"      // every subscriber
	AudienceLanguage = "language" // subscribers who speak Value
	AudienceRegion   = "region"   // subscribers for the whole country or region Value (an office id)
	AudienceCampaign = "campaign" // subscribers who came from campaign source Value
)

// ApprovalAbove is the audience size above which an update needs a
// second person's approval.
const ApprovalAbove = 1000

// ErrNeedsApproval: the update reaches more than ApprovalAbove people and
// no second person approved it.
var ErrNeedsApproval = errors.New("an update to more than 1,000 people needs a second person's approval")

// ErrAlreadyQueued: the update was sent before; it is sent once.
var ErrAlreadyQueued = errors.New("the update was already sent")

// MissingTextsError refuses an update whose audience speaks languages it
// has no text for.
type MissingTextsError struct{ Languages []string }

// Error implements error.
func (e *MissingTextsError) Error() string {
	return fmt.Sprintf("the update has no text for %s", strings.Join(e.Languages, ", "))
}

// Update is one update: a text per language, an audience, a time.
type Update struct {
	ID            int64
	Texts         map[string]string // language code → text
	Audience      string            // Audience*
	AudienceValue string
	SendAt        time.Time
	CreatedBy     int64
	ApprovedBy    int64 // 0: not approved
	QueuedAt      time.Time
	Stats         UpdateStats
}

// UpdateStats is what became of an update.
type UpdateStats struct {
	Queued, Sent, Failed, Unsubscribed int
}

// Missing returns the languages of audience (language → people) that
// texts lacks, sorted.
func Missing(texts map[string]string, audience map[string]int) []string {
	var out []string
	for lang, n := range audience {
		if n > 0 && strings.TrimSpace(texts[lang]) == "" {
			out = append(out, lang)
		}
	}
	slices.Sort(out)
	return out
}
