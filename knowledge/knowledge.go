// Package knowledge holds the facts of the default content pack: the
// eligibility questions, pathways, documents, articles, offices and their
// sources (see bot/kb).
package knowledge

import "embed"

// FS holds the knowledge files.
//
//go:embed *.yaml
var FS embed.FS
