package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// The library logs with a package-wide logger that may print request URLs
// (and so the token); it is silenced once for the whole process.
var silenceLibrary sync.Once

type discardLogger struct{}

// Println discards the library's log line.
func (discardLogger) Println(...any) {}

// Printf discards the library's log line.
func (discardLogger) Printf(string, ...any) {}

// APIError is a failure Telegram reported (ok=false). Its text never holds
// the token.
type APIError struct {
	Method      string
	Code        int    // error_code: 400, 403, 429, 500...
	Description string // Telegram's description, token removed
	RetryAfter  int    // seconds, for 429
}

// Error implements error.
func (e *APIError) Error() string {
	return fmt.Sprintf("telegram %s: %d %s", e.Method, e.Code, e.Description)
}

// NetError is a failure to get an answer at all: network, timeout, or a body
// that is not the Bot API's JSON. Its text never holds the token.
type NetError struct {
	Method string
	Msg    string
}

// Error implements error.
func (e *NetError) Error() string { return "telegram " + e.Method + ": " + e.Msg }

// api calls the Bot API: tgbotapi builds the requests and decodes the
// answers; every request goes through ctxClient, which adds the caller's
// context and a deadline.
type api struct {
	base     tgbotapi.BotAPI // template; copied per call with its own client
	http     *http.Client
	token    string
	fileBase string // {APIURL}/file/bot{token}/ — holds the token
	redact   *strings.Replacer
	lastOK   atomic.Int64 // when Telegram last answered a call with ok (Unix ns)
}

// answeredSince reports whether Telegram answered a call with ok after t:
// then it is up, and a reply it keeps refusing is refused for itself.
func (a *api) answeredSince(t time.Time) bool { return a.lastOK.Load() > t.UnixNano() }

// newAPI returns an api for the bot token at apiURL, without calling
// Telegram; the token is redacted from its error texts.
func newAPI(token, apiURL string, hc *http.Client) *api {
	silenceLibrary.Do(func() { _ = tgbotapi.SetLogger(discardLogger{}) })
	a := &api{http: hc, token: token, fileBase: strings.TrimRight(apiURL, "/") + "/file/bot" + token + "/"}
	// Built without NewBotAPI: its getMe would make startup fail while
	// Telegram is unreachable.
	a.base = tgbotapi.BotAPI{Token: token, Buffer: 0}
	a.base.SetAPIEndpoint(strings.ReplaceAll(strings.TrimRight(apiURL, "/"), "%", "%%") + "/bot%s/%s")
	pairs := []string{}
	for _, v := range []string{token, url.PathEscape(token), url.QueryEscape(token)} {
		if v != "" {
			pairs = append(pairs, v, "<token>")
		}
	}
	a.redact = strings.NewReplacer(pairs...)
	return a
}

// call makes one Bot API request and returns its result; timeout bounds the
// whole exchange (body included).
func (a *api) call(ctx context.Context, method string, params tgbotapi.Params, timeout time.Duration) (json.RawMessage, error) {
	b := a.base
	b.Client = &ctxClient{ctx: ctx, c: a.http, timeout: timeout}
	resp, err := b.MakeRequest(method, params)
	if err == nil {
		a.lastOK.Store(time.Now().UnixNano())
		return resp.Result, nil
	}
	return nil, a.clean(method, err)
}

// clean turns any error of a call into an APIError or a NetError whose text
// has no token.
func (a *api) clean(method string, err error) error {
	var te *tgbotapi.Error
	if errors.As(err, &te) {
		return &APIError{Method: method, Code: te.Code, Description: a.redact.Replace(te.Message), RetryAfter: te.RetryAfter}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		msg := ue.Err.Error()
		if errors.Is(ue.Err, context.DeadlineExceeded) || ue.Timeout() {
			msg = "timeout"
		} else if errors.Is(ue.Err, context.Canceled) {
			msg = "canceled"
		}
		return &NetError{Method: method, Msg: a.redact.Replace(msg)}
	}
	var se *json.SyntaxError
	var ute *json.UnmarshalTypeError
	if errors.As(err, &se) || errors.As(err, &ute) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return &NetError{Method: method, Msg: "malformed answer (not Bot API JSON)"}
	}
	return &NetError{Method: method, Msg: a.redact.Replace(err.Error())}
}

// ctxClient is the library's HTTPClient with a context and a deadline for
// every request. The deadline is lifted only when the body is closed, so
// that reading it is covered too.
type ctxClient struct {
	ctx     context.Context
	c       *http.Client
	timeout time.Duration
}

// Do sends req with the client's context and a deadline, which lasts until
// the response body is closed.
func (h *ctxClient) Do(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(h.ctx, h.timeout)
	resp, err := h.c.Do(req.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = &cancelBody{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

type cancelBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

// Close closes the body and ends its request's deadline.
func (b *cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// file downloads a file the person sent (getFile, then the file URL), at
// most max bytes. Errors never hold the token.
func (a *api) file(ctx context.Context, fileID string, max int64) ([]byte, error) {
	raw, err := a.call(ctx, "getFile", tgbotapi.Params{"file_id": fileID}, 15*time.Second)
	if err != nil {
		return nil, err
	}
	var f struct {
		FilePath string `json:"file_path"`
		FileSize int64  `json:"file_size"`
	}
	if err := json.Unmarshal(raw, &f); err != nil || f.FilePath == "" || strings.Contains(f.FilePath, "..") {
		return nil, &NetError{Method: "getFile", Msg: "no usable file path"}
	}
	if f.FileSize > max {
		return nil, &NetError{Method: "getFile", Msg: "file too large"}
	}
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(cctx, http.MethodGet, a.fileBase+f.FilePath, nil)
	if err != nil {
		return nil, &NetError{Method: "file", Msg: "bad file path"}
	}
	resp, err := a.http.Do(req)
	if err != nil {
		return nil, a.clean("file", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, &NetError{Method: "file", Msg: "status " + strconv.Itoa(resp.StatusCode)}
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, a.clean("file", err)
	}
	if int64(len(b)) > max {
		return nil, &NetError{Method: "file", Msg: "file too large"}
	}
	return b, nil
}
