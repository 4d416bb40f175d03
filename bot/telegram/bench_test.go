package telegram

import (
	"context"
	"fmt"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"io"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/yol-project/yol/bot/metrics"
	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/telegram/telegramtest"
)

// benchWorkers is the concurrency of both sides of the comparison.
const benchWorkers = 16

// BenchmarkThroughput drives the real service through the fake Bot API over
// loopback, with PostgreSQL: b.N updates (/start), each from a distinct
// chat, all queued at once (yol) or paced at YOL_BENCH_RATE per second
// (yol-paced, default 150, about half the rate measured here); it reports the sustained rate (first update
// queued → every chat's first reply received by the fake) and the p50/p99
// latency from an update being queued to its chat's first reply. The
// sub-benchmark pgx-tx runs a transaction of the same shape (insert the
// update, update the conversation, insert the reply) at the same
// concurrency, for comparison. See BENCHMARK.md.
func BenchmarkThroughput(b *testing.B) {
	b.Run("yol", func(b *testing.B) { benchYol(b, 0) })
	rate := 150.0
	if v, err := strconv.ParseFloat(os.Getenv("YOL_BENCH_RATE"), 64); err == nil && v > 0 {
		rate = v
	}
	b.Run(fmt.Sprintf("yol-paced-%g", rate), func(b *testing.B) { benchYol(b, rate) })
	b.Run("pgx-tx", func(b *testing.B) {
		db := newDB(b)
		convs := seedConversations(b, db, min(b.N, 10000))
		var next atomic.Int64
		b.ResetTimer()
		begin := time.Now()
		var wg sync.WaitGroup
		for range benchWorkers {
			wg.Go(func() {
				for {
					i := next.Add(1)
					if i > int64(b.N) {
						return
					}
					if err := txOfTheSameShape(db, i, convs[int(i)%len(convs)]); err != nil {
						b.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		b.ReportMetric(float64(b.N)/time.Since(begin).Seconds(), "tx/s")
	})
}

func seedConversations(b *testing.B, db *postgres.DB, n int) []int64 {
	ids := make([]int64, 0, n)
	rows, err := db.Pool.Query(context.Background(), `INSERT INTO conversations (chat_hash, chat_enc)
		SELECT sha256(i::text::bytea), '\x00' FROM generate_series(1, $1) i RETURNING id`, n)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	return ids
}

// txOfTheSameShape is the service's transaction stripped to its writes,
// with payloads sealed as the service seals them.
func txOfTheSameShape(db *postgres.DB, updateID, conv int64) error {
	ctx := context.Background()
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "INSERT INTO inbound_updates (update_id, handled_at) VALUES ($1, now()) ON CONFLICT DO NOTHING", updateID); err != nil {
		return err
	}
	var id int64
	if err := tx.QueryRow(ctx, "SELECT id FROM conversations WHERE id = $1 FOR UPDATE", conv).Scan(&id); err != nil {
		return err
	}
	state := db.Keys.Seal([]byte(`{"stack":[{"dialog":"onboarding","node":"q_lang"}],"vars":{}}`), "conversations.state")
	if _, err := tx.Exec(ctx, "UPDATE conversations SET state_enc = $2, updated_at = now(), last_seen_at = now() WHERE id = $1", conv, state); err != nil {
		return err
	}
	payload := db.Keys.Seal([]byte(`{"text":"Choose your language","buttons":[[{"label":"English","data":"en"}]]}`), "outbox.payload")
	if _, err := tx.Exec(ctx, "INSERT INTO outbox (conversation_id, chat_enc, method, payload_enc) VALUES ($1, $2, 'reply', $3)",
		conv, db.Keys.Seal([]byte("1"), "conversations.chat"), payload); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// benchYol runs b.N updates from distinct chats through the channel: all at
// once (rate 0), or paced at rate updates per second.
func benchYol(b *testing.B, rate float64) {
	db := newDB(b)
	fake := telegramtest.New(b)
	svc := realService(b, db)
	cfg := Config{Token: fake.Token, APIURL: fake.APIURL(), SendRate: 1e6, ChatInterval: -1, Workers: benchWorkers,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Metrics: metrics.New(), PollTimeout: time.Second, SendPoll: 5 * time.Millisecond}
	ch, err := New(cfg, svc, db, db)
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { ch.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	queued := make([]time.Time, b.N)
	b.ResetTimer()
	begin := time.Now()
	for i := range b.N {
		if rate > 0 {
			time.Sleep(time.Until(begin.Add(time.Duration(float64(i) / rate * float64(time.Second)))))
		}
		queued[i] = time.Now()
		fake.Text(int64(1_000_000+i), "/start bench")
	}
	var intake time.Duration
	for fake.ChatsServed() < b.N {
		if intake == 0 && testutilCounterVec(cfg.Metrics.Updates, "command") >= float64(b.N) {
			intake = time.Since(begin)
		}
		if time.Since(begin) > 5*time.Minute {
			b.Fatalf("served %d of %d chats after 5 minutes", fake.ChatsServed(), b.N)
		}
		time.Sleep(2 * time.Millisecond)
	}
	elapsed := time.Since(begin)
	b.StopTimer()
	first := fake.FirstSent()
	lat := make([]float64, 0, b.N)
	for i := range b.N {
		lat = append(lat, float64(first[int64(1_000_000+i)].Sub(queued[i]))/float64(time.Millisecond))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "updates/s")
	b.ReportMetric(histMean(cfg.Metrics.HandleSeconds)*1000, "handle-ms")
	b.ReportMetric(lat[len(lat)/2], "p50-ms")
	b.ReportMetric(lat[min(len(lat)-1, len(lat)*99/100)], "p99-ms")
	b.ReportMetric(float64(fake.Delivered())/elapsed.Seconds(), "sends/s")
	if intake > 0 {
		b.ReportMetric(float64(b.N)/intake.Seconds(), "intake/s")
	}
}

func histMean(h prometheus.Histogram) float64 {
	var m dto.Metric
	if h.(prometheus.Metric).Write(&m) != nil || m.GetHistogram().GetSampleCount() == 0 {
		return 0
	}
	return m.GetHistogram().GetSampleSum() / float64(m.GetHistogram().GetSampleCount())
}
