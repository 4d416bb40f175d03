package web

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/yol-project/yol/bot/staff"
)

// Running a stored content version in the simulator is audited
// ("content.simulate") once per account and version per hour, not per
// message: an hour rather than a sign-in session, because the database
// decides it (AuditOnce), so that every replica, and a restarted one,
// agree, and a session can last 12 hours. The memory below only spares
// the database a look-up for each message within the hour.

// draftAuditEvery is how often running the same version is audited again
// for the same account.
const draftAuditEvery = time.Hour

// draftAuditKey is an account running a version.
type draftAuditKey struct{ staffID, version int64 }

// draftAudits remembers when this server last saw each account's run of a
// version audited; its zero value is empty and ready.
type draftAudits struct {
	mu   sync.Mutex
	seen map[draftAuditKey]time.Time
}

// due reports whether k's run was not seen audited since since, and
// forgets the runs seen before it.
func (d *draftAudits) due(k draftAuditKey, since time.Time) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if at, ok := d.seen[k]; ok && !at.Before(since) {
		return false
	}
	for x, at := range d.seen {
		if at.Before(since) {
			delete(d.seen, x)
		}
	}
	return true
}

// done remembers that k's run was audited at.
func (d *draftAudits) done(k draftAuditKey, at time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.seen == nil {
		d.seen = map[draftAuditKey]time.Time{}
	}
	d.seen[k] = at
}

// auditDraftRun audits that account a runs stored version id, unless that
// was audited within the hour; it refuses the run when the audit log
// cannot be written.
func (s *Server) auditDraftRun(r *http.Request, a *staff.Account, id int64) *simRefusal {
	now := s.now()
	since := now.Add(-draftAuditEvery)
	k := draftAuditKey{a.ID, id}
	if !s.simDraftAudits.due(k, since) {
		return nil
	}
	e := staff.AuditEntry{StaffID: a.ID, Action: "content.simulate", Detail: map[string]string{"version": strconv.FormatInt(id, 10)}}
	if _, err := s.Store.AuditOnce(r.Context(), e, since); err != nil {
		s.Log.Error("simulator: auditing a stored content version", "version", id, "err", err)
		return s.simRefuse(r, a, http.StatusServiceUnavailable, "console.simdraft.failed", "ID", id)
	}
	s.simDraftAudits.done(k, now)
	return nil
}
