// Package locales holds every user-facing text of the default content pack,
// one file per part and language (part.lang.yaml), and languages.yaml with
// each language's translation status.
package locales

import "embed"

// FS holds the locale files.
//
//go:embed *.yaml
var FS embed.FS
