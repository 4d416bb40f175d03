package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/yol-project/yol/bot/locale"
	"github.com/yol-project/yol/locales"
)

// consoleIDRE finds a whole console message ID written as a literal (a
// prefix such as "console.status." or "console.simdraft.option_" ends
// with a dot or "_" and is not one).
var consoleIDRE = regexp.MustCompile(`"(console(?:\.[a-z0-9_]*[a-z0-9])+)"`)

// auditActionRE finds an audit action written as a literal: an
// AuditEntry's Action, or an action variable's value.
var auditActionRE = regexp.MustCompile(`(?:Action: *|action :?= *|action, [a-z]+ = )"([a-z_]+(?:\.[a-z_]+)*)"`)

// TestConsoleKeysInStaffLanguages: every console text of the default pack
// exists in English, Azerbaijani and Russian (the staff languages), and
// every console ID the templates and the Go code of this package name, and
// every text sim.js gets, and the name of every audit action, is one of
// them: a key missing in az or ru, or one used but never written, fails
// here.
func TestConsoleKeysInStaffLanguages(t *testing.T) {
	texts, probs := locale.Load(locales.FS, ".")
	if texts == nil {
		t.Fatalf("default locales: %v", probs)
	}
	langs := []string{"en", "az", "ru"}
	n := 0
	for _, lang := range langs {
		for id := range texts.IDs(lang) {
			if !strings.HasPrefix(id, ConsolePrefix) {
				continue
			}
			n++
			for _, other := range langs {
				if !texts.Has(other, id) {
					t.Errorf("console text %s is in %s but not in %s", id, lang, other)
				}
			}
		}
	}
	if n < 100 {
		t.Fatalf("only %d console texts: the check sees nothing", n)
	}
	used := map[string]string{} // id: where
	for _, k := range simScriptTexts {
		used["console.sim.js."+k] = "simScriptTexts"
	}
	files, _ := filepath.Glob("*.go")
	tmpl, _ := fs.Glob(templateFS, "templates/*.html")
	for _, f := range append(files, tmpl...) {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range consoleIDRE.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = f
		}
	}
	if len(used) < 100 {
		t.Fatalf("only %d console IDs used: the scan sees nothing", len(used))
	}
	// Every action the audit log records is named on the audit page.
	code, _ := filepath.Glob("../postgres/*.go")
	actions := 0
	for _, f := range append(files, code...) {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range auditActionRE.FindAllStringSubmatch(string(b), -1) {
			used["console.audit.action."+m[1]] = f
			actions++
		}
	}
	if actions < 20 {
		t.Fatalf("only %d audit actions found: the scan sees nothing", actions)
	}
	for id, where := range used {
		for _, lang := range langs {
			if !texts.Has(lang, id) {
				t.Errorf("%s uses console text %s, missing in %s", where, id, lang)
			}
		}
	}
}
