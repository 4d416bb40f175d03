package staff

import "time"

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
