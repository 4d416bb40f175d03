package postgres_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/bot/staff"
)

// subscriber stores a Telegram conversation in lang, subscribed for region
// ("" for every update), with campaign source campaign.
func subscriber(t *testing.T, db *postgres.DB, chat int64, lang, region, campaign string) {
	t.Helper()
	ctx := context.Background()
	err := db.InTx(ctx, func(tx bot.Tx) error {
		c, err := tx.Conversation(ctx, bot.Chat{Channel: bot.ChannelTelegram, ID: chat})
		if err != nil {
			return err
		}
		c.Language, c.Campaign = lang, campaign
		c.Updates = bot.Subscription{Since: time.Now(), Region: region}
		return tx.SaveConversation(ctx, c)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// updateReply is the reply of an update in a test: the text alone.
func updateReply(lang, text string) bot.Reply { return bot.Reply{Text: lang + ":" + text} }

// An update without a text for a language of its audience is refused and
// queues nothing; with every text it goes to each subscriber of the
// audience once, in their language.
func TestUpdateRefusedWithoutEveryLanguage(t *testing.T) {
	db := pgtest.DB(t)
	ctx := context.Background()
	subscriber(t, db, 1, "en", "", "")
	subscriber(t, db, 2, "ru", "ganja_regional", "poster1")
	subscriber(t, db, 3, "fa", "baku_regional", "poster1")
	tests := []struct {
		name, audience, value string
		texts                 map[string]string
		missing               []string
		want                  []string // texts claimed
	}{
		{"all, two texts of three", staff.AudienceAll, "", map[string]string{"en": "x", "ru": "x"}, []string{"fa"}, nil},
		{"all, an empty text", staff.AudienceAll, "", map[string]string{"en": "x", "ru": " ", "fa": "x"}, []string{"ru"}, nil},
		{"a region: its subscribers and those of every update", staff.AudienceRegion, "ganja_regional",
			map[string]string{"en": "g", "ru": "g"}, nil, []string{"en:g", "ru:g"}},
		{"a language", staff.AudienceLanguage, "fa", map[string]string{"fa": "f"}, nil, []string{"fa:f"}},
		{"a campaign source", staff.AudienceCampaign, "poster1", map[string]string{"ru": "c", "fa": "c"}, nil, []string{"fa:c", "ru:c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := db.CreateUpdate(ctx, staff.Update{Texts: tt.texts, Audience: tt.audience, AudienceValue: tt.value, SendAt: time.Now()})
			if err != nil {
				t.Fatal(err)
			}
			n, err := db.QueueUpdate(ctx, id, 0, updateReply)
			var me *staff.MissingTextsError
			if tt.missing != nil {
				if !errors.As(err, &me) || !slices.Equal(me.Languages, tt.missing) {
					t.Fatalf("queue: got %v, want missing %v", err, tt.missing)
				}
				if got := claimBulk(t, db); len(got) != 0 {
					t.Errorf("refused update queued %v", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := claimBulk(t, db)
			if n != len(tt.want) || !slices.Equal(got, tt.want) {
				t.Errorf("queued %d %v, want %v", n, got, tt.want)
			}
			if _, err := db.QueueUpdate(ctx, id, 0, updateReply); !errors.Is(err, staff.ErrAlreadyQueued) {
				t.Errorf("queued twice: got %v, want ErrAlreadyQueued", err)
			}
		})
	}
}

// claimBulk claims every due bulk row, marks it sent and returns their
// texts, sorted.
func claimBulk(t *testing.T, db *postgres.DB) []string {
	t.Helper()
	var out []string
	var ids []int64
	var parts []int
	if err := db.ClaimBulk(context.Background(), 100, time.Hour, time.Second, func(o bot.Outgoing) {
		out = append(out, o.Reply.Text)
		ids, parts = append(ids, o.ID), append(parts, 1)
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkRepliesSent(context.Background(), ids, parts, 0); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// Bulk rows wait while the global rate is booked ahead; interactive
// replies do not, and a bulk row in front of a person's reply goes with it.
func TestBulkTakesWhatRepliesLeave(t *testing.T) {
	db := pgtest.DB(t)
	ctx := context.Background()
	subscriber(t, db, 1, "en", "", "")
	subscriber(t, db, 2, "en", "", "")
	id, err := db.CreateUpdate(ctx, staff.Update{Texts: map[string]string{"en": "u"}, Audience: staff.AudienceAll, SendAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.QueueUpdate(ctx, id, 0, updateReply); err != nil {
		t.Fatal(err)
	}
	enqueueReplies(t, db, 1, "reply")
	if _, err := db.ReserveSendSlots(ctx, 1, 3*time.Second); err != nil {
		t.Fatal(err)
	}
	if got := claimBulk(t, db); len(got) != 0 {
		t.Errorf("bulk claimed while the rate is booked 3 s ahead: %v", got)
	}
	if got, want := texts(claim(t, db, 10)), []string{"en:u"}; !slices.Equal(got, want) {
		t.Errorf("interactive claim: got %v, want %v (the update in front of chat 1's reply)", got, want)
	}
}

// An update to more than 1,000 people needs a second person: the author
// cannot approve it; another staff member can.
func TestLargeUpdateNeedsSecondPerson(t *testing.T) {
	db := pgtest.DB(t)
	ctx := context.Background()
	if _, err := db.Pool.Exec(ctx, `WITH c AS (
		INSERT INTO conversations (chat_hash, chat_enc, language) SELECT int8send(g), '\x00', 'az' FROM generate_series(1, 1001) g RETURNING id)
		INSERT INTO update_subscriptions (conversation_id) SELECT id FROM c`); err != nil {
		t.Fatal(err)
	}
	var author, other int64
	for i, login := range []string{"author", "other"} {
		var id int64
		if err := db.Pool.QueryRow(ctx, `INSERT INTO staff_accounts (login, password_hash, role) VALUES ($1, 'x', 'admin') RETURNING id`, login).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			author = id
		} else {
			other = id
		}
	}
	id, err := db.CreateUpdate(ctx, staff.Update{Texts: map[string]string{"az": "x"}, Audience: staff.AudienceAll, SendAt: time.Now(), CreatedBy: author})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.QueueUpdate(ctx, id, author, updateReply); !errors.Is(err, staff.ErrNeedsApproval) {
		t.Fatalf("unapproved: got %v, want ErrNeedsApproval", err)
	}
	if err := db.ApproveUpdate(ctx, id, author); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("the author approved their own update: %v", err)
	}
	if err := db.ApproveUpdate(ctx, id, other); err != nil {
		t.Fatal(err)
	}
	n, err := db.QueueUpdate(ctx, id, author, updateReply)
	if err != nil || n != 1001 {
		t.Fatalf("approved: queued %d, %v; want 1001", n, err)
	}
	var audited int
	db.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action IN ('update.create', 'update.approve', 'update.send')`).Scan(&audited)
	if audited != 3 {
		t.Errorf("audit entries: got %d, want 3 (create, approve, send)", audited)
	}
}

// Two replicas (two transactions on their own connections) queueing the
// same update at once queue it once; a person
// who stops after it counts as unsubscribed after it.
func TestUpdateQueuedOnceAcrossReplicas(t *testing.T) {
	db := pgtest.DB(t)
	ctx := context.Background()
	subscriber(t, db, 1, "en", "", "")
	subscriber(t, db, 2, "en", "", "")
	id, err := db.CreateUpdate(ctx, staff.Update{Texts: map[string]string{"en": "u"}, Audience: staff.AudienceAll, SendAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range 2 {
		wg.Go(func() { _, errs[i] = db.QueueUpdate(ctx, id, 0, updateReply) })
	}
	wg.Wait()
	ok, again := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, staff.ErrAlreadyQueued):
			again++
		default:
			t.Fatal(err)
		}
	}
	if ok != 1 || again != 1 {
		t.Errorf("two replicas: %d queued, %d already queued; want 1 and 1", ok, again)
	}
	err = db.InTx(ctx, func(tx bot.Tx) error {
		c, err := tx.Conversation(ctx, bot.Chat{Channel: bot.ChannelTelegram, ID: 2})
		if err != nil {
			return err
		}
		c.Updates = bot.Subscription{}
		return tx.SaveConversation(ctx, c)
	})
	if err != nil {
		t.Fatal(err)
	}
	st, err := db.UpdateStats(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if want := (staff.UpdateStats{Queued: 2, Unsubscribed: 1}); st != want {
		t.Errorf("stats: got %+v, want %+v", st, want)
	}
}

// Reminders and long-wait notices are bulk (priority 1); a message staff
// write to a person is not.
func TestRemindersAreBulk(t *testing.T) {
	db := pgtest.DB(t)
	ctx := context.Background()
	all := staff.Scope{All: true}
	c := newCase(t, db, bot.ChannelTelegram, 10, "baku_dept")
	now := time.Now()
	if err := db.SetAppointment(ctx, all, c.ID, 0, now.Add(23*time.Hour), "room 1", nil); err != nil {
		t.Fatal(err)
	}
	before := count0(t, db, "SELECT count(*) FROM outbox WHERE priority = 0")
	if n, err := db.Remind(ctx, now, 24*time.Hour, reply("reminder")); err != nil || n != 1 {
		t.Fatalf("remind: %d %v, want 1", n, err)
	}
	if err := db.MessagePerson(ctx, all, c.ID, 0, "from staff"); err != nil {
		t.Fatal(err)
	}
	if got, want := count0(t, db, "SELECT count(*) FROM outbox WHERE priority = 1"), 1; got != want {
		t.Errorf("bulk rows after a reminder: got %d, want %d", got, want)
	}
	if got, want := count0(t, db, "SELECT count(*) FROM outbox WHERE priority = 0"), before+1; got != want {
		t.Errorf("interactive rows: got %d, want %d (the staff message)", got, want)
	}
	waiting := newCase(t, db, bot.ChannelTelegram, 11, "baku_dept")
	if _, err := db.Pool.Exec(ctx, "UPDATE referrals SET created_at = now() - interval '30 days' WHERE id = $1", waiting.ID); err != nil {
		t.Fatal(err)
	}
	if n, err := db.NoticeLongWaits(ctx, now, reply("still waiting")); err != nil || n != 1 {
		t.Fatalf("long waits: %d %v, want 1", n, err)
	}
	if got, want := count0(t, db, "SELECT count(*) FROM outbox WHERE priority = 1"), 2; got != want {
		t.Errorf("bulk rows after a long-wait notice: got %d, want %d", got, want)
	}
}

// count0 runs a count query.
func count0(t *testing.T, db *postgres.DB, sql string) int {
	t.Helper()
	var n int
	if err := db.Pool.QueryRow(context.Background(), sql).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A subscriber with discreet notices on (the default) first gets the
// neutral line with a "show" button, the update held until it is pressed
// and shown once; one who turned them off gets the update itself.
func TestDiscreetSubscriberGetsTheNeutralLine(t *testing.T) {
	db := pgtest.DB(t)
	ctx := context.Background()
	db.Teaser = func(lang string) *bot.Teaser { return &bot.Teaser{Text: lang + ":neutral", Show: lang + ":show"} }
	subscriber(t, db, 1, "en", "", "")
	subscriber(t, db, 2, "en", "", "")

	err := db.InTx(ctx, func(tx bot.Tx) error {
		c, err := tx.Conversation(ctx, bot.Chat{Channel: bot.ChannelTelegram, ID: 2})
		if err != nil {
			return err
		}

		return tx.(bot.PhoneTx).SetDiscreet(ctx, c, false)
	})
	if err != nil {
		t.Fatal(err)
	}
	id, err := db.CreateUpdate(ctx, staff.Update{Texts: map[string]string{"en": "new hours"}, Audience: staff.AudienceAll, SendAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := db.QueueUpdate(ctx, id, 0, updateReply); err != nil || n != 2 {
		t.Fatalf("queue: %d, %v; want 2", n, err)
	}
	var got []bot.Outgoing
	if err := db.ClaimBulk(ctx, 100, time.Hour, time.Second, func(o bot.Outgoing) { got = append(got, o) }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("claimed %d rows, want 2", len(got))
	}
	var show string
	for _, o := range got {
		switch {
		case o.ChatID == 2 && o.Reply.Text == "en:new hours":
		case o.ChatID == 1 && o.Reply.Text == "en:neutral" && len(o.Reply.Buttons) == 1 && len(o.Reply.Buttons[0]) == 1:
			show = o.Reply.Buttons[0][0].Data
		default:
			t.Errorf("chat %d got %q %v", o.ChatID, o.Reply.Text, o.Reply.Buttons)
		}
	}
	if show == "" {
		t.Fatal("the discreet subscriber got no neutral line with a show button")
	}
	heldID, err := strconv.ParseInt(strings.TrimPrefix(show, "!show:"), 10, 64)
	if err != nil {
		t.Fatalf("show button %q: %v", show, err)
	}
	take := func() (bot.Reply, error) {
		var r bot.Reply
		err := db.InTx(ctx, func(tx bot.Tx) error {
			c, err := tx.Conversation(ctx, bot.Chat{Channel: bot.ChannelTelegram, ID: 1})
			if err != nil {
				return err
			}
			r, err = tx.(bot.PhoneTx).TakeNotice(ctx, c, heldID)
			return err
		})
		return r, err
	}
	if r, err := take(); err != nil || r.Text != "en:new hours" {
		t.Errorf("show: %q, %v; want the update", r.Text, err)
	}
	if _, err := take(); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("show twice: %v, want ErrNotFound", err)
	}
}
