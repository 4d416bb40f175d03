package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/yol-project/yol/bot/referral"
)

// Flash messages: after a change, the console redirects to a page whose
// banner confirms it. The redirect carries a code (?flash=note-added), never
// text: the code is looked up in flashMessages and anything else shows
// nothing, so that a link sent to staff cannot put its own words into the
// console's trusted banner.
//
// Each code names a console message (its text is in the staff member's
// language).
var flashMessages = map[string]string{
	"note-added":            "console.flash.note_added",
	"message-sent":          "console.flash.message_sent",
	"appointment-set":       "console.flash.appointment_set",
	"appointment-cancelled": "console.flash.appointment_cancelled",
	"no-appointment":        "console.flash.no_appointment",
	"invalid-form":          "console.flash.invalid_form",
	"account-updated":       "console.flash.account_updated",
	"language-saved":        "console.flash.language_saved",
	"handover-done":         "console.flash.handover_done",
	"handover-asked":        "console.flash.handover_asked",
	"org-saved":             "console.flash.org_saved",
	"org-retired":           "console.flash.org_retired",

	// The content and translations pages.
	"content-approved":  "console.flash.content_approved",
	"content-published": "console.flash.content_published",
	"text-reviewed":     "console.flash.text_reviewed",
}

// init adds the flash message of each status change.
func init() {
	// One code per status a case can move to.
	for _, status := range referral.Statuses() {
		flashMessages[statusFlash(status)] = "console.flash.status." + string(status)
	}
}

// statusFlash is the flash code of a status change.
func statusFlash(status referral.Status) string { return "status-" + string(status) }

// flashURL is path with the banner of code (a key of flashMessages; any
// other code gives path alone).
func flashURL(path, code string) string {
	if _, ok := flashMessages[code]; !ok {
		return path
	}
	return path + "?flash=" + url.QueryEscape(code)
}

type flashKey struct{}

// readFlash takes ?flash= out of every request before any handler sees it
// and keeps the message ID of its code (if it is one) for render.
func readFlash(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.RawQuery == "" {
			next.ServeHTTP(w, r)
			return
		}
		q := r.URL.Query()
		if code, ok := q["flash"]; ok {
			q.Del("flash")
			r = withQuery(r, q)
			if msg, ok := flashMessages[code[0]]; ok {
				r = r.WithContext(context.WithValue(r.Context(), flashKey{}, msg))
			}
		}
		next.ServeHTTP(w, r)
	})
}

// flashOf is the message ID of the banner the request's ?flash= code asked
// for, or "".
func flashOf(r *http.Request) string {
	msg, _ := r.Context().Value(flashKey{}).(string)
	return msg
}
