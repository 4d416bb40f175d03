package staff_test

import (
	"testing"

	"github.com/yol-project/yol/bot/staff"
)

// TestScope: an admin sees every department, staff their own, an editor no
// case at all.
func TestScope(t *testing.T) {
	admin := &staff.Account{Role: staff.RoleAdmin}
	officer := &staff.Account{Role: staff.RoleStaff, Departments: []string{"baku"}}
	editor := &staff.Account{Role: staff.RoleEditor, Departments: []string{"baku"}}
	if sc := admin.Scope(); !sc.All || sc.None || !admin.SeesCases() {
		t.Errorf("admin: %+v", sc)
	}
	sc := officer.Scope()
	if sc.All || sc.None || len(sc.Departments) != 1 || sc.Departments[0] != "baku" || !officer.SeesCases() {
		t.Errorf("staff: %+v", sc)
	}
	sc.Departments[0] = "ganja"
	if officer.Departments[0] != "baku" {
		t.Error("the scope shares the account's departments")
	}
	if sc := editor.Scope(); sc.All || !sc.None || editor.SeesCases() {
		t.Errorf("editor: %+v", sc)
	}
	if staff.ValidRole("root") || !staff.ValidRole(staff.RoleEditor) || !staff.ValidRole(staff.RoleTranslator) || !staff.ValidRole(staff.RoleReviewer) {
		t.Error("ValidRole")
	}
}

// TestWorksOnLanguage: a translator works on its own languages only, the
// other roles on every language.
func TestWorksOnLanguage(t *testing.T) {
	fa := &staff.Account{Role: staff.RoleTranslator, ContentLanguages: []string{"fa"}}
	none := &staff.Account{Role: staff.RoleTranslator}
	editor := &staff.Account{Role: staff.RoleEditor}
	admin := &staff.Account{Role: staff.RoleAdmin}
	var nobody *staff.Account
	tests := []struct {
		name string
		a    *staff.Account
		lang string
		want bool
	}{
		{"translator, own language", fa, "fa", true},
		{"translator, another language", fa, "ru", false},
		{"translator without languages", none, "fa", false},
		{"editor", editor, "ru", true},
		{"admin", admin, "fa", true},
		{"no account", nobody, "fa", false},
	}
	for _, tt := range tests {
		if got := tt.a.WorksOnLanguage(tt.lang); got != tt.want {
			t.Errorf("%s: WorksOnLanguage(%q): got %v, want %v", tt.name, tt.lang, got, tt.want)
		}
	}
}
