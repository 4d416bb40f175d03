package main

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/bot/telegram/telegramtest"
)

// BenchmarkSoak runs the real `yol serve` process under a steady load
// (YOL_SOAK_RATE updates per second, default 200, from 2,000 chats) for
// YOL_SOAK (default 10m) and reports its resident memory after the first
// minute and at the end: flat memory means no leak.
//
//	go test ./cmd/yol -run '^$' -bench Soak -benchtime 1x
func BenchmarkSoak(b *testing.B) {
	dur := 10 * time.Minute
	if v, err := time.ParseDuration(os.Getenv("YOL_SOAK")); err == nil {
		dur = v
	}
	rate := 200.0
	if v, err := strconv.ParseFloat(os.Getenv("YOL_SOAK_RATE"), 64); err == nil && v > 0 {
		rate = v
	}
	fake := telegramtest.New(b)
	env := []string{"DATABASE_URL=" + pgtest.URL(b), "YOL_DATA_KEY=" + testKey(b), "YOL_HTTP_ADDR=127.0.0.1:0",
		"TELEGRAM_BOT_TOKEN=" + fake.Token, "TELEGRAM_API_URL=" + fake.APIURL(), "YOL_SEND_RATE=1000", "YOL_CHAT_INTERVAL=0s"}
	p := startProc(b, env)
	b.ResetTimer()
	begin := time.Now()
	var warm, peak float64
	next := begin
	for i := 0; time.Since(begin) < dur; i++ {
		time.Sleep(time.Until(begin.Add(time.Duration(float64(i) / rate * float64(time.Second)))))
		fake.Text(int64(20000+i%2000), "/start")
		if time.Now().After(next) {
			next = next.Add(10 * time.Second)
			rss := rssMB(p.cmd.Process.Pid)
			peak = max(peak, rss)
			if warm == 0 && time.Since(begin) > time.Minute {
				warm = rss
			}
		}
	}
	end := rssMB(p.cmd.Process.Pid)
	b.StopTimer()
	b.ReportMetric(warm, "rss-after-1m-MB")
	b.ReportMetric(end, "rss-end-MB")
	b.ReportMetric(peak, "rss-peak-MB")
	b.ReportMetric(float64(fake.Delivered())/time.Since(begin).Seconds(), "sends/s")
}

// rssMB reads a process's resident memory from /proc.
func rssMB(pid int) float64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}
