package llm

import (
	"io"
	"net/http"
	"strconv"
	"time"
)

// retryTransport retries a request once: after a 429, when its Retry-After
// is short (at most maxWait; 1 s when absent), and after a 5xx, after a
// short pause; never past the request's deadline. go-openai has no retries
// and does not expose Retry-After, hence a transport.
type retryTransport struct {
	base    http.RoundTripper
	maxWait time.Duration
}

// RoundTrip implements http.RoundTripper, retrying once as described at
// retryTransport.
func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	var wait time.Duration
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		wait = time.Second
		if ra, ok := retryAfter(resp.Header.Get("Retry-After")); ok {
			wait = ra
		}
		if wait > t.maxWait {
			return resp, nil
		}
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		wait = 300 * time.Millisecond
	default:
		return resp, nil
	}
	ctx := req.Context()
	if d, ok := ctx.Deadline(); ok && time.Until(d) < wait+100*time.Millisecond {
		return resp, nil
	}
	if req.Body != nil && req.GetBody == nil {
		return resp, nil
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	timer := time.NewTimer(wait)
	select {
	case <-ctx.Done():
		timer.Stop()
		return nil, ctx.Err()
	case <-timer.C:
	}
	again := req.Clone(ctx)
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		again.Body = body
	}
	return t.base.RoundTrip(again)
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(v string) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := time.Until(t)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}
