package web

import (
	"errors"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// intRange is the range of one numeric query parameter.
type intRange struct{ min, max int64 }

// numericParams lists every numeric query parameter of the console and the
// simulator with the range its handler and the database can take. They are
// checked once, before routing (checkQuery), so that no handler — today's
// or one added later — passes a number to PostgreSQL that overflows it (an
// int4 parameter with 2147483648 is an error, and was a 500).
var numericParams = map[string]intRange{
	"age":    {0, maxAgeDays},    // queue: cases at least this many days old
	"before": {0, math.MaxInt32}, // audit log: entries with a smaller id (0: the newest)
}

// maxAgeDays is the largest age filter of the queue: ten years, longer
// than any retention period.
const maxAgeDays = 3650

// checkQuery checks every request's query before routing. A name or value
// that is not UTF-8 or holds a NUL (PostgreSQL's text cannot) is a 400. The
// numeric parameters are clamped into their ranges: a number beyond the
// range becomes its bound, anything that is not an integer is dropped (the
// handler's default, as if it were not there). Other parameters pass
// unchanged.
func (s *Server) checkQuery(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.RawQuery == "" {
			next.ServeHTTP(w, r)
			return
		}
		q := r.URL.Query()
		for name, vs := range q {
			if badText(name) || slices.ContainsFunc(vs, badText) {
				s.refuseEarly(w, r, http.StatusBadRequest, "console.error.bad_query")
				return
			}
		}
		changed := false
		for name, rg := range numericParams {
			vs, ok := q[name]
			if !ok {
				continue
			}
			var kept []string
			for _, v := range vs {
				if c, ok := rg.clamp(v); ok {
					kept = append(kept, c)
				}
			}
			if len(kept) == 0 {
				q.Del(name)
			} else {
				q[name] = kept
			}
			changed = true
		}
		if changed {
			r = withQuery(r, q)
		}
		next.ServeHTTP(w, r)
	})
}

// badText reports whether s is not UTF-8 or holds a NUL.
func badText(s string) bool { return !utf8.ValidString(s) || strings.ContainsRune(s, 0) }

// clamp returns v as a decimal integer within the range; ok is false when v
// is not an integer at all.
func (rg intRange) clamp(v string) (string, bool) {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		if !errors.Is(err, strconv.ErrRange) {
			return "", false
		}
		// Beyond int64: n is already MinInt64 or MaxInt64.
	}
	return strconv.FormatInt(min(max(n, rg.min), rg.max), 10), true
}

// withQuery returns a shallow copy of r whose URL carries q.
func withQuery(r *http.Request, q url.Values) *http.Request {
	r2 := new(http.Request)
	*r2 = *r
	u := *r.URL
	u.RawQuery = q.Encode()
	r2.URL = &u
	return r2
}

// queryInt reads a numeric query parameter already clamped by checkQuery
// (0 when absent).
func queryInt(r *http.Request, name string) int {
	n, _ := strconv.Atoi(r.URL.Query().Get(name))
	return n
}
