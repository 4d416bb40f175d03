// Package llm is free-text help through a language model on any
// OpenAI-compatible server (go-openai), on top of the knowledge base's
// search: the model gets the best passages and the person's question
// (redacted), and its answer is checked before anyone sees it. When
// anything goes wrong (timeout, error, an answer that cites nothing or
// states a number, phone, address or link its sources do not have), the
// search answer is given instead.
package llm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/kb"
	"github.com/yol-project/yol/bot/metrics"
)

// Config configures the model.
type Config struct {
	APIKey  string // may be empty for a local server
	BaseURL string // e.g. http://localhost:11434/v1; default OpenAI's
	Model   string // default "gpt-4o-mini"
	// Timeout bounds one answer, retries included (default 15 s); past it
	// the search answer is given.
	Timeout time.Duration
	// DailyLimit is the number of model answers per person and day
	// (default 30; negative: no limit). Counted in memory, per process,
	// by the key the caller puts in the context (bot.WithPersonKey).
	DailyLimit int
	Metrics    *metrics.Metrics // nil: not counted
	Log        *slog.Logger     // nil: discarded
}

// Defaults.
const (
	DefaultModel      = "gpt-4o-mini"
	DefaultTimeout    = 15 * time.Second
	DefaultDailyLimit = 30
	// maxPassages is how many knowledge passages go into a prompt.
	maxPassages = 4
	// maxAnswer bounds the answer shown (runes).
	maxAnswer = 1200
	// maxRetryWait is the longest Retry-After honoured.
	maxRetryWait = 3 * time.Second
	// maxQuestion bounds the question sent (runes).
	maxQuestion = 1000
)

// Helper answers free text with the model, grounded in the knowledge base.
// It implements bot.FreeTextHelper and is safe for concurrent use.
type Helper struct {
	cfg    Config
	client *openai.Client
	now    func() time.Time

	mu    sync.Mutex
	day   string
	usage map[string]int
}

// New returns a Helper for the server in cfg.
func New(cfg Config) *Helper {
	if cfg.Model == "" {
		cfg.Model = DefaultModel
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.DailyLimit == 0 {
		cfg.DailyLimit = DefaultDailyLimit
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	oc := openai.DefaultConfig(cfg.APIKey)
	if cfg.BaseURL != "" {
		oc.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	}
	oc.HTTPClient = &http.Client{
		// A back-stop: every call also has a context deadline.
		Timeout:   cfg.Timeout + time.Second,
		Transport: &retryTransport{base: http.DefaultTransport, maxWait: maxRetryWait},
	}
	return &Helper{cfg: cfg, client: openai.NewClientWithConfig(oc), now: time.Now, usage: map[string]int{}}
}

// Slow implements bot.SlowHelper: a model answers in seconds, so the
// conversation service asks it outside any transaction.
func (h *Helper) Slow() bool { return true }

// Answer implements bot.FreeTextHelper: a clear intent, or nothing found,
// is answered by search alone; otherwise the model writes a short answer
// from the best passages, which is checked; any failure gives the search
// answer.
func (h *Helper) Answer(ctx context.Context, c *bot.Content, lang, question string) (bot.FreeTextAnswer, error) {
	route := c.SearchIndex().Route(question, lang) // the pack's own search words
	base := bot.AnswerFromRoute(route)
	if base.Intent != "" || !route.Found {
		return base, nil
	}
	if !h.allow(bot.PersonKey(ctx)) {
		h.count("limited")
		return base, nil
	}
	passages := bot.Passages(c, lang, route, maxPassages)
	if len(passages) == 0 {
		return base, nil
	}
	text, err := h.complete(ctx, lang, question, passages)
	if err != nil {
		h.count(errorKind(err))
		h.cfg.Log.Warn("model answer failed; search answer given", "kind", errorKind(err), "status", statusOf(err))
		return base, nil
	}
	shown, cited, problem := Check(text, lang, passages)
	if problem != "" {
		h.count("rejected")
		// The problem names a rule, never the text.
		h.cfg.Log.Info("model answer rejected; search answer given", "rule", problem)
		return base, nil
	}
	h.count("ok")
	ans := bot.FreeTextAnswer{Text: shown, Found: true, Intent: base.Intent}
	// Buttons: the cited articles first, then the search's.
	seen := map[string]bool{}
	for _, ref := range append(cited, prefixed(base.Articles)...) {
		if id, ok := strings.CutPrefix(ref, kb.RefArticle+":"); ok && !seen[id] && len(ans.Articles) < 3 {
			seen[id] = true
			ans.Articles = append(ans.Articles, id)
		}
	}
	return ans, nil
}

// prefixed returns article IDs as references ("article:id").
func prefixed(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = kb.RefArticle + ":" + id
	}
	return out
}

// allow counts one model answer for the person and reports whether the
// daily limit allows it. An empty key shares one budget ("") – callers
// should always give one.
func (h *Helper) allow(key string) bool {
	if h.cfg.DailyLimit < 0 {
		return true
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	day := h.now().UTC().Format("2006-01-02")
	if day != h.day {
		h.day, h.usage = day, map[string]int{}
	}
	if h.usage[key] >= h.cfg.DailyLimit {
		return false
	}
	h.usage[key]++
	return true
}

// count counts a model request by its result, when there are metrics.
func (h *Helper) count(result string) {
	if h.cfg.Metrics != nil {
		h.cfg.Metrics.LLMRequests.WithLabelValues(result).Inc()
	}
}

// tokens counts the prompt and completion tokens a request used, when
// there are metrics.
func (h *Helper) tokens(u openai.Usage) {
	if h.cfg.Metrics != nil {
		h.cfg.Metrics.LLMTokens.WithLabelValues("prompt").Add(float64(u.PromptTokens))
		h.cfg.Metrics.LLMTokens.WithLabelValues("completion").Add(float64(u.CompletionTokens))
	}
}

// complete asks the model; the whole exchange, retries included, stays
// within the timeout.
func (h *Helper) complete(ctx context.Context, lang, question string, passages []bot.Passage) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, h.cfg.Timeout)
	defer cancel()
	resp, err := h.client.CreateChatCompletion(ctx, openai.ChatCompletionRequest{
		Model:       h.cfg.Model,
		Temperature: 0.1,
		//lint:ignore SA1019 max_tokens is what OpenAI-compatible servers (Ollama, llama.cpp, vLLM) understand
		MaxTokens: 400,
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: SystemPrompt},
			{Role: openai.ChatMessageRoleUser, Content: UserPrompt(lang, question, passages)},
		},
	})
	if err != nil {
		return "", err
	}
	h.tokens(resp.Usage)
	if len(resp.Choices) == 0 || strings.TrimSpace(resp.Choices[0].Message.Content) == "" {
		return "", errEmpty
	}
	return resp.Choices[0].Message.Content, nil
}

var errEmpty = errors.New("the model gave no answer")

// errorKind classifies a failed request for the metrics: "timeout",
// "empty", "http_error" or "error".
func errorKind(err error) string {
	var apiErr *openai.APIError
	var reqErr *openai.RequestError
	switch {
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) || isTimeout(err):
		return "timeout"
	case errors.Is(err, errEmpty):
		return "empty"
	case errors.As(err, &apiErr), errors.As(err, &reqErr):
		return "http_error"
	}
	return "error"
}

// isTimeout reports whether err, or an error it wraps, is a timeout.
func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// statusOf returns the HTTP status of an error (never its body, which may
// echo the question).
func statusOf(err error) int {
	var apiErr *openai.APIError
	var reqErr *openai.RequestError
	switch {
	case errors.As(err, &apiErr):
		return apiErr.HTTPStatusCode
	case errors.As(err, &reqErr):
		return reqErr.HTTPStatusCode
	}
	return 0
}

// Transcribe turns a voice message into text through the same server's
// /audio/transcriptions endpoint (model whisper-1), within the timeout.
// The text is the person's words: treat it like a typed message.
func (h *Helper) Transcribe(ctx context.Context, audio io.Reader, lang string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, h.cfg.Timeout)
	defer cancel()
	resp, err := h.client.CreateTranscription(ctx, openai.AudioRequest{
		Model:    openai.Whisper1,
		FilePath: "voice.ogg",
		Reader:   audio,
		Language: lang,
		Format:   openai.AudioResponseFormatJSON,
	})
	if err != nil {
		h.count("transcribe_" + errorKind(err))
		return "", fmt.Errorf("transcribe: %s (status %d)", errorKind(err), statusOf(err))
	}
	h.count("transcribe_ok")
	return strings.TrimSpace(resp.Text), nil
}
