package web_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/staff"
)

// TestAdminsManageOrganisations: an admin adds a protection partner with
// names in two languages, sees a clear message in their language for a
// mistake, retires it; staff and editors cannot reach the page; staff of
// the new organisation can be created.
func TestAdminsManageOrganisations(t *testing.T) {
	e := newEnv(t)
	e.staffAccount("boss", staff.RoleAdmin, "az")
	c := e.signIn("boss")
	if r := c.get("/console/organisations"); r.code != http.StatusOK || !strings.Contains(r.body, `id="org-form"`) {
		t.Fatalf("organisations page: %d", r.code)
	}
	good := url.Values{"id": {"shelter"}, "kind": {"protection"}, "protects": {"trafficking"}, "name_en": {"Shelter <Partner>"},
		"name_ru": {"Приют"}, "cities": {"baku"}, "hours": {"Mon-Fri 09:00-18:00"}, "languages": {"ru", "en"}}
	bad := url.Values{"id": {"x y"}, "kind": {"legal_aid"}, "name_en": {"X"}}
	if r := c.post("/console/organisations", bad); r.code != http.StatusBadRequest || !strings.Contains(r.body, "2–40 kiçik") && !strings.Contains(r.body, e.content.Load().Texts.Text("az", "console.orgs.bad_id", nil, nil)) {
		t.Errorf("a bad id: %d, want 400 and the Azerbaijani message", r.code)
	}
	noDanger := url.Values{"id": {"shelter"}, "kind": {"protection"}, "name_en": {"S"}}
	if r := c.post("/console/organisations", noDanger); r.code != http.StatusBadRequest {
		t.Errorf("a protection partner protecting from nothing: %d, want 400", r.code)
	}
	if r := c.post("/console/organisations", url.Values{"id": {"baku_dept"}, "kind": {"legal_aid"}, "name_en": {"S"}}); r.code != http.StatusBadRequest {
		t.Errorf("an office's id taken: %d, want 400", r.code)
	}
	if r := c.post("/console/organisations", good); r.code != http.StatusSeeOther {
		t.Fatalf("save: %d %s", r.code, r.body)
	}
	if r := c.post("/console/organisations", good); r.code != http.StatusConflict {
		t.Errorf("the same id again: %d, want 409", r.code)
	}
	r := c.get("/console/organisations")
	if !strings.Contains(r.body, "Shelter &lt;Partner&gt;") {
		t.Errorf("the organisation is not listed (escaped):\n%s", r.body)
	}
	all, err := e.db.Organisations(context.Background())
	if err != nil || len(all) != 1 || all[0].Names["ru"] != "Приют" || all[0].Cities[0] != "baku" || len(all[0].Languages) != 2 {
		t.Fatalf("stored: %+v %v", all, err)
	}
	// Staff can work for it.
	if r := c.post("/console/accounts", url.Values{"login": {"aysel"}, "role": {"staff"}, "departments": {"shelter"}}); r.code != http.StatusOK && r.code != http.StatusSeeOther {
		t.Errorf("an account for the organisation: %d", r.code)
	}
	if r := c.post("/console/organisations/shelter/retire", url.Values{}); r.code != http.StatusSeeOther {
		t.Errorf("retire: %d", r.code)
	}
	if r := c.post("/console/organisations/shelter/retire", url.Values{}); r.code != http.StatusNotFound {
		t.Errorf("retired twice: %d, want 404", r.code)
	}
	for _, role := range []staff.Role{staff.RoleStaff, staff.RoleEditor} {
		login := "u" + string(role)
		e.account(login, role, "baku_dept")
		if r := e.signIn(login).get("/console/organisations"); r.code == http.StatusOK {
			t.Errorf("%s reached the organisations page", role)
		}
	}
	if n := e.count("SELECT count(*) FROM audit_log WHERE action IN ('org.create', 'org.retire')"); n != 2 {
		t.Errorf("audit rows = %d, want 2", n)
	}
}

// TestHandoverFromTheCasePage: a department hands a simulator case to free
// lawyers: the person is asked in their language with Yes and No, the case
// stays with the department meanwhile (and the form says it waits); a
// handover to another department moves it at once.
func TestHandoverFromTheCasePage(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.account("boss", staff.RoleAdmin)
	boss := e.signIn("boss")
	if r := boss.post("/console/organisations", url.Values{"id": {"lawyers"}, "kind": {"legal_aid"}, "name_en": {"Free Lawyers"}}); r.code != http.StatusSeeOther {
		t.Fatalf("add lawyers: %d", r.code)
	}
	ref := e.referral(bot.ChannelSimulator, 77, "baku_dept", "ru")
	e.account("leyla", staff.RoleStaff, "baku_dept")
	c := e.signIn("leyla")
	path := "/console/cases/" + strconv.FormatInt(ref.ID, 10)
	if r := c.get(path); !strings.Contains(r.body, `value="lawyers"`) || !strings.Contains(r.body, `value="ganja_dept"`) || strings.Contains(r.body, `<option value="baku_dept"`) {
		t.Fatalf("the handover choices are wrong:\n%s", r.body)
	}
	if r := c.post(path+"/handover", url.Values{"to": {"nowhere"}}); r.code != http.StatusSeeOther || !strings.Contains(r.header.Get("Location"), "invalid-form") {
		t.Errorf("an unknown organisation: %d %s", r.code, r.header.Get("Location"))
	}
	if r := c.post(path+"/handover", url.Values{"to": {"lawyers"}}); r.code != http.StatusSeeOther {
		t.Fatalf("handover: %d", r.code)
	}
	got, err := e.db.TakeReplies(ctx, bot.Chat{Channel: bot.ChannelSimulator, ID: 77})
	if err != nil || len(got) != 1 || !strings.Contains(got[0].Text, "Free Lawyers") || len(got[0].Buttons) != 1 ||
		got[0].Buttons[0][0].Data != bot.HandoverButton+"yes" {
		t.Fatalf("the person was not asked as they should be: %+v %v", got, err)
	}
	if want := e.content.Load().Texts.Text("ru", "common.yes", nil, nil); got[0].Buttons[0][0].Label != want {
		t.Errorf("the Yes button reads %q, want %q (Russian)", got[0].Buttons[0][0].Label, want)
	}
	if r := c.get(path); r.code != http.StatusOK || strings.Contains(r.body, `id="handover"`) {
		t.Errorf("the case left before the person agreed, or the form is still offered: %d", r.code)
	}
	// To another department: at once.
	ref2 := e.referral(bot.ChannelSimulator, 78, "baku_dept", "en")
	path2 := "/console/cases/" + strconv.FormatInt(ref2.ID, 10)
	if r := c.post(path2+"/handover", url.Values{"to": {"ganja_dept"}}); r.code != http.StatusSeeOther {
		t.Fatalf("handover to a department: %d", r.code)
	}
	if r := c.get(path2); r.code != http.StatusNotFound {
		t.Errorf("the case handed to Ganja is still visible in Baku: %d", r.code)
	}
	if _, err := e.db.Case(ctx, staff.Scope{Departments: []string{"ganja_dept"}}, ref2.ID); errors.Is(err, bot.ErrNotFound) {
		t.Errorf("Ganja does not have the case")
	}
}

// TestEditAnOrganisation: the edit link fills the form with the
// organisation, and saving it changes it.
func TestEditAnOrganisation(t *testing.T) {
	e := newEnv(t)
	e.account("boss", staff.RoleAdmin)
	c := e.signIn("boss")
	c.post("/console/organisations", url.Values{"id": {"lawyers"}, "kind": {"legal_aid"}, "name_en": {"Free Lawyers"}})
	r := c.get("/console/organisations?edit=lawyers")
	if !strings.Contains(r.body, `name="edit" value="1"`) || !strings.Contains(r.body, `value="Free Lawyers"`) {
		t.Fatalf("the form does not hold the organisation to edit")
	}
	if r := c.post("/console/organisations", url.Values{"edit": {"1"}, "id": {"lawyers"}, "kind": {"legal_aid"}, "name_en": {"Free Lawyers of Baku"}, "cities": {"baku"}}); r.code != http.StatusSeeOther {
		t.Fatalf("save the edit: %d", r.code)
	}
	all, _ := e.db.Organisations(context.Background())
	if len(all) != 1 || all[0].Names["en"] != "Free Lawyers of Baku" || len(all[0].Cities) != 1 {
		t.Errorf("after the edit: %+v", all)
	}
	if r := c.get("/console/organisations?edit=%3Cscript%3E"); r.code != http.StatusOK || strings.Contains(r.body, `name="edit" value="1"`) {
		t.Errorf("editing an unknown id: %d", r.code)
	}
}
