package dialog

// EventType says what an [Event] asks the host to do.
type EventType string

// The event types. Every event carries the Dialog and Node it came from.
const (
	// EventSay: show message MessageID, rendered with the session vars
	// plus Data as template data.
	EventSay EventType = "say"
	// EventAsk: show question MessageID with Buttons (if any) and wait for
	// the person's answer. Expect names the kind of typed answer wanted
	// ("" for buttons only, or text, number, yesno, date, phone, location,
	// contact), so the host can offer a location or contact keyboard.
	EventAsk EventType = "ask"
	// EventSet: session var Key now holds Value ("" means removed). The
	// session already holds the value; the event lets the host record
	// answers and campaign sources. Value may be the person's own words:
	// never log it.
	EventSet EventType = "set"
	// EventAction: run action Action with Params, then call Resume with an
	// Input of kind InputActionResult whose Value is the action's result.
	EventAction EventType = "action"
	// EventEnd: dialog Dialog has ended (a sub-dialog returned or a
	// top-level dialog finished).
	EventEnd EventType = "end"
	// EventContentError: the content is broken at Dialog/Node; Err says
	// how, for editors. It is always followed by an apology and the menu.
	EventContentError EventType = "content_error"
)

// Event is one thing the host must do, in order. Events are plain values;
// Data, Params and Buttons are shared with the [Set] and must not be
// modified.
type Event struct {
	Type      EventType         `json:"type"`
	Dialog    string            `json:"dialog,omitempty"`
	Node      string            `json:"node,omitempty"`
	MessageID string            `json:"message,omitempty"`
	Data      map[string]string `json:"data,omitempty"`
	Buttons   []Button          `json:"buttons,omitempty"`
	Expect    string            `json:"expect,omitempty"`
	Action    string            `json:"action,omitempty"`
	Params    map[string]string `json:"params,omitempty"`
	Key       string            `json:"key,omitempty"`
	Value     string            `json:"value,omitempty"`
	Err       string            `json:"error,omitempty"`
}

// Button is one answer button: Value is the stable key sent back in
// callback data, Label the message ID of its text.
type Button struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// BackValue is the reserved button value of the Back button.
const BackValue = "back"

// InputKind says what a person (or the host) did.
type InputKind string

// The input kinds.
const (
	InputStart        InputKind = "start"         // a new conversation; Payload is the /start payload
	InputText         InputKind = "text"          // typed text in Text
	InputButton       InputKind = "button"        // a pressed button; Value is its value key
	InputLocation     InputKind = "location"      // a shared location in Lat, Lng
	InputContact      InputKind = "contact"       // a shared contact; Phone
	InputCommand      InputKind = "command"       // a global command named by Value ("menu", "start", ...); Payload for start
	InputActionResult InputKind = "action_result" // the result of the pending action in Value
)

// Input is one thing a person did, or the result of an action.
type Input struct {
	Kind    InputKind `json:"kind"`
	Text    string    `json:"text,omitempty"`
	Value   string    `json:"value,omitempty"`
	Payload string    `json:"payload,omitempty"`
	Lat     float64   `json:"lat,omitempty"`
	Lng     float64   `json:"lng,omitempty"`
	Phone   string    `json:"phone,omitempty"`
}
