package bot

import "context"

// Campaign sources (issue #16): each poster, brochure or meeting carries a
// deep link whose /start payload is a source's code. A person is
// attributed to the first source they came by; a payload that names no
// source (malformed, or a code nobody created) is counted as
// UnknownCampaign, never an error and never kept as typed.

// UnknownCampaign is the campaign source of a person who came by a /start
// payload that names no campaign source. It cannot be a code.
const UnknownCampaign = "?"

// MaxCampaignCode is the longest code: Telegram's limit for a /start payload.
const MaxCampaignCode = 64

// ValidCampaignCode reports whether code can be a /start payload: 1 to 64
// of A-Z a-z 0-9 _ -.
func ValidCampaignCode(code string) bool {
	if code == "" || len(code) > MaxCampaignCode {
		return false
	}
	for i := 0; i < len(code); i++ {
		c := code[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// CampaignTx is a Tx that knows the campaign sources staff created
// (*postgres.DB's). A Tx without it takes every valid code as known.
type CampaignTx interface {
	CampaignSourceExists(ctx context.Context, code string) (bool, error)
}

// attribute records where a person came from by the /start payload: the
// first source only. A new conversation whose payload names no source is
// counted as UnknownCampaign; a later /start only attributes to a known
// source.
func (t *turn) attribute(payload string) error {
	c := t.conv
	if c.Campaign != "" || payload == "" {
		return nil
	}
	source := UnknownCampaign
	if ValidCampaignCode(payload) {
		known := true
		if ct, ok := t.tx.(CampaignTx); ok {
			var err error
			if known, err = ct.CampaignSourceExists(t.ctx, payload); err != nil {
				return err
			}
		}
		if known {
			source = payload
		}
	}
	if source == UnknownCampaign && !c.New {
		return nil
	}
	c.Campaign = source
	return nil
}
