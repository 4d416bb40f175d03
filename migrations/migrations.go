// Package migrations holds the numbered SQL files that build Yol's schema.
// bot/postgres applies them in order; see its Migrate.
package migrations

import "embed"

// FS holds every NNNN_name.sql file of this folder.
//
//go:embed *.sql
var FS embed.FS
