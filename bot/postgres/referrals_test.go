package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/bot/staff"
)

func newCase(t *testing.T, db *postgres.DB, ch bot.Channel, chatID int64, dept string) *bot.Referral {
	t.Helper()
	ctx := context.Background()
	r := &bot.Referral{Code: bot.NewReferralCode(), Department: dept, Language: "en", Status: "new", ContactMethod: "telegram",
		Summary: "answers", Phone: "+994500000001"}
	err := db.InTx(ctx, func(tx bot.Tx) error {
		c, err := tx.Conversation(ctx, bot.Chat{Channel: ch, ID: chatID})
		if err != nil {
			return err
		}
		c.ConsentAt = time.Now()
		if err := tx.SaveConversation(ctx, c); err != nil {
			return err
		}
		if err := tx.AddMessage(ctx, c, bot.DirIn, "text", "hello"); err != nil {
			return err
		}
		return tx.CreateReferral(ctx, c, r)
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func reply(text string) staff.Outgoing {
	return func(*staff.Case) *bot.Reply { return &bot.Reply{Text: text} }
}

// TestCaseScopeInSQL: every case method refuses a case outside the scope
// exactly as a missing one, and changes nothing.
func TestCaseScopeInSQL(t *testing.T) {
	db := pgtest.DB(t)
	ctx := context.Background()
	r := newCase(t, db, bot.ChannelTelegram, 1, "ganja_dept")
	for name, sc := range map[string]staff.Scope{
		"other department":  {Departments: []string{"baku_dept"}},
		"no department":     {},
		"editor":            {None: true},
		"editor with depts": {None: true, Departments: []string{"ganja_dept"}},
	} {
		if q, err := queueOf(ctx, db, sc); err != nil || len(q) != 0 {
			t.Errorf("%s: queue %v %v", name, q, err)
		}
		checks := map[string]error{}
		_, checks["Case"] = db.Case(ctx, sc, r.ID)
		_, checks["OpenCase"] = db.OpenCase(ctx, sc, r.ID, 0)
		checks["ChangeStatus"] = db.ChangeStatus(ctx, sc, r.ID, 0, "claimed", reply("x"))
		checks["SetAppointment"] = db.SetAppointment(ctx, sc, r.ID, 0, time.Now().Add(time.Hour), "x", reply("x"))
		checks["AddNote"] = db.AddNote(ctx, sc, r.ID, 0, "x")
		checks["MessagePerson"] = db.MessagePerson(ctx, sc, r.ID, 0, "x")
		for m, err := range checks {
			if !errors.Is(err, bot.ErrNotFound) {
				t.Errorf("%s: %s: got %v, want ErrNotFound", name, m, err)
			}
		}
	}
	var n int
	db.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM outbox) + (SELECT count(*) FROM referral_notes) + (SELECT count(*) FROM audit_log)
		+ (SELECT count(*) FROM referrals WHERE status <> 'new' OR appointment_at IS NOT NULL)`).Scan(&n)
	if n != 0 {
		t.Errorf("refused calls left %d rows", n)
	}
	// In scope: the case, opened.
	c, err := db.Case(ctx, staff.Scope{Departments: []string{"ganja_dept"}}, r.ID)
	if err != nil || c.Summary != "answers" || c.Phone != "+994500000001" || c.Channel != bot.ChannelTelegram {
		t.Fatalf("in scope: %+v %v", c, err)
	}
	f, err := db.OpenCase(ctx, staff.Scope{All: true}, r.ID, 0)
	if err != nil || len(f.Transcript) != 1 || f.Transcript[0].Text != "hello" || len(f.Events) != 1 {
		t.Fatalf("open case: %+v %v", f, err)
	}
}

func TestRemindAndSimulatorReplies(t *testing.T) {
	db := pgtest.DB(t)
	ctx := context.Background()
	all := staff.Scope{All: true}
	tg := newCase(t, db, bot.ChannelTelegram, 10, "baku_dept")
	sim := newCase(t, db, bot.ChannelSimulator, 11, "baku_dept")
	now := time.Now()
	db.SetAppointment(ctx, all, tg.ID, 0, now.Add(23*time.Hour), "room 1", nil)
	db.SetAppointment(ctx, all, sim.ID, 0, now.Add(49*time.Hour), "room 2", nil) // not yet due
	n, err := db.Remind(ctx, now, 24*time.Hour, reply("reminder"))
	if err != nil || n != 1 {
		t.Fatalf("remind: %d %v, want 1", n, err)
	}
	if n, _ := db.Remind(ctx, now, 24*time.Hour, reply("reminder")); n != 0 {
		t.Errorf("reminded twice")
	}
	// A new appointment is reminded again.
	db.SetAppointment(ctx, all, tg.ID, 0, now.Add(20*time.Hour), "room 3", nil)
	if n, _ := db.Remind(ctx, now, 24*time.Hour, reply("reminder")); n != 1 {
		t.Errorf("moved appointment not reminded")
	}
	// Simulator replies: only the simulator chat's, once, in order.
	db.MessagePerson(ctx, all, sim.ID, 0, "one")
	db.MessagePerson(ctx, all, sim.ID, 0, "two")
	db.MessagePerson(ctx, all, tg.ID, 0, "telegram")
	simChat := bot.Chat{Channel: bot.ChannelSimulator, ID: 11}
	got, err := db.TakeReplies(ctx, simChat)
	if err != nil || len(got) != 2 || got[0].Text != "one" || got[1].Text != "two" {
		t.Fatalf("simulator replies: %+v %v", got, err)
	}
	if got, _ := db.TakeReplies(ctx, simChat); len(got) != 0 {
		t.Errorf("read twice: %+v", got)
	}
	if got, _ := db.TakeReplies(ctx, bot.Chat{Channel: bot.ChannelSimulator, ID: 10}); len(got) != 0 {
		t.Errorf("a Telegram chat id read through the simulator: %+v", got)
	}
	if _, err := db.TakeReplies(ctx, bot.Chat{Channel: bot.ChannelTelegram, ID: 10}); err == nil {
		t.Errorf("Telegram's rows were taken by chat; its sender sends them")
	}
	if _, err := db.Funnel(ctx, "name; DROP TABLE x", now, now, time.UTC); err == nil {
		t.Errorf("unknown grouping accepted")
	}
}

func TestAccountsAndSessions(t *testing.T) {
	db := pgtest.DB(t)
	ctx := context.Background()
	a := &staff.Account{Login: "leyla", Role: staff.RoleStaff, Departments: []string{"baku_dept"}, PasswordHash: "$argon2id$x"}
	if err := db.CreateAccount(ctx, a, 0); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateAccount(ctx, &staff.Account{Login: "leyla", Role: staff.RoleEditor, PasswordHash: "x"}, 0); !errors.Is(err, staff.ErrLoginTaken) {
		t.Errorf("duplicate login: %v", err)
	}
	tok := make([]byte, 32)
	tok[0] = 1
	if err := db.CreateSession(ctx, tok, a.ID, time.Now().Add(time.Hour), "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	got, err := db.SessionAccount(ctx, tok, time.Minute)
	if err != nil || got.Login != "leyla" || got.Scope().All || got.Scope().Departments[0] != "baku_dept" {
		t.Fatalf("session: %+v %v", got, err)
	}
	if err := db.SetAccountDisabled(ctx, a.ID, true, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SessionAccount(ctx, tok, time.Minute); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("disabled account's session: %v", err)
	}
	created, err := db.CreateFirstAdmin(ctx, &staff.Account{Login: "admin", PasswordHash: "h"})
	if err != nil || !created {
		t.Fatalf("first admin: %v %v", created, err)
	}
	if created, _ := db.CreateFirstAdmin(ctx, &staff.Account{Login: "admin2", PasswordHash: "h"}); created {
		t.Errorf("second first admin created")
	}
	log, err := db.AuditLog(ctx, 0, 0)
	if err != nil || len(log) < 4 || log[0].ID < log[len(log)-1].ID {
		t.Errorf("audit log newest first: %+v %v", log, err)
	}
}

// One open referral per conversation, also when requests race: the store
// is asked from parallel transactions that do not hold the conversation's
// lock, and exactly one referral is created; the others are told its code.
func TestOneOpenReferralPerConversationInParallel(t *testing.T) {
	db := pgtest.DB(t)
	ctx := context.Background()
	var conv *bot.Conversation
	err := db.InTx(ctx, func(tx bot.Tx) error {
		var err error
		conv, err = tx.Conversation(ctx, bot.Chat{Channel: bot.ChannelTelegram, ID: 7})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	const n = 8
	type result struct {
		code string
		err  error
	}
	results := make(chan result, n)
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		go func() {
			<-start
			r := &bot.Referral{Code: bot.NewReferralCode(), Department: "baku_central", Language: "en", Status: "new", ContactMethod: "telegram"}
			err := db.InTx(ctx, func(tx bot.Tx) error {
				c := &bot.Conversation{ID: conv.ID, Person: conv.Person} // no lock taken
				return tx.CreateReferral(ctx, c, r)
			})
			results <- result{r.Code, err}
		}()
	}
	close(start)
	created, told := "", map[string]int{}
	for i := 0; i < n; i++ {
		res := <-results
		switch {
		case res.err == nil && created == "":
			created = res.code
		case res.err == nil:
			t.Errorf("a second referral was created: %s and %s", created, res.code)
		case errors.Is(res.err, bot.ErrReferralOpen):
			told[res.code]++
		default:
			t.Errorf("CreateReferral: %v", res.err)
		}
	}
	var rows int
	if err := db.Pool.QueryRow(ctx, "SELECT count(*) FROM referrals WHERE conversation_id = $1", conv.ID).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != 1 || created == "" || told[created] != n-1 {
		t.Errorf("rows %d, created %q, told %v; want 1 row and the %d others told its code", rows, created, told, n-1)
	}
	// Closed, it makes room for a new one.
	var id int64
	db.Pool.QueryRow(ctx, "SELECT id FROM referrals WHERE conversation_id = $1", conv.ID).Scan(&id)
	if err := db.ChangeStatus(ctx, staff.Scope{All: true}, id, 0, "no_response", nil); err != nil {
		t.Fatal(err)
	}
	err = db.InTx(ctx, func(tx bot.Tx) error {
		return tx.CreateReferral(ctx, conv, &bot.Referral{Code: bot.NewReferralCode(), Department: "baku_central", Status: "new", ContactMethod: "telegram"})
	})
	if err != nil {
		t.Errorf("a new referral after the first was closed: %v", err)
	}
}

// The appointment place is sealed, read back where staff and the person
// see it, and erased with the referral's other personal fields.
func TestAppointmentPlaceSealed(t *testing.T) {
	db := pgtest.DB(t)
	ctx := context.Background()
	all := staff.Scope{All: true}
	const place = "room 5, ask for Leyla"
	r := newCase(t, db, bot.ChannelTelegram, 1, "baku_central")
	if err := db.SetAppointment(ctx, all, r.ID, 0, time.Now().Add(48*time.Hour), place, reply("see you")); err != nil {
		t.Fatal(err)
	}
	var clear int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM referrals WHERE position('Leyla' in appointment_place) > 0
		OR position('Leyla'::bytea in coalesce(appointment_place_enc, '')) > 0`).Scan(&clear); err != nil {
		t.Fatal(err)
	}
	if clear != 0 {
		t.Error("the appointment place is stored in plain text")
	}
	if c, err := db.Case(ctx, all, r.ID); err != nil || c.AppointmentPlace != place {
		t.Errorf("Case: place %q, %v; want %q", c.AppointmentPlace, err, place)
	}
	err := db.InTx(ctx, func(tx bot.Tx) error {
		c, err := tx.Conversation(ctx, bot.Chat{Channel: bot.ChannelTelegram, ID: 1})
		if err != nil {
			return err
		}
		open, err := tx.OpenReferral(ctx, c)
		if err == nil && open.AppointmentPlace != place {
			t.Errorf("OpenReferral: place %q, want %q", open.AppointmentPlace, place)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// Erased on /forget, and by any statement that anonymises a referral.
	if err := db.ForgetChat(ctx, bot.Chat{Channel: bot.ChannelTelegram, ID: 1}); err != nil {
		t.Fatal(err)
	}
	r2 := newCase(t, db, bot.ChannelTelegram, 2, "baku_central")
	if err := db.SetAppointment(ctx, all, r2.ID, 0, time.Now().Add(48*time.Hour), place, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, "UPDATE referrals SET closed_at = now(), anonymised_at = now() WHERE id = $1", r2.ID); err != nil {
		t.Fatal(err)
	}
	var kept int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM referrals WHERE appointment_place_enc IS NOT NULL OR appointment_place <> ''`).Scan(&kept); err != nil {
		t.Fatal(err)
	}
	if kept != 0 {
		t.Errorf("%d referrals keep an appointment place after /forget or anonymisation", kept)
	}
}
