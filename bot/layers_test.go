package bot_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/yol-project/yol/"

// goList runs `go list` with a template over packages and returns its
// output lines.
func goList(t *testing.T, args ...string) []string {
	t.Helper()
	out, err := exec.Command("go", append([]string{"list"}, args...)...).Output()
	if err != nil {
		t.Fatalf("go list %s: %v", strings.Join(args, " "), err)
	}
	return strings.Fields(string(out))
}

// TestThePureCoreDependsOnNoAdapter: the engine and the knowledge base
// depend on the standard library, the YAML parser and the one Problem type
// only (README, "Architecture").
func TestThePureCoreDependsOnNoAdapter(t *testing.T) {
	allowed := []string{"go.yaml.in/yaml/v3", module + "bot/problem", module + "bot/dialog", module + "bot/kb"}
	for _, pkg := range []string{"./dialog", "./kb"} {
		for _, dep := range goList(t, "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", pkg) {
			if !slices.Contains(allowed, dep) {
				t.Errorf("%s depends on %s; it may use the standard library, YAML and bot/problem only", pkg, dep)
			}
		}
	}
}

// TestNoAdapterImportsAnother: PostgreSQL, the web console, Telegram and
// the model each meet the core only; none imports another.
func TestNoAdapterImportsAnother(t *testing.T) {
	adapters := []string{"bot/postgres", "bot/web", "bot/telegram", "bot/llm"}
	for _, a := range adapters {
		imports := goList(t, "-f", `{{join .Imports "\n"}}`, "./"+strings.TrimPrefix(a, "bot/"))
		for _, other := range adapters {
			if other != a && slices.Contains(imports, module+other) {
				t.Errorf("%s imports %s: adapters meet through the core's types, not each other", a, other)
			}
		}
	}
}
