// Package redact masks personal data in the words people type, in the seven
// languages of the pack: Text before a question or a case's messages leave
// the machine (a model, a translation), ForEditors before editors read a
// question nobody could answer. It imports only the standard library and
// the knowledge base's normalisation (bot/kb), and keeps no state.
package redact
