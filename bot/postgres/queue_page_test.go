package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/bot/referral"
	"github.com/yol-project/yol/bot/staff"
)

// storeCase stores a referral with code for a new conversation in chat and
// returns its id.
func storeCase(t testing.TB, db *postgres.DB, chat int64, department, code string) int64 {
	t.Helper()
	var id int64
	err := db.InTx(context.Background(), func(tx bot.Tx) error {
		c, err := tx.Conversation(context.Background(), bot.Chat{Channel: bot.ChannelSimulator, ID: chat})
		if err != nil {
			return err
		}
		r := &bot.Referral{Code: code, Department: department, Status: referral.StatusNew, ContactMethod: "telegram"}
		if err := tx.CreateReferral(context.Background(), c, r); err != nil {
			return err
		}
		id = r.ID
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestQueuePagesVisitEveryCaseOnce: paging by age and by activity visits
// every case of the scope exactly once, even while new cases arrive
// between pages, and the total counts the filter's matches.
func TestQueuePagesVisitEveryCaseOnce(t *testing.T) {
	db := pgtest.DB(t)
	ctx := context.Background()
	for i := range 23 {
		storeCase(t, db, int64(i+1), "ganja_regional", fmt.Sprintf("G%02d-AAAA", i))
	}
	storeCase(t, db, 100, "baku_central", "B00-AAAA")
	sc := staff.Scope{Departments: []string{"ganja_regional"}}
	for _, sort := range []staff.QueueSort{staff.SortAge, staff.SortActivity} {
		var there int
		db.Pool.QueryRow(ctx, "SELECT count(*) FROM referrals WHERE department = 'ganja_regional'").Scan(&there)
		seen := map[int64]int{}
		f := staff.QueueFilter{Sort: sort, Limit: 5}
		pages := 0
		for {
			page, err := db.QueuePage(ctx, sc, f)
			if err != nil {
				t.Fatal(err)
			}
			if pages == 0 && page.Total != there {
				t.Errorf("%s: total = %d, want %d", sort, page.Total, there)
			}
			for _, c := range page.Cases {
				seen[c.ID]++
				if c.Department != "ganja_regional" {
					t.Errorf("%s: a case of %s in the page", sort, c.Department)
				}
			}
			pages++
			// A case arrives between pages: it is newer than all, so it is
			// behind an age page and ahead of an activity page; neither
			// repeats nor hides an old one.
			storeCase(t, db, int64(1000+pages+len(sort)*100), "ganja_regional", fmt.Sprintf("N%02d-%04d", pages, len(sort)))
			if page.Next == "" {
				break
			}
			f.After = page.Next
		}
		for id, n := range seen {
			if n != 1 {
				t.Errorf("%s: case %d seen %d times", sort, id, n)
			}
		}
		if len(seen) < there {
			t.Errorf("%s: %d cases seen, want at least the %d there at the start", sort, len(seen), there)
		}
	}
	if _, err := db.QueuePage(ctx, sc, staff.QueueFilter{After: "not-a-cursor"}); !errors.Is(err, staff.ErrCursor) {
		t.Errorf("a bad cursor: %v, want a cursor error", err)
	}
}

// TestQueueFiltersAndUnread: claimed by me, unclaimed, waiting for the
// person, overdue; a case the person wrote to is unread until its assignee
// opens it, and moves to the top by activity.
func TestQueueFiltersAndUnread(t *testing.T) {
	db := pgtest.DB(t)
	ctx := context.Background()
	me := &staff.Account{Login: "leyla", Role: staff.RoleStaff, Departments: []string{"ganja_regional"}, PasswordHash: "$argon2id$x"}
	if err := db.CreateAccount(ctx, me, 0); err != nil {
		t.Fatal(err)
	}
	sc := me.Scope()
	claimed := storeCase(t, db, 1, "ganja_regional", "CLM-AAAA")
	contacted := storeCase(t, db, 2, "ganja_regional", "CNT-AAAA")
	old := storeCase(t, db, 3, "ganja_regional", "OLD-AAAA")
	if err := db.ChangeStatus(ctx, sc, claimed, me.ID, referral.StatusClaimed, nil); err != nil {
		t.Fatal(err)
	}
	if err := db.ChangeStatus(ctx, sc, contacted, me.ID, referral.StatusClaimed, nil); err != nil {
		t.Fatal(err)
	}
	if err := db.ChangeStatus(ctx, sc, contacted, me.ID, referral.StatusContacted, nil); err != nil {
		t.Fatal(err)
	}
	db.Pool.Exec(ctx, "UPDATE referrals SET created_at = now() - interval '10 days', updated_at = now() - interval '10 days' WHERE id = $1", old)
	ids := func(f staff.QueueFilter) []int64 {
		t.Helper()
		page, err := db.QueuePage(ctx, sc, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, c := range page.Cases {
			out = append(out, c.ID)
		}
		return out
	}
	now := time.Now()
	for _, tt := range []struct {
		name string
		f    staff.QueueFilter
		want []int64
	}{
		{"claimed by me", staff.QueueFilter{ClaimedBy: me.ID}, []int64{claimed, contacted}},
		{"unclaimed", staff.QueueFilter{Unclaimed: true}, []int64{old}},
		{"waiting for the person", staff.QueueFilter{Waiting: true}, []int64{contacted}},
		{"overdue", staff.QueueFilter{Overdue: referral.OverdueBefore(now, time.UTC)}, []int64{old}},
	} {
		if got := ids(tt.f); fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
	// The person of the claimed case writes.
	err := db.InTx(ctx, func(tx bot.Tx) error {
		c, err := tx.Conversation(ctx, bot.Chat{Channel: bot.ChannelSimulator, ID: 1})
		if err != nil {
			return err
		}
		return tx.AddMessage(ctx, c, bot.DirIn, "text", "any news?")
	})
	if err != nil {
		t.Fatal(err)
	}
	page, _ := db.QueuePage(ctx, sc, staff.QueueFilter{Sort: staff.SortActivity})
	if len(page.Cases) == 0 || page.Cases[0].ID != claimed || !page.Cases[0].Unread {
		t.Fatalf("by activity, the case the person wrote to is not first and unread: %+v", page.Cases)
	}
	if got := ids(staff.QueueFilter{Waiting: true}); len(got) != 1 {
		t.Errorf("waiting: %v", got)
	}
	if _, err := db.OpenCase(ctx, sc, claimed, me.ID); err != nil {
		t.Fatal(err)
	}
	page, _ = db.QueuePage(ctx, sc, staff.QueueFilter{Sort: staff.SortActivity})
	if page.Cases[0].Unread {
		t.Errorf("still unread after its assignee opened it")
	}
}

// TestCaseByCode: a code typed in small letters, without its dash or with
// O and I for 0 and 1 finds the case; another organisation's code and a
// code that does not exist give the same answer, and every lookup is
// audited without the code.
func TestCaseByCode(t *testing.T) {
	db := pgtest.DB(t)
	ctx := context.Background()
	mine := storeCase(t, db, 1, "ganja_regional", "K7M-4QX9")
	storeCase(t, db, 2, "baku_central", "B2C-4QX9")
	sc := staff.Scope{Departments: []string{"ganja_regional"}}
	for _, typed := range []string{"K7M-4QX9", "k7m4qx9", " k7m 4qx9 ", "K7M 4QX9"} {
		c, err := db.CaseByCode(ctx, sc, typed, 0)
		if err != nil || c.ID != mine {
			t.Errorf("%q: %v %v, want case %d", typed, c, err, mine)
		}
	}
	// Look-alikes: a case whose code holds 0 and 1 is found by O and I.
	odd := storeCase(t, db, 3, "ganja_regional", "A0B-1CDE")
	if c, err := db.CaseByCode(ctx, sc, "aob-icde", 0); err != nil || c.ID != odd {
		t.Errorf("O and I for 0 and 1: %v %v", c, err)
	}
	_, errOther := db.CaseByCode(ctx, sc, "B2C-4QX9", 0)
	_, errNone := db.CaseByCode(ctx, sc, "ZZZ-9999", 0)
	_, errJunk := db.CaseByCode(ctx, sc, "'; DROP TABLE referrals; --", 0)
	for _, err := range []error{errOther, errNone, errJunk} {
		if !errors.Is(err, bot.ErrNotFound) {
			t.Errorf("not this organisation's code: %v, want ErrNotFound", err)
		}
	}
	var found, notFound, withCode int
	db.Pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE detail->>'found' = 'yes'), count(*) FILTER (WHERE detail->>'found' = 'no'),
		count(*) FILTER (WHERE detail::text LIKE '%4QX9%') FROM audit_log WHERE action = 'case.lookup'`).Scan(&found, &notFound, &withCode)
	if found != 5 || notFound != 3 || withCode != 0 {
		t.Errorf("audit: %d found, %d not, %d holding a code; want 5, 3, 0", found, notFound, withCode)
	}
}

// queueOf is the queue of scope sc, up to 500 cases.
func queueOf(ctx context.Context, db *postgres.DB, sc staff.Scope) ([]staff.Case, error) {
	page, err := db.QueuePage(ctx, sc, staff.QueueFilter{Limit: 500})
	return page.Cases, err
}
