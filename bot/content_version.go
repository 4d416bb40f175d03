package bot

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// ContentVersion is one stored content pack (bot/postgres, migration
// 0011): a draft until published; exactly one is live.
type ContentVersion struct {
	ID          int64
	Parent      int64 // the version it was made from; 0: none
	Author      string
	Note        string
	Checksum    string
	CreatedAt   time.Time
	PublishedAt time.Time // zero: never published
	Live        bool
	Files       int
	ApprovedBy  string // "" until someone other than the author approved it
}

// TextReview is a native speaker's review of one translated text: it holds
// while the text is the one reviewed (TextSHA).
type TextReview struct {
	TextSHA    string
	Reviewer   string
	ReviewedAt time.Time
}

// TextSHA is the checksum a TextReview keeps of the text it read: sha256
// of the text, in hex.
func TextSHA(text string) string {
	h := sha256.Sum256([]byte(text))
	return hex.EncodeToString(h[:])
}
