package dialog_test

import (
	"encoding/json"
	"fmt"
	"testing/fstest"

	"github.com/yol-project/yol/bot/dialog"
)

// A host loads the content once, then for every message reads the
// session, calls Resume, handles the events and saves the session.
func Example() {
	content := fstest.MapFS{"dialogs/main.yaml": {Data: []byte(`spec: 1
menu: menu
dialogs:
  menu:
    nodes:
      q:
        ask: menu.q
        buttons:
          - {value: office, label: menu.office, next: office}
  office:
    nodes:
      where:
        ask: office.q.where
        expect: location
        save: where
        next: find
      find:
        action: nearest_offices
        next: done
      done:
        end: true
`)}}
	set, problems := dialog.Load(content, "dialogs")
	if set == nil {
		fmt.Println(problems)
		return
	}
	saved := []byte(`{}`)
	inputs := []dialog.Input{
		{Kind: dialog.InputStart},
		{Kind: dialog.InputButton, Value: "office"},
		{Kind: dialog.InputLocation, Lat: 40.4093, Lng: 49.8671},
	}
	var events []dialog.Event
	for len(inputs) > 0 {
		var sess dialog.Session
		if err := json.Unmarshal(saved, &sess); err != nil {
			panic(err)
		}
		events = set.Resume(&sess, inputs[0], events[:0])
		inputs = inputs[1:]
		for _, e := range events {
			switch e.Type {
			case dialog.EventAsk:
				fmt.Println("ask", e.MessageID, e.Buttons, "expect="+e.Expect)
			case dialog.EventAction:
				// The host runs the action, then resumes with its result.
				fmt.Println("run", e.Action, "near", sess.Vars["where"])
				inputs = append([]dialog.Input{{Kind: dialog.InputActionResult, Value: "ok"}}, inputs...)
			case dialog.EventEnd:
				fmt.Println("end", e.Dialog)
			}
		}
		saved, _ = json.Marshal(&sess)
	}
	fmt.Println(string(saved))
	// Output:
	// ask menu.q [{office menu.office}] expect=
	// ask office.q.where [] expect=location
	// run nearest_offices near 40.4093,49.8671
	// end office
	// ask menu.q [{office menu.office}] expect=
	// {"spec":1,"stack":[{"dialog":"menu","node":"q"}],"vars":{"where":"40.4093,49.8671"},"wait":"answer"}
}
