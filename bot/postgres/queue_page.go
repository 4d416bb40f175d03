package postgres

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/referral"
	"github.com/yol-project/yol/bot/staff"
)

// Staff at campaign scale (migration 0010): a queue that pages through
// every case, a case found by its code, unread marks.

// activityExpr is a case's last activity, as migration 0010 indexes it.
const activityExpr = "greatest(r.updated_at, coalesce(r.person_wrote_at, r.updated_at))"

// pageColumns are caseColumns with the unread mark and the last activity.
const pageColumns = caseColumns + `, coalesce(r.person_wrote_at > coalesce(r.read_at, '-infinity'::timestamptz), false), ` + activityExpr

// queueSQL is a queue page's two statements and their arguments.
type queueSQL struct {
	count, page         string
	countArgs, pageArgs []any
	limit               int
}

// queueQuery builds the statements of QueuePage. A scope of one
// organisation compares it with =, so that the page is read in index
// order; every organisation (admins) needs no condition at all.
func queueQuery(sc staff.Scope, f staff.QueueFilter) (queueSQL, error) {
	var args []any
	var where []string
	add := func(cond string, v ...any) {
		for _, x := range v {
			args = append(args, x)
			cond = strings.Replace(cond, "?", "$"+strconv.Itoa(len(args)), 1)
		}
		where = append(where, cond)
	}
	switch {
	case sc.None:
		add("false")
	case sc.All:
	case len(sc.Departments) == 1:
		add("r.department = ?", sc.Departments[0])
	default:
		add("r.department = ANY(?::text[])", append([]string{}, sc.Departments...))
	}
	if f.Status != "" {
		add("r.status = ?", string(f.Status))
	}
	if f.Department != "" {
		add("r.department = ?", f.Department)
	}
	if f.Language != "" {
		add("r.language = ?", f.Language)
	}
	if f.MinAgeDays > 0 {
		add("r.created_at <= now() - ? * interval '1 day'", f.MinAgeDays)
	}
	if f.Open {
		add("r.closed_at IS NULL")
	}
	if f.ClaimedBy != 0 {
		add("r.claimed_by = ?", f.ClaimedBy)
	}
	if f.Unclaimed {
		add("r.claimed_by IS NULL AND r.closed_at IS NULL")
	}
	if f.Waiting {
		add("r.status = ? AND (r.person_wrote_at IS NULL OR r.person_wrote_at < r.updated_at)", string(referral.StatusContacted))
	}
	if !f.Overdue.IsZero() {
		add("r.status = ? AND r.created_at <= ?", string(referral.StatusNew), f.Overdue)
	}
	cond := func() string {
		if len(where) == 0 {
			return ""
		}
		return " WHERE " + strings.Join(where, " AND ")
	}
	q := queueSQL{count: "SELECT count(*) FROM referrals r" + cond(), countArgs: slices.Clone(args)}
	key, order, cmp := "r.created_at", "r.created_at, r.id", ">"
	if f.Sort == staff.SortActivity {
		key, order, cmp = activityExpr, activityExpr+" DESC, r.id DESC", "<"
	}
	if f.After != "" {
		at, id, err := decodeCursor(f.After)
		if err != nil {
			return q, fmt.Errorf("queue: %w", err)
		}
		add("("+key+", r.id) "+cmp+" (?, ?)", at, id)
	}
	q.limit = f.Limit
	if q.limit <= 0 || q.limit > 500 {
		q.limit = 50
	}
	q.page = "SELECT " + pageColumns + caseFrom + cond() + " ORDER BY " + order + " LIMIT " + strconv.Itoa(q.limit+1)
	q.pageArgs = args
	return q, nil
}

// QueuePage returns a page of the cases in scope that match the filter:
// by age (oldest first) or by last activity (latest first), keyset-paged
// so that cases arriving meanwhile neither repeat nor push others off a
// page. Total counts every match. Personal fields are not read.
func (db *DB) QueuePage(ctx context.Context, sc staff.Scope, f staff.QueueFilter) (staff.QueuePage, error) {
	q, err := queueQuery(sc, f)
	if err != nil {
		return staff.QueuePage{}, err
	}
	var total int
	if err := db.Pool.QueryRow(ctx, q.count, q.countArgs...).Scan(&total); err != nil {
		return staff.QueuePage{}, fmt.Errorf("queue: %w", err)
	}
	limit := q.limit
	rows, err := db.Pool.Query(ctx, q.page, q.pageArgs...)
	if err != nil {
		return staff.QueuePage{}, fmt.Errorf("queue: %w", err)
	}
	defer rows.Close()
	page := staff.QueuePage{Total: total}
	for rows.Next() {
		c, err := db.scanPageCase(rows)
		if err != nil {
			return staff.QueuePage{}, err
		}
		page.Cases = append(page.Cases, *c)
	}
	if err := rows.Err(); err != nil {
		return staff.QueuePage{}, fmt.Errorf("queue: %w", err)
	}
	if len(page.Cases) > limit {
		page.Cases = page.Cases[:limit]
		last := page.Cases[limit-1]
		at := last.CreatedAt
		if f.Sort == staff.SortActivity {
			at = last.ActivityAt
		}
		page.Next = encodeCursor(at, last.ID)
	}
	return page, nil
}

// scanPageCase reads a row of pageColumns.
func (db *DB) scanPageCase(row pgx.Row) (*staff.Case, error) {
	var unread bool
	var activity time.Time
	c, err := db.scanCase(row, false, &unread, &activity)
	if err != nil {
		return nil, err
	}
	c.Unread, c.ActivityAt = unread, activity
	return c, nil
}

// encodeCursor makes the opaque cursor of a page's last case.
func encodeCursor(at time.Time, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(at.UnixMicro(), 10) + "." + strconv.FormatInt(id, 10)))
}

// decodeCursor reads a cursor made by encodeCursor.
func decodeCursor(s string) (time.Time, int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) > 48 {
		return time.Time{}, 0, staff.ErrCursor
	}
	a, i, ok := strings.Cut(string(b), ".")
	us, err1 := strconv.ParseInt(a, 10, 64)
	id, err2 := strconv.ParseInt(i, 10, 64)
	if !ok || err1 != nil || err2 != nil || id <= 0 {
		return time.Time{}, 0, staff.ErrCursor
	}
	return time.UnixMicro(us), id, nil
}

// FoldCode folds a reference code as typed: capitals, without dashes and
// spaces, O read as 0 and I as 1 (as migration 0010's index does).
func FoldCode(code string) string {
	r := strings.NewReplacer("O", "0", "I", "1", "-", "", " ", "", "\u00a0", "")
	return r.Replace(strings.ToUpper(strings.TrimSpace(code)))
}

// CaseByCode finds the case in scope with this code (typed in any case,
// with or without the dash, O and I read as 0 and 1) and audits the
// lookup: found or not, with the scope's answer, so that searching another
// organisation's codes leaves a trace. A code outside the scope and a code
// that does not exist give the same bot.ErrNotFound.
func (db *DB) CaseByCode(ctx context.Context, sc staff.Scope, code string, staffID int64) (*staff.Case, error) {
	folded := FoldCode(code)
	var found *staff.Case
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		var c *staff.Case
		var err error
		if len(folded) >= 4 && len(folded) <= 16 {
			all, depts := scopeArgs(sc)
			c, err = db.scanCase(tx.QueryRow(ctx, "SELECT "+caseColumns+caseFrom+
				" WHERE translate(upper(r.code), 'OI- ', '01') = $3 AND "+scopeCond(1), all, depts, folded), false)
		} else {
			err = bot.ErrNotFound
		}
		detail := map[string]string{"found": "yes"}
		var refID int64
		switch {
		case errors.Is(err, bot.ErrNotFound):
			detail["found"] = "no"
		case err != nil:
			return err
		default:
			found, refID = c, c.ID
		}
		// The code typed is not kept: it is the person's key.
		return audit(ctx, tx, staff.AuditEntry{StaffID: staffID, Action: "case.lookup", ReferralID: refID, Detail: detail})
	})
	if err != nil {
		return nil, err
	}
	if found == nil {
		return nil, bot.ErrNotFound
	}
	return found, nil
}
