package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/yol-project/yol/bot"
)

// Retention says how long personal data is kept.
type Retention struct {
	Messages  time.Duration // message text, dialog answers of inactive conversations
	Referrals time.Duration // personal fields of closed referrals
	Updates   time.Duration // the record of handled update ids (duplicate detection)
	Outbox    time.Duration // sent or failed replies
	// SignIns: sign-in and sign-out audit rows and the sign-in attempt
	// counters (addresses, logins as typed); 0 means 90 days.
	SignIns time.Duration
}

// defaultSignInRetention applies when Retention.SignIns is 0.
const defaultSignInRetention = 90 * 24 * time.Hour

// PurgeCounts is what a purge removed or anonymised.
type PurgeCounts struct {
	Messages      int64 // transcript lines deleted
	States        int64 // conversations whose answers were cleared
	Referrals     int64 // closed referrals anonymised
	ReferralNotes int64 // notes of anonymised referrals deleted
	Updates       int64 // old update ids forgotten
	Outbox        int64 // old outbox rows deleted: sent, failed, or never taken by a simulator or terminal chat that went away
	Sessions      int64 // expired staff sessions deleted
	Unanswered    int64 // unanswered questions not asked again within the message period
	SignIns       int64 // sign-in and sign-out audit rows deleted
	SignInCounts  int64 // sign-in attempt counters of old windows deleted
	Devices       int64 // expired known devices of staff deleted
	ChatMessages  int64 // Telegram message ids past the 48 hours a bot may delete them
	HeldNotices   int64 // details of discreet notices never shown, past the message period
}

// Purge deletes what is older than the retention periods, as of now. It is
// safe to run from several processes at once.
func (db *DB) Purge(ctx context.Context, r Retention, now time.Time) (PurgeCounts, error) {
	var c PurgeCounts
	signIns := r.SignIns
	if signIns <= 0 {
		signIns = defaultSignInRetention
	}
	steps := []struct {
		n   *int64
		sql string
		arg time.Time
	}{
		{&c.Messages, `DELETE FROM messages WHERE created_at < $1`, now.Add(-r.Messages)},
		{&c.States, `UPDATE conversations SET state_enc = NULL, updated_at = now() WHERE last_seen_at < $1 AND state_enc IS NOT NULL`, now.Add(-r.Messages)},
		{&c.ReferralNotes, `DELETE FROM referral_notes WHERE referral_id IN (SELECT id FROM referrals WHERE closed_at < $1)`, now.Add(-r.Referrals)},
		{&c.Referrals, `UPDATE referrals SET summary_enc = NULL, name_enc = NULL, phone_enc = NULL, conversation_id = NULL,
			anonymised_at = now() WHERE closed_at < $1 AND anonymised_at IS NULL`, now.Add(-r.Referrals)},
		{&c.Updates, `DELETE FROM inbound_updates WHERE received_at < $1`, now.Add(-r.Updates)},
		{&c.Outbox, `DELETE FROM outbox WHERE (sent_at IS NOT NULL OR failed_at IS NOT NULL OR channel <> 'telegram') AND created_at < $1`, now.Add(-r.Outbox)},
		{&c.ChatMessages, `DELETE FROM chat_messages WHERE created_at < $1`, now.Add(-bot.DeleteWindow)},
		{&c.HeldNotices, `DELETE FROM held_notices WHERE created_at < $1`, now.Add(-r.Messages)},
		{&c.Sessions, `DELETE FROM staff_sessions WHERE expires_at < $1`, now},
		{&c.SignIns, purgeSignInAuditSQL, now.Add(-signIns)},
		{&c.SignInCounts, `DELETE FROM signin_throttle WHERE window_start < $1`, now.Add(-signIns)},
		{&c.Devices, `DELETE FROM staff_devices WHERE expires_at < $1`, now},
	}
	for _, s := range steps {
		tag, err := db.Pool.Exec(ctx, s.sql, s.arg)
		if err != nil {
			return c, fmt.Errorf("purge: %w", err)
		}
		*s.n = tag.RowsAffected()
	}
	n, err := db.PurgeUnanswered(ctx, now.Add(-r.Messages))
	c.Unanswered = n
	return c, err
}
