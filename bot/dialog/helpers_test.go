package dialog_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/yol-project/yol/bot/dialog"
)

func start(payload string) dialog.Input {
	return dialog.Input{Kind: dialog.InputStart, Payload: payload}
}
func text(s string) dialog.Input   { return dialog.Input{Kind: dialog.InputText, Text: s} }
func btn(v string) dialog.Input    { return dialog.Input{Kind: dialog.InputButton, Value: v} }
func cmd(name string) dialog.Input { return dialog.Input{Kind: dialog.InputCommand, Value: name} }
func result(v string) dialog.Input { return dialog.Input{Kind: dialog.InputActionResult, Value: v} }
func loc(lat, lng float64) dialog.Input {
	return dialog.Input{Kind: dialog.InputLocation, Lat: lat, Lng: lng}
}
func contact(phone string) dialog.Input { return dialog.Input{Kind: dialog.InputContact, Phone: phone} }

// summary writes events as short lines that are easy to compare:
//
//	say MSG | ask MSG [v1,v2] expect=E | set KEY=VALUE | action NAME |
//	end DIALOG | error DIALOG.NODE
func summary(events []dialog.Event) []string {
	out := make([]string, 0, len(events))
	for _, e := range events {
		var s string
		switch e.Type {
		case dialog.EventSay:
			s = "say " + e.MessageID
		case dialog.EventAsk:
			s = "ask " + e.MessageID
			if len(e.Buttons) > 0 {
				vals := make([]string, len(e.Buttons))
				for i, b := range e.Buttons {
					vals[i] = b.Value
				}
				s += " [" + strings.Join(vals, ",") + "]"
			}
			if e.Expect != "" {
				s += " expect=" + e.Expect
			}
		case dialog.EventSet:
			s = "set " + e.Key + "=" + e.Value
		case dialog.EventAction:
			s = "action " + e.Action
		case dialog.EventEnd:
			s = "end " + e.Dialog
		case dialog.EventContentError:
			s = "error " + e.Dialog + "." + e.Node
		default:
			s = fmt.Sprintf("%s %+v", e.Type, e)
		}
		out = append(out, s)
	}
	return out
}

// roundTrip saves the session as JSON and reads it back, as the host does
// between messages.
func roundTrip(t testing.TB, sess *dialog.Session) *dialog.Session {
	t.Helper()
	data, err := json.Marshal(sess)
	if err != nil {
		t.Fatalf("json.Marshal(session): %v", err)
	}
	var back dialog.Session
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatalf("json.Unmarshal(%s): %v", data, err)
	}
	return &back
}

// step is one input and the events it should produce (nil: not checked).
type step struct {
	in   dialog.Input
	want []string
}

// play runs the steps against set from sess (nil: a new session),
// round-tripping the session through JSON between inputs, and checks each
// step's events. It returns the final session.
func play(t *testing.T, set *dialog.Set, sess *dialog.Session, steps []step) *dialog.Session {
	t.Helper()
	if sess == nil {
		sess = &dialog.Session{}
	}
	for i, st := range steps {
		sess = roundTrip(t, sess)
		got := summary(set.Resume(sess, st.in, nil))
		if st.want == nil {
			continue
		}
		if strings.Join(got, "\n") != strings.Join(st.want, "\n") {
			t.Fatalf("step %d (%+v):\ngot  %q\nwant %q", i, st.in, got, st.want)
		}
	}
	return roundTrip(t, sess)
}
