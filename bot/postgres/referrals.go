package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/referral"
	"github.com/yol-project/yol/bot/staff"
)

// This file is the store of the staff console's cases and of the browser
// simulator's pushed messages. Every query that reads or changes a case
// takes a staff.Scope and filters by it in SQL: a case outside the scope
// is bot.ErrNotFound, exactly as a case that does not exist.

// scopeArgs returns the two arguments of scopeCond.
func scopeArgs(s staff.Scope) (bool, []string) {
	if s.None {
		return false, []string{}
	}
	d := s.Departments
	if d == nil {
		d = []string{}
	}
	return s.All, d
}

// scopeCond is the WHERE condition of a scope whose arguments are $n and $n+1.
func scopeCond(n int) string {
	return fmt.Sprintf("($%d::bool OR r.department = ANY($%d::text[]))", n, n+1)
}

const caseColumns = `r.id, r.code, r.department, r.language, r.pathway, r.status, r.contact_method, r.summary_enc, r.phone_enc,
	r.campaign_source, r.appointment_at, r.appointment_place_enc, r.appointment_place, r.created_at, coalesce(r.conversation_id, 0), coalesce(c.channel, ''),
	coalesce(s.login, ''), r.updated_at, r.closed_at, r.reminded_at, r.anonymised_at IS NOT NULL, coalesce(r.handover_to, '')`

const caseFrom = ` FROM referrals r LEFT JOIN conversations c ON c.id = r.conversation_id LEFT JOIN staff_accounts s ON s.id = r.claimed_by `

// scanCase reads caseColumns, then any extra columns into extra;
// personal fields are opened only when open, the appointment place always
// (notices and reminders tell it).
func (db *DB) scanCase(row pgx.Row, open bool, extra ...any) (*staff.Case, error) {
	var c staff.Case
	var summary, phone, place []byte
	var legacyPlace string
	var appt, closed, reminded *time.Time
	var channel string
	err := row.Scan(append([]any{&c.ID, &c.Code, &c.Department, &c.Language, &c.Pathway, &c.Status, &c.ContactMethod, &summary, &phone,
		&c.Campaign, &appt, &place, &legacyPlace, &c.CreatedAt, &c.ConversationID, &channel,
		&c.ClaimedBy, &c.UpdatedAt, &closed, &reminded, &c.Anonymised, &c.HandoverTo}, extra...)...)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, bot.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load case: %w", err)
	}
	c.Channel = bot.Channel(channel)
	if appt != nil {
		c.AppointmentAt = *appt
	}
	if c.AppointmentPlace, err = db.openPlace(place, legacyPlace); err != nil {
		return nil, fmt.Errorf("case %d: %w", c.ID, err)
	}
	if closed != nil {
		c.ClosedAt = *closed
	}
	if reminded != nil {
		c.RemindedAt = *reminded
	}
	if open {
		sum, err := db.Keys.OpenString(summary, aadSummary)
		if err != nil {
			return nil, fmt.Errorf("case %d: summary: %w", c.ID, err)
		}
		c.Summary, c.Summaries = decodeSummary(sum)
		if c.Phone, err = db.Keys.OpenString(phone, aadPhone); err != nil {
			return nil, fmt.Errorf("case %d: phone: %w", c.ID, err)
		}
	}
	return &c, nil
}

// lockCase reads a case in scope and locks it until the transaction ends.
func (db *DB) lockCase(ctx context.Context, tx pgx.Tx, sc staff.Scope, id int64, open bool) (*staff.Case, error) {
	all, depts := scopeArgs(sc)
	return db.scanCase(tx.QueryRow(ctx, "SELECT "+caseColumns+caseFrom+" WHERE r.id = $3 AND "+scopeCond(1)+" FOR UPDATE OF r", all, depts, id), open)
}

// Case returns one case in scope, personal fields opened, without
// transcript and without an audit row (for the console's own checks).
func (db *DB) Case(ctx context.Context, sc staff.Scope, id int64) (*staff.Case, error) {
	all, depts := scopeArgs(sc)
	return db.scanCase(db.Pool.QueryRow(ctx, "SELECT "+caseColumns+caseFrom+" WHERE r.id = $3 AND "+scopeCond(1), all, depts, id), true)
}

// OpenCase returns a case in scope with its transcript, notes and status
// history, and records in the audit log that staffID viewed it, in one
// transaction: no view without its audit row.
func (db *DB) OpenCase(ctx context.Context, sc staff.Scope, id, staffID int64) (*staff.CaseFile, error) {
	var f staff.CaseFile
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		all, depts := scopeArgs(sc)
		c, err := db.scanCase(tx.QueryRow(ctx, "SELECT "+caseColumns+caseFrom+" WHERE r.id = $3 AND "+scopeCond(1), all, depts, id), true)
		if err != nil {
			return err
		}
		f = staff.CaseFile{Case: *c}
		// Read by its assignee: no longer unread.
		if _, err := tx.Exec(ctx, "UPDATE referrals SET read_at = now() WHERE id = $1 AND claimed_by = $2", id, staffID); err != nil {
			return fmt.Errorf("open case: %w", err)
		}
		if c.ConversationID != 0 {
			rows, err := tx.Query(ctx, "SELECT id, direction, kind, text_enc, created_at FROM messages WHERE conversation_id = $1 ORDER BY id", c.ConversationID)
			if err != nil {
				return fmt.Errorf("transcript: %w", err)
			}
			for rows.Next() {
				var m staff.Message
				var dir string
				var text []byte
				if err := rows.Scan(&m.ID, &dir, &m.Kind, &text, &m.At); err != nil {
					rows.Close()
					return fmt.Errorf("transcript: %w", err)
				}
				m.Direction = bot.Direction(dir)
				if m.Text, err = db.Keys.OpenString(text, aadMessage); err != nil {
					m.Text = staff.Unreadable
				}
				f.Transcript = append(f.Transcript, m)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return fmt.Errorf("transcript: %w", err)
			}
		}
		rows, err := tx.Query(ctx, `SELECT n.id, coalesce(s.login, ''), n.text_enc, n.created_at FROM referral_notes n
			LEFT JOIN staff_accounts s ON s.id = n.staff_id WHERE n.referral_id = $1 ORDER BY n.id`, id)
		if err != nil {
			return fmt.Errorf("notes: %w", err)
		}
		for rows.Next() {
			var n staff.Note
			var text []byte
			if err := rows.Scan(&n.ID, &n.Staff, &text, &n.At); err != nil {
				rows.Close()
				return fmt.Errorf("notes: %w", err)
			}
			if n.Text, err = db.Keys.OpenString(text, aadNote); err != nil {
				n.Text = staff.Unreadable
			}
			f.Notes = append(f.Notes, n)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("notes: %w", err)
		}
		rows, err = tx.Query(ctx, `SELECT e.from_status, e.to_status, coalesce(s.login, ''), e.created_at FROM referral_events e
			LEFT JOIN staff_accounts s ON s.id = e.staff_id WHERE e.referral_id = $1 ORDER BY e.id`, id)
		if err != nil {
			return fmt.Errorf("history: %w", err)
		}
		for rows.Next() {
			var e staff.Event
			if err := rows.Scan(&e.From, &e.To, &e.Staff, &e.At); err != nil {
				rows.Close()
				return fmt.Errorf("history: %w", err)
			}
			f.Events = append(f.Events, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("history: %w", err)
		}
		return audit(ctx, tx, staff.AuditEntry{StaffID: staffID, Action: "case.view", ReferralID: id})
	})
	if err != nil {
		return nil, err
	}
	return &f, nil
}

// ChangeStatus moves a case in scope to status to, when the workflow allows
// it (else referral.ErrTransition), records the event and the audit row, and
// puts the notice (if any) in the person's outbox, all in one transaction.
// Claiming sets the case's officer.
func (db *DB) ChangeStatus(ctx context.Context, sc staff.Scope, id, staffID int64, to referral.Status, notice staff.Outgoing) error {
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		c, err := db.lockCase(ctx, tx, sc, id, false)
		if err != nil {
			return err
		}
		from := c.Status
		if !from.CanMoveTo(to) {
			return referral.ErrTransition
		}
		var by *int64
		if staffID != 0 {
			by = &staffID
		}
		if _, err := tx.Exec(ctx, `UPDATE referrals SET status = $2, updated_at = now(),
			claimed_by = CASE WHEN $5 OR claimed_by IS NULL THEN coalesce($3, claimed_by) ELSE claimed_by END,
			closed_at = CASE WHEN $4 THEN now() ELSE NULL END,
			first_answered_at = CASE WHEN $6 THEN coalesce(first_answered_at, now()) ELSE first_answered_at END
			WHERE id = $1`, id, string(to), by, to.Closed(), to == referral.StatusClaimed, answers(to)); err != nil {
			return fmt.Errorf("change status: %w", err)
		}
		if _, err := tx.Exec(ctx, "INSERT INTO referral_events (referral_id, staff_id, from_status, to_status) VALUES ($1, $2, $3, $4)",
			id, by, string(from), string(to)); err != nil {
			return fmt.Errorf("change status: %w", err)
		}
		c.Status = to
		if err := db.notify(ctx, tx, c, notice, bot.DirOut); err != nil {
			return err
		}
		return audit(ctx, tx, staff.AuditEntry{StaffID: staffID, Action: "case.status", ReferralID: id,
			Detail: map[string]string{"from": string(from), "to": string(to)}})
	})
}

// answers reports whether moving a case to status to answers the person
// (anything past "claimed"), for the time to a first answer.
func answers(to referral.Status) bool {
	return to != referral.StatusNew && to != referral.StatusClaimed
}

// SetAppointment sets (or, with a zero time, cancels) a case's
// appointment, to be reminded again, and tells the person: of the new
// appointment, or that the one to come is cancelled (notice renders both,
// by the case's AppointmentAt).
func (db *DB) SetAppointment(ctx context.Context, sc staff.Scope, id, staffID int64, at time.Time, place string, notice staff.Outgoing) error {
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		c, err := db.lockCase(ctx, tx, sc, id, false)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE referrals SET appointment_at = $2, appointment_place_enc = $3, appointment_place = '',
			reminded_at = NULL, updated_at = now() WHERE id = $1`,
			id, nullTime(at), db.Keys.SealString(place, aadPlace)); err != nil {
			return fmt.Errorf("set appointment: %w", err)
		}
		if at.IsZero() && c.AppointmentAt.IsZero() {
			return staff.ErrNoAppointment
		}
		had := c.AppointmentAt.After(time.Now())
		c.AppointmentAt, c.AppointmentPlace = at, place
		// A new appointment is told; so is the end of one still to come,
		// lest the person go to a counter that no longer expects them.
		if !at.IsZero() || had {
			if err := db.notify(ctx, tx, c, notice, bot.DirOut); err != nil {
				return err
			}
		}
		action := "case.appointment"
		if at.IsZero() {
			action = "case.appointment_cancel"
		}
		return audit(ctx, tx, staff.AuditEntry{StaffID: staffID, Action: action, ReferralID: id})
	})
}

// AddNote adds a sealed staff note to a case in scope.
func (db *DB) AddNote(ctx context.Context, sc staff.Scope, id, staffID int64, text string) error {
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		if _, err := db.lockCase(ctx, tx, sc, id, false); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "INSERT INTO referral_notes (referral_id, staff_id, text_enc) VALUES ($1, $2, $3)",
			id, staffID, db.Keys.Seal([]byte(text), aadNote)); err != nil {
			return fmt.Errorf("add note: %w", err)
		}
		return audit(ctx, tx, staff.AuditEntry{StaffID: staffID, Action: "case.note", ReferralID: id})
	})
}

// MessagePerson writes text to the person of a case in scope through the
// bot: an outbox row for the conversation and a transcript line 'staff'.
func (db *DB) MessagePerson(ctx context.Context, sc staff.Scope, id, staffID int64, text string) error {
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		c, err := db.lockCase(ctx, tx, sc, id, false)
		if err != nil {
			return err
		}
		if c.ConversationID == 0 {
			return staff.ErrNoConversation
		}
		msg := func(*staff.Case) *bot.Reply { return &bot.Reply{Text: text} }
		if err := db.notify(ctx, tx, c, msg, bot.DirStaff); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE referrals SET first_answered_at = coalesce(first_answered_at, now()) WHERE id = $1", id); err != nil {
			return fmt.Errorf("message person: %w", err)
		}
		return audit(ctx, tx, staff.AuditEntry{StaffID: staffID, Action: "case.message", ReferralID: id})
	})
}

// Outbox priorities: interactive rows go first; bulk rows (updates,
// reminders, long-wait notices) take what they leave of the rate.
const (
	priorityReply = 0
	priorityBulk  = 1
)

// notify puts the reply built by out in the outbox of the case's
// conversation, in the format of Tx.Enqueue, and adds it to the transcript.
// Nothing happens without a conversation (forgotten) or a reply.
func (db *DB) notify(ctx context.Context, tx pgx.Tx, c *staff.Case, out staff.Outgoing, dir bot.Direction) error {
	return db.notifyAs(ctx, tx, c, out, dir, priorityReply)
}

// notifyAs is notify with the outbox priority given.
func (db *DB) notifyAs(ctx context.Context, tx pgx.Tx, c *staff.Case, out staff.Outgoing, dir bot.Direction, priority int) error {
	if out == nil || c.ConversationID == 0 {
		return nil
	}
	full := out(c)
	if full == nil {
		return nil
	}
	r, err := db.discreetly(ctx, tx, c, full)
	if err != nil {
		return err
	}
	payload, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	// chat_enc is copied as sealed: the destination is never opened here.
	tag, err := tx.Exec(ctx, `INSERT INTO outbox (conversation_id, chat_enc, method, payload_enc, channel, chat_hash, priority)
		SELECT id, chat_enc, 'reply', $2, channel, chat_hash, $3 FROM conversations WHERE id = $1`,
		c.ConversationID, db.Keys.Seal(payload, aadPayload), priority)
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, "INSERT INTO messages (conversation_id, direction, kind, text_enc) VALUES ($1, $2, 'text', $3)",
		c.ConversationID, string(dir), db.Keys.SealString(full.Text, aadMessage)); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	return nil
}

// Remind puts an appointment reminder (built by out) in the outbox of every
// open case whose appointment is between now and now+within and that was not
// reminded yet, and marks it reminded. It returns how many were sent.
func (db *DB) Remind(ctx context.Context, now time.Time, within time.Duration, out staff.Outgoing) (int, error) {
	var n int
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		var err error
		n, err = db.notifyDue(ctx, tx, out, "reminded_at", now, `r.appointment_at > $1 AND r.appointment_at <= $2
			AND r.reminded_at IS NULL AND r.closed_at IS NULL`, now, now.Add(within))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("reminders: %w", err)
	}
	return n, nil
}

// notifyDue tells the person of every case matching where (with args, $1
// on) what out builds, in tx, and sets the case's column mark (a
// timestamp) to now so that it is told once; cases another process holds
// are skipped. The notices are bulk: nobody asked for them just now, so
// they go with what replies leave of the rate. It returns how many were
// told.
func (db *DB) notifyDue(ctx context.Context, tx pgx.Tx, out staff.Outgoing, mark string, now time.Time, where string, args ...any) (int, error) {
	rows, err := tx.Query(ctx, "SELECT "+caseColumns+caseFrom+" WHERE "+where+" ORDER BY r.id FOR UPDATE OF r SKIP LOCKED", args...)
	if err != nil {
		return 0, err
	}
	var due []*staff.Case
	for rows.Next() {
		c, err := db.scanCase(rows, false)
		if err != nil {
			rows.Close()
			return 0, err
		}
		due = append(due, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, c := range due {
		if err := db.notifyAs(ctx, tx, c, out, bot.DirOut, priorityBulk); err != nil {
			return 0, err
		}
		if _, err := tx.Exec(ctx, "UPDATE referrals SET "+mark+" = $2 WHERE id = $1", c.ID, now); err != nil {
			return 0, err
		}
	}
	return len(due), nil
}
