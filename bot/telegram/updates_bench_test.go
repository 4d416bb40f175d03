package telegram

import (
	"context"
	"io"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/metrics"
	"github.com/yol-project/yol/bot/staff"
	"github.com/yol-project/yol/bot/telegram/telegramtest"
)

// BenchmarkUpdateWhilePeopleTalk: an update to 10,000 subscribers is queued
// while people start talking to the bot (20 new people a second, each
// sending /start), with the global send rate at 30 a second, through the
// real service, PostgreSQL and the fake Bot API over loopback. It runs for
// YOL_BENCH_SECONDS (default 20) of wall time at YOL_BENCH_SCALE times the
// real rates (default 10: 300 sends and 200 talkers a second; 1 is the real
// rates) and reports the talkers' p50/p99 time from their message to their
// first reply, the update's sends per second at real rate (what the
// talkers leave), and the minutes the whole update would take at real
// rate. Run once: go test ./bot/telegram -run '^$' -bench UpdateWhilePeopleTalk -benchtime 1x
func BenchmarkUpdateWhilePeopleTalk(b *testing.B) {
	scale := envFloat("YOL_BENCH_SCALE", 10)
	seconds := envFloat("YOL_BENCH_SECONDS", 20)
	const subscribers, realRate, realTalkers = 10000, 30.0, 20.0
	for range b.N {
		db := newDB(b)
		fake := telegramtest.New(b)
		svc := realService(b, db)
		ctx := context.Background()
		rows := make([][]any, subscribers)
		for i := range rows {
			chat := strconv.Itoa(2_000_000 + i)
			rows[i] = []any{db.Keys.Index("chat", "telegram:"+chat), db.Keys.Seal([]byte(chat), "conversations.chat"), "en"}
		}
		if _, err := db.Pool.CopyFrom(ctx, pgx.Identifier{"conversations"}, []string{"chat_hash", "chat_enc", "language"}, pgx.CopyFromRows(rows)); err != nil {
			b.Fatal(err)
		}
		if _, err := db.Pool.Exec(ctx, `INSERT INTO update_subscriptions (conversation_id) SELECT id FROM conversations`); err != nil {
			b.Fatal(err)
		}
		texts := svc.Content.Load().Texts
		id, err := db.CreateUpdate(ctx, staff.Update{Texts: map[string]string{"en": "The office has new hours."}, Audience: staff.AudienceAll, SendAt: time.Now()})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.Pool.Exec(ctx, `INSERT INTO staff_accounts (id, login, password_hash, role) VALUES (1, 'second', 'x', 'admin')`); err != nil {
			b.Fatal(err)
		}
		if err := db.ApproveUpdate(ctx, id, 1); err != nil {
			b.Fatal(err)
		}
		cfg := Config{Token: fake.Token, APIURL: fake.APIURL(), SendRate: realRate * scale, ChatInterval: -1, Workers: benchWorkers,
			Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Metrics: metrics.New(), PollTimeout: time.Second, SendPoll: 5 * time.Millisecond}
		ch, err := New(cfg, svc, db, db)
		if err != nil {
			b.Fatal(err)
		}
		rctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { ch.Run(rctx); close(done) }()

		b.ResetTimer()
		begin := time.Now()
		if _, err := db.QueueUpdate(ctx, id, 0, func(lang, text string) bot.Reply { return bot.UpdateReply(texts, lang, text) }); err != nil {
			b.Fatal(err)
		}
		talkers := int(realTalkers * scale * seconds)
		said := make([]time.Time, talkers)
		for i := range talkers {
			time.Sleep(time.Until(begin.Add(time.Duration(float64(i) / (realTalkers * scale) * float64(time.Second)))))
			said[i] = time.Now()
			fake.Text(int64(1_000_000+i), "/start")
		}
		// The last talkers get their answer too.
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			first := fake.FirstSent()
			if _, ok := first[int64(1_000_000+talkers-1)]; ok {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		elapsed := time.Since(begin)
		b.StopTimer()
		var sent int
		if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM outbox WHERE update_id = $1 AND sent_at IS NOT NULL`, id).Scan(&sent); err != nil {
			b.Fatal(err)
		}
		cancel()
		<-done
		first := fake.FirstSent()
		lat := make([]float64, 0, talkers)
		missing := 0
		for i := range talkers {
			at, ok := first[int64(1_000_000+i)]
			if !ok {
				missing++
				continue
			}
			lat = append(lat, at.Sub(said[i]).Seconds()*1000)
		}
		if missing > 0 {
			b.Errorf("%d of %d talkers got no reply", missing, talkers)
		}
		if len(lat) == 0 {
			b.Fatal("no talker was answered")
		}
		slices.Sort(lat)
		bulkReal := float64(sent) / elapsed.Seconds() / scale
		b.ReportMetric(lat[len(lat)/2], "talk-p50-ms")
		b.ReportMetric(lat[min(len(lat)-1, len(lat)*99/100)], "talk-p99-ms")
		b.ReportMetric(bulkReal, "update-sends/s-real")
		if bulkReal > 0 {
			b.ReportMetric(subscribers/bulkReal/60, "update-minutes-real")
		}
		b.ReportMetric(float64(sent), "update-sent")
	}
}

// envFloat reads a positive number from the environment, else def.
func envFloat(name string, def float64) float64 {
	if v, err := strconv.ParseFloat(os.Getenv(name), 64); err == nil && v > 0 {
		return v
	}
	return def
}
