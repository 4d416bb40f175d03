package dialog_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/yol-project/yol/bot/dialog"
)

// FuzzLoad feeds random bytes to the loader as a dialog file: it must
// never panic, every problem must have a message, and content it accepts
// must run.
func FuzzLoad(f *testing.F) {
	files, _ := filepath.Glob("testdata/*/*.yaml")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{"dialogs/f.yaml": {Data: data}}
		set, problems := dialog.Load(fsys, "dialogs")
		for _, p := range problems {
			if p.Message == "" || p.File == "" {
				t.Errorf("problem without a message or file: %+v", p)
			}
		}
		if set == nil {
			// Even content Load refuses must not crash the engine.
			set, _ = dialog.LoadUnchecked(fsys, "dialogs")
		}
		for _, d := range set.Dialogs() {
			if _, err := set.Mermaid(d); err != nil {
				t.Errorf("Mermaid(%q): %v", d, err)
			}
		}
		_ = set.MessageIDs()
		var sess dialog.Session
		inputs := []dialog.Input{start("x"), text("5"), btn("yes"), btn("back"), result("ok"), text("why?"), cmd("menu")}
		for _, in := range inputs {
			if events := set.Resume(&sess, in, nil); len(events) == 0 {
				t.Fatalf("no events for %+v", in)
			}
		}
	})
}

var inputKinds = []dialog.InputKind{
	dialog.InputStart, dialog.InputText, dialog.InputButton, dialog.InputLocation,
	dialog.InputContact, dialog.InputCommand, dialog.InputActionResult, "",
}

// FuzzResume plays a random input against a random session: the engine
// must never panic, must always answer, and must leave a consistent
// session that survives JSON.
func FuzzResume(f *testing.F) {
	set := loadValid(f)
	f.Add([]byte(`{}`), uint8(0), "", "", 0.0, 0.0)
	f.Add([]byte(`{"stack":[{"dialog":"eligibility","node":"q_years","back":["q_passport"]}],"vars":{"passport":"valid"},"wait":"answer"}`), uint8(1), "12", "", 0.0, 0.0)
	f.Add([]byte(`{"stack":[{"dialog":"eligibility","node":"evaluate"}],"wait":"action"}`), uint8(6), "", "match", 0.0, 0.0)
	f.Add([]byte(`{"stack":[{"dialog":"find_office","node":"q_where"}],"wait":"answer"}`), uint8(3), "", "", 40.1, 49.8)
	f.Add([]byte(`{"stack":[{"dialog":"main_menu","node":"q_menu"}],"wait":"answer"}`), uint8(1), "is this free?", "", 0.0, 0.0)
	f.Add([]byte(`{"stack":[{"dialog":"x","node":"y"}],"wait":"answer"}`), uint8(2), "", "back", 0.0, 0.0)
	f.Fuzz(func(t *testing.T, sessJSON []byte, kind uint8, text, value string, lat, lng float64) {
		var sess dialog.Session
		if err := json.Unmarshal(sessJSON, &sess); err != nil {
			sess = dialog.Session{}
		}
		in := dialog.Input{Kind: inputKinds[int(kind)%len(inputKinds)], Text: text, Value: value, Payload: value, Lat: lat, Lng: lng, Phone: text}
		events := set.Resume(&sess, in, nil)
		if len(events) == 0 {
			t.Fatalf("no events for %+v", in)
		}
		last := events[len(events)-1]
		switch sess.Wait {
		case dialog.WaitAnswer:
			if last.Type != dialog.EventAsk || sess.Ended() {
				t.Errorf("waiting for an answer, but the last event is %+v (stack %v)", last, sess.Stack)
			}
		case dialog.WaitAction:
			if last.Type != dialog.EventAction || sess.Ended() {
				t.Errorf("waiting for an action, but the last event is %+v", last)
			}
		case dialog.WaitNone:
			if !sess.Ended() || last.Type != dialog.EventEnd {
				t.Errorf("not waiting, but stack %v and last event %+v", sess.Stack, last)
			}
		default:
			t.Errorf("unknown wait %q", sess.Wait)
		}
		if len(sess.Stack) > dialog.MaxDepth {
			t.Errorf("stack of %d frames", len(sess.Stack))
		}
		checkRoundTrip(t, &sess)
	})
}

// rawSession has Session's fields and tags but not its JSON methods, so
// encoding/json reads it by reflection.
type rawSession struct {
	Spec  int               `json:"spec"`
	Stack []dialog.Frame    `json:"stack,omitempty"`
	Vars  map[string]string `json:"vars,omitempty"`
	Wait  dialog.Wait       `json:"wait,omitempty"`
}

// checkRoundTrip checks that the hand-written JSON of sess reads back
// equal, both by the hand-written reader and by encoding/json reflection.
func checkRoundTrip(t *testing.T, sess *dialog.Session) {
	t.Helper()
	b1, err := json.Marshal(sess)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	var s2 dialog.Session
	if err := json.Unmarshal(b1, &s2); err != nil {
		t.Fatalf("Unmarshal(%s): %v", b1, err)
	}
	// Invalid UTF-8 is written as \ufffd and read back as U+FFFD, which
	// is then written as itself; after that the bytes must be stable.
	b2, _ := json.Marshal(&s2)
	var again dialog.Session
	if err := json.Unmarshal(b2, &again); err != nil {
		t.Fatalf("Unmarshal(%s): %v", b2, err)
	}
	if b3, _ := json.Marshal(&again); !bytes.Equal(b2, b3) {
		t.Errorf("round trip changed the session:\n%s\n%s", b2, b3)
	}
	var raw rawSession
	if err := json.Unmarshal(b1, &raw); err != nil {
		t.Fatalf("encoding/json cannot read %s: %v", b1, err)
	}
	byReflect, _ := json.Marshal(raw)
	var s3 dialog.Session
	if err := json.Unmarshal(byReflect, &s3); err != nil {
		t.Fatalf("Unmarshal(%s): %v", byReflect, err)
	}
	if !reflect.DeepEqual(normalize(s3), normalize(s2)) {
		t.Errorf("encoding/json and the hand-written reader disagree:\n%+v\n%+v", s3, s2)
	}
}

func normalize(s dialog.Session) dialog.Session {
	if len(s.Vars) == 0 {
		s.Vars = nil
	}
	if len(s.Stack) == 0 {
		s.Stack = nil
	}
	for i := range s.Stack {
		if len(s.Stack[i].Back) == 0 {
			s.Stack[i].Back = nil
		}
	}
	return s
}

// FuzzSessionJSON feeds random bytes to the session reader: it must never
// panic, and what it reads must survive a round trip.
func FuzzSessionJSON(f *testing.F) {
	f.Add([]byte(`{"stack":[{"dialog":"a","node":"b","back":["c"]}],"vars":{"k":"v\u00e9\n\ud83d\ude00"},"wait":"answer","new":[1,{"x":null}]}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"vars":{"a":"\ud800"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var s dialog.Session
		if err := s.UnmarshalJSON(data); err != nil {
			return
		}
		checkRoundTrip(t, &s)
	})
}

func TestSessionJSON(t *testing.T) {
	sess := dialog.Session{
		Stack: []dialog.Frame{{Dialog: "a", Node: "b", Back: []string{"x", "y"}}, {Dialog: "c", Node: "d"}},
		Vars:  map[string]string{"z": "last", "free_text": "Ə \"quoted\" <b>&\u2028\x01 \xff", "a": "first"},
		Wait:  dialog.WaitAnswer,
	}
	got, err := json.Marshal(sess)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"spec":1,"stack":[{"dialog":"a","node":"b","back":["x","y"]},{"dialog":"c","node":"d"}],"vars":{"a":"first","free_text":"Ə \"quoted\" \u003cb\u003e\u0026\u2028\u0001 \ufffd","z":"last"},"wait":"answer"}`
	if string(got) != want {
		t.Errorf("Marshal:\ngot  %s\nwant %s", got, want)
	}
	// encoding/json by reflection writes the same bytes.
	std, _ := json.Marshal(rawSession{Spec: dialog.SessionSpec, Stack: sess.Stack, Vars: sess.Vars, Wait: sess.Wait})
	if string(std) != want {
		t.Errorf("encoding/json writes\n%s\nwant %s", std, want)
	}
	checkRoundTrip(t, &sess)
	for _, bad := range []string{``, `{`, `{"stack":`, `{"spec":"1"}`, `{"spec":-1}`, `{"spec":123456}`, `{"vars":{"a":1}}`, `{"stack":[{"dialog":"a"]}`, `[]`, `{"a":"\x"}`, `{} x`} {
		var s dialog.Session
		if err := s.UnmarshalJSON([]byte(bad)); err == nil {
			t.Errorf("UnmarshalJSON(%q) = nil error, want an error", bad)
		}
	}
}

// TestSessionSpecs: a session saved before specs existed (spec 0) reads as
// the current spec and is saved with it; one of a newer spec is refused
// with ErrNewerSession and leaves an empty session, never half of one.
func TestSessionSpecs(t *testing.T) {
	var old dialog.Session
	if err := old.UnmarshalJSON([]byte(`{"stack":[{"dialog":"menu","node":"q"}],"vars":{"lang":"fa"},"wait":"answer"}`)); err != nil {
		t.Fatalf("a spec 0 session: %v", err)
	}
	if got, want := old.Var("lang"), "fa"; got != want || old.Wait != dialog.WaitAnswer || len(old.Stack) != 1 {
		t.Errorf("a spec 0 session read as %+v", old)
	}
	if b, _ := old.MarshalJSON(); !strings.HasPrefix(string(b), `{"spec":1,`) {
		t.Errorf("saved again as %s, want spec 1 first", b)
	}
	var newer dialog.Session
	err := newer.UnmarshalJSON([]byte(`{"spec":2,"stack":[{"dialog":"menu","node":"q"}],"wait":"answer"}`))
	if !errors.Is(err, dialog.ErrNewerSession) {
		t.Errorf("a spec 2 session: err = %v, want ErrNewerSession", err)
	}
	if !newer.Ended() || newer.Vars != nil {
		t.Errorf("a refused session holds %+v, want the zero session", newer)
	}
}
