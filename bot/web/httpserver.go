package web

import (
	"net/http"
	"time"
)

// HTTPLimits bound what one connection may hold of an HTTP server: a client
// that sends its request slowly, reads the answer slowly or keeps an idle
// connection open is cut off, so that a few hundred slow connections cannot
// hold the server.
type HTTPLimits struct {
	ReadHeader     time.Duration // the request line and headers
	Read           time.Duration // the whole request, body included
	Write          time.Duration // from the end of the headers to the end of the answer
	Idle           time.Duration // a kept-alive connection between two requests
	MaxHeaderBytes int           // request line and headers
}

// DefaultHTTPLimits are the limits of `yol serve`, on the console's address
// and on the metrics address.
//
// Read: the largest body any route takes is 64 KiB (a case form; the
// simulator and the sign-in take 16 and 8 KiB, a webhook update a few), which
// a slow mobile link sends in a few seconds. Write: one route streams, the
// audit log's CSV, which moves its own deadline on a page at a time; the
// simulator polls every 3 s and every other answer is written at once, so
// one timeout fits all; the longest handlers (a simulator message that asks the
// model, 15 s at most; a case translation, which stops asking the model
// after translateBudget) end well before it.
var DefaultHTTPLimits = HTTPLimits{
	ReadHeader:     10 * time.Second,
	Read:           20 * time.Second,
	Write:          60 * time.Second,
	Idle:           120 * time.Second,
	MaxHeaderBytes: 32 << 10,
}

// NewHTTPServer returns a server for h with the limits l.
func NewHTTPServer(h http.Handler, l HTTPLimits) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: l.ReadHeader,
		ReadTimeout:       l.Read,
		WriteTimeout:      l.Write,
		IdleTimeout:       l.Idle,
		MaxHeaderBytes:    l.MaxHeaderBytes,
	}
}
