package main

import (
	"context"
	"fmt"
	"runtime/debug"

	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/migrations"
)

// buildVersion is set with -ldflags "-X main.buildVersion=..." by release builds.
var buildVersion = ""

// versionString returns the build version: buildVersion, else "dev" with
// the VCS revision when known.
func versionString() string {
	if buildVersion != "" {
		return buildVersion
	}
	v := "dev"
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v = "dev-" + s.Value[:12]
			}
		}
	}
	return v
}

// version runs `yol version`: it prints the build and schema versions.
func (m *Main) version(ctx context.Context, args []string) int {
	ms, err := postgres.LoadMigrations(migrations.FS)
	if err != nil {
		fmt.Fprintf(m.Stderr, "yol: %v\n", err)
		return 1
	}
	fmt.Fprintf(m.Stdout, "yol %s\nschema version %d\n", versionString(), len(ms))
	return 0
}
