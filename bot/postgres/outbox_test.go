package postgres_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/postgres/pgtest"
)

func enqueueReplies(t *testing.T, db *postgres.DB, chat int64, texts ...string) int64 {
	t.Helper()
	var conv int64
	err := db.InTx(context.Background(), func(tx bot.Tx) error {
		c, err := tx.Conversation(context.Background(), bot.Chat{Channel: bot.ChannelTelegram, ID: chat})
		if err != nil {
			return err
		}
		conv = c.ID
		var rs []bot.Reply
		for _, s := range texts {
			rs = append(rs, bot.Reply{Text: s})
		}
		return tx.Enqueue(context.Background(), c, rs)
	})
	if err != nil {
		t.Fatal(err)
	}
	return conv
}

type claimedRow struct {
	id, conv, chat int64
	text           string
	attempts       int
}

func claim(t *testing.T, db *postgres.DB, limit int) []claimedRow {
	t.Helper()
	var out []claimedRow
	err := db.ClaimReplies(context.Background(), limit, time.Minute, func(o bot.Outgoing) {
		out = append(out, claimedRow{o.ID, o.ConversationID, o.ChatID, o.Reply.Text, o.Attempts})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func texts(rows []claimedRow) []string {
	var s []string
	for _, r := range rows {
		s = append(s, r.text)
	}
	slices.Sort(s)
	return s
}

// Only a chat's earliest pending reply is due; a leased row holds the
// chat's later rows back; sent rows let the next one through.
func TestClaimRepliesOrderPerChat(t *testing.T) {
	db := pgtest.DB(t)
	ctx := context.Background()
	enqueueReplies(t, db, 1, "1a", "1b", "1c")
	enqueueReplies(t, db, 2, "2a", "2b")

	first := claim(t, db, 10)
	if got, want := texts(first), []string{"1a", "2a"}; !slices.Equal(got, want) {
		t.Fatalf("first claim: got %v, want %v", got, want)
	}
	if got := claim(t, db, 10); len(got) != 0 {
		t.Fatalf("claim while leased: got %v, want nothing", texts(got))
	}
	for _, r := range first {
		if r.chat != int64(r.text[0]-'0') {
			t.Errorf("row %s: chat %d", r.text, r.chat)
		}
		if r.text == "1a" {
			if err := db.MarkReplySent(ctx, r.id, r.conv, 1, 0); err != nil {
				t.Fatal(err)
			}
		} else if err := db.RetryReply(ctx, r.id, 0, time.Now().Add(time.Hour), "500 Internal Server Error"); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := texts(claim(t, db, 10)), []string{"1b"}; !slices.Equal(got, want) {
		t.Errorf("after 1a sent and 2a delayed: got %v, want %v", got, want)
	}
	var lastErr string
	var attempts int
	db.Pool.QueryRow(ctx, "SELECT last_error, attempts FROM outbox WHERE id = $1", first[1].id).Scan(&lastErr, &attempts)
	if first[1].text == "2a" && (lastErr != "500 Internal Server Error" || attempts != 1) {
		t.Errorf("retry recorded: got %q %d, want the reason and 1 attempt", lastErr, attempts)
	}
}

// Concurrent claimers never get the same row, nor two rows of one chat.
func TestClaimRepliesConcurrent(t *testing.T) {
	db := pgtest.DB(t)
	for c := int64(1); c <= 30; c++ {
		enqueueReplies(t, db, c, "a", "b")
	}
	var mu sync.Mutex
	seen := map[int64]int{}
	chats := map[int64]int{}
	var wg sync.WaitGroup
	for i := 0; i < 6; i++ {
		wg.Go(func() {
			for _, r := range claim(t, db, 7) {
				mu.Lock()
				seen[r.id]++
				chats[r.chat]++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != 30 {
		t.Errorf("claimed %d rows, want 30 (one per chat)", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("row %d claimed %d times", id, n)
		}
	}
	for chat, n := range chats {
		if n != 1 {
			t.Errorf("chat %d: %d rows claimed at once", chat, n)
		}
	}
}

func TestPaceAndBlocked(t *testing.T) {
	db := pgtest.DB(t)
	ctx := context.Background()
	conv := enqueueReplies(t, db, 1, "a", "b")
	r := claim(t, db, 5)
	if err := db.MarkReplySent(ctx, r[0].id, r[0].conv, 1, 400*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if got := claim(t, db, 5); len(got) != 0 {
		t.Errorf("claimed %v within the chat's pace", texts(got))
	}
	time.Sleep(450 * time.Millisecond)
	r = claim(t, db, 5)
	if got := texts(r); !slices.Equal(got, []string{"b"}) {
		t.Fatalf("after the pace: got %v, want [b]", got)
	}
	enqueueReplies(t, db, 1, "c")
	if err := db.FailReply(ctx, r[0].id, conv, "403 Forbidden: bot was blocked by the user", true); err != nil {
		t.Fatal(err)
	}
	var blocked bool
	db.Pool.QueryRow(ctx, "SELECT blocked_at IS NOT NULL FROM conversations WHERE id = $1", conv).Scan(&blocked)
	if !blocked {
		t.Errorf("conversation not marked blocked")
	}
	var pending, failed int
	db.Pool.QueryRow(ctx, "SELECT count(*) FILTER (WHERE sent_at IS NULL AND failed_at IS NULL), count(*) FILTER (WHERE failed_at IS NOT NULL) FROM outbox").Scan(&pending, &failed)
	if pending != 0 || failed != 2 {
		t.Errorf("after a 403: %d pending, %d failed; want 0 and 2", pending, failed)
	}
}

// Rows without a conversation (staff chat, goodbyes) are ordered among
// themselves; an undecryptable row is failed, not retried for ever.
func TestClaimRowsWithoutConversation(t *testing.T) {
	db := pgtest.DB(t)
	ctx := context.Background()
	err := db.InTx(ctx, func(tx bot.Tx) error {
		return tx.Enqueue(ctx, &bot.Conversation{Chat: bot.Chat{Channel: bot.ChannelTelegram, ID: -100}}, []bot.Reply{{Text: "s1"}, {Text: "s2"}})
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, "INSERT INTO outbox (chat_enc, method, payload_enc, created_at) VALUES ('\\x00', 'reply', '\\x00', now() - interval '1 hour')"); err != nil {
		t.Fatal(err)
	}
	var order []string
	for i := 0; i < 4; i++ {
		for _, r := range claim(t, db, 5) {
			if r.chat != -100 || r.conv != 0 {
				t.Errorf("row %s: chat %d conversation %d, want -100 and none", r.text, r.chat, r.conv)
			}
			order = append(order, r.text)
			if err := db.MarkReplySent(ctx, r.id, r.conv, 1, time.Second); err != nil {
				t.Fatal(err)
			}
		}
	}
	if want := []string{"s1", "s2"}; !slices.Equal(order, want) {
		t.Errorf("claimed in turn %v, want %v", order, want)
	}
	var failed int
	db.Pool.QueryRow(ctx, "SELECT count(*) FROM outbox WHERE failed_at IS NOT NULL AND last_error LIKE 'cannot open%'").Scan(&failed)
	if failed != 1 {
		t.Errorf("broken rows failed: got %d, want 1", failed)
	}
}

func TestSendSlots(t *testing.T) {
	db := pgtest.DB(t)
	ctx := context.Background()
	step := 10 * time.Millisecond
	w1, err := db.ReserveSendSlots(ctx, 50, step)
	if err != nil {
		t.Fatal(err)
	}
	w2, err := db.ReserveSendSlots(ctx, 1, step)
	if err != nil {
		t.Fatal(err)
	}
	if w1 > 50*time.Millisecond || w2 < 400*time.Millisecond || w2 > 520*time.Millisecond {
		t.Errorf("waits: first %v (want ~0), second %v (want ~500ms)", w1, w2)
	}
	if err := db.PauseSends(ctx, 2*time.Second); err != nil {
		t.Fatal(err)
	}
	w3, _ := db.ReserveSendSlots(ctx, 1, step)
	if w3 < 1900*time.Millisecond {
		t.Errorf("wait after a 2s pause: %v", w3)
	}
}

func TestPollOffset(t *testing.T) {
	db := pgtest.DB(t)
	ctx := context.Background()
	if got, err := db.PollOffset(ctx, "telegram:1"); err != nil || got != 0 {
		t.Fatalf("fresh: got %d %v, want 0", got, err)
	}
	for _, v := range []int64{101, 205} {
		if err := db.SetPollOffset(ctx, "telegram:1", v); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.PollOffset(ctx, "telegram:1"); got != v {
			t.Errorf("got %d, want %d", got, v)
		}
	}
	if got, _ := db.PollOffset(ctx, "telegram:2"); got != 0 {
		t.Errorf("another bot's offset: got %d, want 0", got)
	}
	// After a week of silence Telegram restarts update ids at random: an old
	// offset is not used.
	if _, err := db.Pool.Exec(ctx, "UPDATE kv SET updated_at = now() - interval '7 days' WHERE key = 'offset:telegram:1'"); err != nil {
		t.Fatal(err)
	}
	if got, err := db.PollOffset(ctx, "telegram:1"); err != nil || got != 0 {
		t.Errorf("a week-old offset: got %d %v, want 0", got, err)
	}
}
