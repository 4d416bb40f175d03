package dialog_test

import (
	"os"
	"testing"

	"github.com/yol-project/yol/bot/dialog"
)

// loadValid loads testdata/valid, failing the test on any problem.
func loadValid(t testing.TB) *dialog.Set {
	t.Helper()
	set, problems := dialog.Load(os.DirFS("testdata"), "valid")
	for _, p := range problems {
		t.Errorf("problem in valid content: %s", p)
	}
	if set == nil {
		t.Fatal("Load returned no set for valid content")
	}
	return set
}

func TestLoadValid(t *testing.T) {
	set := loadValid(t)
	got := set.Dialogs()
	if len(got) != 8 {
		t.Errorf("Dialogs() = %v, want 8 dialogs", got)
	}
}
