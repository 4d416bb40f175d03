// Package dialogs holds the conversation scripts of the default content
// pack (see bot/dialog/FORMAT.md) and the editors' conversation tests.
package dialogs

import "embed"

// FS holds the dialog files and tests/.
//
//go:embed *.yaml tests/*.yaml
var FS embed.FS
