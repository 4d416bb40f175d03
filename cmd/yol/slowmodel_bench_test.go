package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/bot/telegram/telegramtest"
)

// BenchmarkSlowModel runs the real `yol serve` process against the fake Bot
// API and a fake OpenAI-compatible model server: 50 chats each ask a
// free-text question every 10 seconds (YOL_BENCH_QUESTIONS chats), while
// button presses arrive from 1,000 other chats at 200 per second
// (YOL_BENCH_PRESS_RATE), for 30 seconds (YOL_BENCH_DURATION). In
// "fast-model" the model answers at once; in "slow-model" it takes 10
// seconds (YOL_BENCH_MODEL_DELAY), so about 50 questions are with it at
// any moment. Both runs have the same traffic; the button presses' p50 and
// p99 (press queued → its reply received by the fake) of the two are the
// comparison: a slow model must hold up nobody else (p99 within 20 %).
// The process runs its own PostgreSQL (YOL_DATA_DIR), as `make run` does.
// On a shared machine p99 is set by the machine's stalls, in both runs
// alike: compare medians of several runs (-count), and YOL_BENCH_TRACE=1
// prints the worst press of every 100 ms above 150 ms, to see them.
//
//	go test ./cmd/yol -run '^$' -bench SlowModel -benchtime 1x -count 5 -timeout 40m
func BenchmarkSlowModel(b *testing.B) {
	delay := 10 * time.Second
	if v, err := time.ParseDuration(os.Getenv("YOL_BENCH_MODEL_DELAY")); err == nil {
		delay = v
	}
	b.Run("fast-model", func(b *testing.B) { benchPresses(b, 0) })
	b.Run("slow-model", func(b *testing.B) { benchPresses(b, delay) })
}

// modelAnswer cites its source and states only what the source says, so
// that the guardrails keep it.
const modelAnswer = "Staying without valid documents is an offence: the fine is 300 to 400 manats, and the office can also remove you from the country [article:fines_overstay]. Coming forward is safer [article:fines_overstay]."

// benchQuestion has search results and no clear intent: the model is asked.
const benchQuestion = "I stayed here without documents for a year, what can happen to me?"

func benchEnv(name string, def float64) float64 {
	if v, err := strconv.ParseFloat(os.Getenv(name), 64); err == nil && v > 0 {
		return v
	}
	return def
}

// fakeModel is an OpenAI-compatible chat completions endpoint answering
// after delay.
func fakeModel(b *testing.B, delay time.Duration) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{
			"id": "x", "object": "chat.completion", "model": "bench",
			"choices": []any{map[string]any{"index": 0, "finish_reason": "stop",
				"message": map[string]any{"role": "assistant", "content": modelAnswer}}},
			"usage": map[string]any{"prompt_tokens": 100, "completion_tokens": 30, "total_tokens": 130},
		})
	}))
	b.Cleanup(srv.Close)
	return srv
}

func benchPresses(b *testing.B, delay time.Duration) {
	dur := 30 * time.Second
	if v, err := time.ParseDuration(os.Getenv("YOL_BENCH_DURATION")); err == nil && v > 0 {
		dur = v
	}
	rate := benchEnv("YOL_BENCH_PRESS_RATE", 200)
	askers := int(benchEnv("YOL_BENCH_QUESTIONS", 50))
	const pressers = 1000
	const askEvery = 10 * time.Second

	fake := telegramtest.New(b)
	model := fakeModel(b, delay)
	// A PostgreSQL of its own (as `make run` starts one), not the test
	// server other tests share: their load would be measured too.
	env := []string{"YOL_DATA_DIR=" + pgtest.DataDir(b), "YOL_DATA_KEY=" + testKey(b), "YOL_HTTP_ADDR=127.0.0.1:0",
		"TELEGRAM_BOT_TOKEN=" + fake.Token, "TELEGRAM_API_URL=" + fake.APIURL(), "YOL_SEND_RATE=1000", "YOL_CHAT_INTERVAL=0s",
		"OPENAI_BASE_URL=" + model.URL + "/v1", "OPENAI_API_KEY=bench", "OPENAI_MODEL=bench"}
	proc := startProc(b, env)

	// Every chat says /start first, so that presses and questions meet a
	// conversation that exists.
	presser := func(i int) int64 { return int64(3_000_000 + i) }
	asker := func(i int) int64 { return int64(4_000_000 + i) }
	for i := range pressers {
		fake.Text(presser(i), "/start")
	}
	for i := range askers {
		fake.Text(asker(i), "/start")
	}
	deadline := time.Now().Add(2 * time.Minute)
	for fake.ChatsServed() < pressers+askers {
		if time.Now().After(deadline) {
			b.Fatalf("warm-up: %d of %d chats served", fake.ChatsServed(), pressers+askers)
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond)
	warm := sentByChat(fake)

	b.ResetTimer()
	begin := time.Now()
	var wg sync.WaitGroup
	var askedMu sync.Mutex
	var asked []time.Time // when each question was sent, any chat
	for i := range askers {
		wg.Go(func() {
			next := begin.Add(time.Duration(i) * askEvery / time.Duration(askers))
			for next.Before(begin.Add(dur)) {
				time.Sleep(time.Until(next))
				askedMu.Lock()
				asked = append(asked, time.Now())
				askedMu.Unlock()
				fake.Text(asker(i), benchQuestion)
				next = next.Add(askEvery)
			}
		})
	}
	type press struct {
		chat int64
		at   time.Time
	}
	var presses []press
	for k := 0; ; k++ {
		at := begin.Add(time.Duration(float64(k) / rate * float64(time.Second)))
		if at.After(begin.Add(dur)) {
			break
		}
		time.Sleep(time.Until(at))
		c := presser(k % pressers)
		presses = append(presses, press{c, time.Now()})
		fake.Button(c, "!article:fines_overstay")
	}
	wg.Wait()
	// Every press's reply, then the answers.
	for deadline := time.Now().Add(2 * time.Minute); ; {
		got := 0
		sent := sentByChat(fake)
		for i := range pressers {
			got += len(sent[presser(i)]) - len(warm[presser(i)])
		}
		if got >= len(presses) {
			break
		}
		if time.Now().After(deadline) {
			b.Logf("log:\n%s", grepLines(proc.log.String(), "level=WARN", "level=ERROR"))
			b.Fatalf("%d of %d presses answered after 2 minutes", got, len(presses))
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.StopTimer()
	time.Sleep(delay + 2*time.Second)

	sent := sentByChat(fake)
	seen := map[int64]int{}
	lat := make([]float64, 0, len(presses))
	for _, p := range presses {
		k := len(warm[p.chat]) + seen[p.chat]
		seen[p.chat]++
		lat = append(lat, float64(sent[p.chat][k].Sub(p.at))/float64(time.Millisecond))
	}
	if os.Getenv("YOL_BENCH_TRACE") != "" {
		worst := map[int]float64{}
		for i, p := range presses {
			sec := int(p.at.Sub(begin) / (100 * time.Millisecond))
			worst[sec] = max(worst[sec], lat[i])
		}
		for sec := 0; sec < int(dur/(100*time.Millisecond)); sec++ {
			if worst[sec] > 150 {
				fmt.Fprintf(os.Stderr, "t=%.1fs worst press %.0f ms\n", float64(sec)/10, worst[sec])
			}
		}
	}
	slices.Sort(lat)
	answered := 0
	for i := range askers {
		answered += len(sent[asker(i)]) - len(warm[asker(i)])
	}
	b.ReportMetric(float64(len(presses))/dur.Seconds(), "presses/s")
	b.ReportMetric(lat[len(lat)/2], "press-p50-ms")
	b.ReportMetric(lat[min(len(lat)-1, len(lat)*99/100)], "press-p99-ms")
	b.ReportMetric(float64(len(asked)), "questions")
	b.ReportMetric(float64(answered), "question-replies")
}

// sentByChat returns, per chat, when each of its messages was delivered.
func sentByChat(fake *telegramtest.Server) map[int64][]time.Time {
	out := map[int64][]time.Time{}
	for _, c := range fake.Calls("") {
		if (c.Method == "sendMessage" || c.Method == "sendVenue") && c.Status == http.StatusOK {
			out[c.ChatID()] = append(out[c.ChatID()], c.At)
		}
	}
	return out
}

func grepLines(s string, any ...string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		for _, a := range any {
			if strings.Contains(l, a) {
				out = append(out, l)
				break
			}
		}
	}
	return strings.Join(out, "\n")
}
