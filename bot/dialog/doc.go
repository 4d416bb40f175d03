// Package dialog runs the scripted conversations of Yol.
//
// Content editors write dialogs as YAML files (see FORMAT.md). [Load] reads
// and validates them into an immutable [Set]. The engine is pure: [Set.Start]
// and [Set.Resume] turn a [Session] and an [Input] into a list of [Event]
// values and an updated Session, without any I/O, clock, randomness or
// goroutines. The caller renders the events (messages are go-i18n message
// IDs), runs the named actions the dialogs ask for, and saves the Session,
// a small JSON value, between messages.
//
// Mistakes in content never crash the engine and never leave a person
// stuck: a loop without a question, a call stack that grows too deep, or a
// session that points at a node that no longer exists produce an
// [EventContentError] for editors, an apology for the person and a fresh
// start at the menu dialog.
package dialog
