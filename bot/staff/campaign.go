package staff

import (
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/yol-project/yol/bot"
)

// A campaign source: one poster, brochure, video, meeting, partner or
// social-media post, with the code of its Telegram deep link (bot).

// Medium is how a campaign source reaches people.
type Medium string

// The media a source may have.
const (
	Poster      Medium = "poster"
	Brochure    Medium = "brochure"
	Video       Medium = "video"
	Meeting     Medium = "meeting"
	Partner     Medium = "partner"
	SocialMedia Medium = "social_media"
)

// Media are the media staff choose from, in the form's order.
func Media() []Medium { return []Medium{Poster, Brochure, Video, Meeting, Partner, SocialMedia} }

// ErrCodeTaken is returned when another source has the code.
var ErrCodeTaken = errors.New("campaign source code taken")

// CampaignSource is one source. Medium is "" only for codes people came by
// before sources were recorded (imported by migration 0015).
type CampaignSource struct {
	ID        int64
	Code      string
	Name      string
	Region    string
	Medium    Medium
	CreatedBy string // login, when read back ("" when imported or the account is gone)
	CreatedAt time.Time
}

// Longest name and region, in characters.
const (
	MaxSourceName   = 120
	MaxSourceRegion = 80
)

// Problem returns what is wrong with a new source as a console message key
// suffix ("code", "name", "region", "medium"), or "".
func (c CampaignSource) Problem() string {
	switch {
	case !bot.ValidCampaignCode(c.Code):
		return "code"
	case strings.TrimSpace(c.Name) == "" || utf8.RuneCountInString(c.Name) > MaxSourceName:
		return "name"
	case utf8.RuneCountInString(c.Region) > MaxSourceRegion:
		return "region"
	case !slices.Contains(Media(), c.Medium):
		return "medium"
	}
	return ""
}
