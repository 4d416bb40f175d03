// Package metrics holds Yol's Prometheus counters and histograms. Labels are
// kept to small fixed sets (never a chat id, never user text).
package metrics

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics is one registry with the Go runtime collectors and the
// application's own series. Each process (and each test) makes its own.
type Metrics struct {
	Registry *prometheus.Registry

	Updates         *prometheus.CounterVec // inbound updates by kind
	Duplicates      prometheus.Counter     // redelivered updates skipped
	HandleSeconds   prometheus.Histogram   // update received → transaction committed
	Replies         *prometheus.CounterVec // outbox sends by result (sent, retry, rate_limited, blocked, failed, dead_letter)
	SendSeconds     prometheus.Histogram   // one Bot API send
	ContentErrors   prometheus.Counter     // content faults met in conversations
	LLMRequests     *prometheus.CounterVec // by result
	LLMTokens       *prometheus.CounterVec // by kind: prompt, completion
	Referrals       prometheus.Counter     // referrals created
	MissingMessages *prometheus.CounterVec // translations that fell back, by language
	HTTPRequests    *prometheus.CounterVec // console and simulator requests by route pattern and code
	Purged          *prometheus.CounterVec // rows removed by the retention janitor, by what
	StateResets     *prometheus.CounterVec // saved conversation states that could not be read, by reason: unreadable, newer
	Parked          *prometheus.CounterVec // parked work (a model's answer) by outcome: resumed, taken_over, given_back, failed
	ParkedSeconds   prometheus.Histogram   // parked work: the model's answer and the second transaction
}

// New registers every series on a fresh registry.
func New() *Metrics {
	m := &Metrics{Registry: prometheus.NewRegistry()}
	m.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.Updates = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "yol_updates_total", Help: "Inbound updates handled, by kind."}, []string{"kind"})
	m.Duplicates = prometheus.NewCounter(prometheus.CounterOpts{Name: "yol_updates_duplicate_total", Help: "Redelivered updates that were already handled."})
	m.HandleSeconds = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "yol_update_handle_seconds", Help: "Time to handle one update, transaction included.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}})
	m.Replies = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "yol_replies_total", Help: "Outbox sends by result."}, []string{"result"})
	m.SendSeconds = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "yol_send_seconds", Help: "Duration of one Bot API send.",
		Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}})
	m.ContentErrors = prometheus.NewCounter(prometheus.CounterOpts{Name: "yol_content_errors_total", Help: "Content faults met in conversations (see the editor log)."})
	m.LLMRequests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "yol_llm_requests_total", Help: "Model calls by result."}, []string{"result"})
	m.LLMTokens = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "yol_llm_tokens_total", Help: "Model tokens used, by kind."}, []string{"kind"})
	m.Referrals = prometheus.NewCounter(prometheus.CounterOpts{Name: "yol_referrals_total", Help: "Referrals created."})
	m.MissingMessages = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "yol_missing_translations_total", Help: "Messages shown in the fallback language, by requested language."}, []string{"lang"})
	m.HTTPRequests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "yol_http_requests_total", Help: "HTTP requests by route and status code."}, []string{"route", "code"})
	m.Purged = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "yol_purged_total", Help: "Rows removed or anonymised by retention, by what."}, []string{"what"})
	m.StateResets = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "yol_state_resets_total", Help: "Saved conversation states that could not be read (the conversation started over), by reason."}, []string{"reason"})
	m.Parked = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "yol_parked_total", Help: "Parked work (a model's answer) by outcome."}, []string{"result"})
	m.ParkedSeconds = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "yol_parked_seconds", Help: "Time to do parked work: the model's answer and the second transaction.",
		Buckets: []float64{.01, .05, .1, .25, .5, 1, 2.5, 5, 10, 15, 30}})
	m.Registry.MustRegister(m.Updates, m.Duplicates, m.HandleSeconds, m.Replies, m.SendSeconds, m.ContentErrors,
		m.LLMRequests, m.LLMTokens, m.Referrals, m.MissingMessages, m.HTTPRequests, m.Purged, m.StateResets, m.Parked, m.ParkedSeconds)
	return m
}

// Gauge registers a gauge whose value is read from f at scrape time.
func (m *Metrics) Gauge(name, help string, f func() float64) {
	g := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, f)
	m.Registry.MustRegister(g)
}
