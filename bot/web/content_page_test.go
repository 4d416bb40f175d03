package web_test

import (
	"bytes"
	"context"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/staff"
	"github.com/yol-project/yol/bot/web"
	"github.com/yol-project/yol/dialogs"
	"github.com/yol-project/yol/knowledge"
	"github.com/yol-project/yol/locales"
)

// onlyEnglish is a text the content tests add to the source language
// alone: missing in every other language.
const onlyEnglish = "test.only_english"

// builtinPack is the pack built into yol (which passes yol check, so that
// a version of it can be published through the console) with onlyEnglish
// added to the English texts. The test pack (testdata/pack) cannot stand
// in: it is a fixture for the console, not a pack that passes the check.
func builtinPack(t *testing.T) map[string][]byte {
	t.Helper()
	m := fstest.MapFS{}
	for dir, fsys := range map[string]fs.FS{"dialogs": dialogs.FS, "knowledge": knowledge.FS, "locales": locales.FS} {
		err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := fs.ReadFile(fsys, p)
			m[path.Join(dir, p)] = &fstest.MapFile{Data: b}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	files, err := bot.PackFiles(m)
	if err != nil {
		t.Fatal(err)
	}
	files["locales/dialogs.en.yaml"] = append(append([]byte(nil), files["locales/dialogs.en.yaml"]...), []byte(onlyEnglish+": \"Only in English\"\n")...)
	return files
}

// newContentEnv is a console whose database has the built-in pack live as
// version 1 (stored and published as yol serve does for a new database),
// an editor "eda", a translator "tia", a reviewer "rev", an admin "ada"
// and a staff member "sam".
func newContentEnv(t *testing.T, opts ...func(*web.Server)) *env {
	t.Helper()
	e := newEnv(t, opts...)
	ctx := context.Background()
	id, _, err := e.db.PushContent(ctx, builtinPack(t), "built-in", "the pack built into yol", 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.PublishContent(ctx, id, "test"); err != nil {
		t.Fatal(err)
	}
	e.account("eda", staff.RoleEditor)
	e.account("tia", staff.RoleTranslator)
	e.account("rev", staff.RoleReviewer)
	e.account("ada", staff.RoleAdmin)
	e.account("sam", staff.RoleStaff, "baku_dept")
	return e
}

func (e *env) live() int64 {
	e.t.Helper()
	id, err := e.db.LiveContent(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return id
}

func (e *env) files(id int64) map[string][]byte {
	e.t.Helper()
	files, err := e.db.ContentFiles(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return files
}

// TestConsoleEditsApprovesPublishes: an editor's edit of a Persian text is
// a draft that differs from the live version in that entry alone; a text
// that lost its placeholder is refused; the author cannot approve the
// draft nor publish it unapproved; another account approves, and it is
// published. A version with a broken reference is not published, its
// problem shown; publishing version 1 rolls back.
func TestConsoleEditsApprovesPublishes(t *testing.T) {
	e := newContentEnv(t)
	ctx := context.Background()
	eda := e.signIn("eda")

	r := eda.get("/console/texts?lang=fa&after=referral.a")
	if r.code != http.StatusOK || !strings.Contains(r.body, `id="t-referral.created"`) || !strings.Contains(r.body, `dir="rtl"`) {
		t.Fatalf("texts page: %d\n%.2000s", r.code, r.body)
	}
	if !strings.Contains(r.body, "Done. Your reference code is {{.referral_code}}.") {
		t.Errorf("the English source is not shown")
	}
	if strings.Contains(r.body, `id="t-console.`) {
		t.Errorf("the console's texts are listed")
	}

	// A placeholder removed: refused, nothing stored.
	r = eda.post("/console/texts", url.Values{"lang": {"fa"}, "id": {"referral.created"}, "text": {"انجام شد."}})
	if r.code != http.StatusBadRequest || !strings.Contains(r.body, "The placeholders (the names in double curly brackets)") {
		t.Fatalf("placeholder removed: %d\n%.3000s", r.code, r.body)
	}
	if n := e.count("SELECT count(*) FROM content_versions"); n != 1 {
		t.Fatalf("a refused text stored a version: %d versions", n)
	}

	// The edit: a draft, version 2, differing in that entry only.
	text := "جریمه ماندن بدون مدارک <b>معتبر</b>"
	r = eda.post("/console/texts", url.Values{"lang": {"fa"}, "id": {"article.fines_overstay.title"}, "text": {text}})
	if r.code != http.StatusOK || !strings.Contains(r.body, "Saved as draft version 2: approve and publish it on the Content page.") {
		t.Fatalf("save: %d\n%.3000s", r.code, r.body)
	}
	vs, err := e.db.ContentVersions(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if v := vs[0]; v.ID != 2 || v.Author != "eda" || v.Parent != 1 || v.Note != "fa article.fines_overstay.title" || v.Live {
		t.Fatalf("draft: %+v", v)
	}
	before, after := e.files(1), e.files(2)
	if len(before) != len(after) {
		t.Fatalf("files: %d before, %d after", len(before), len(after))
	}
	for p, b := range before {
		if p != "locales/kb.fa.yaml" && !bytes.Equal(b, after[p]) {
			t.Errorf("%s changed", p)
		}
	}
	old, neu := strings.Split(string(before["locales/kb.fa.yaml"]), "\n"), strings.Split(string(after["locales/kb.fa.yaml"]), "\n")
	if len(old) != len(neu) {
		t.Fatalf("kb.fa.yaml: %d lines, then %d", len(old), len(neu))
	}
	for i := range old {
		if old[i] != neu[i] && !strings.HasPrefix(old[i], "article.fines_overstay.title:") {
			t.Errorf("line %d changed: %q → %q", i+1, old[i], neu[i])
		}
	}
	if !strings.Contains(string(after["locales/kb.fa.yaml"]), `article.fines_overstay.title: "`+text+`"`) {
		t.Errorf("the new text is not in the file")
	}
	// The page shows the draft's text beside the live one.
	if r := eda.get("/console/texts?lang=fa"); !strings.Contains(r.body, "جریمه ماندن بدون مدارک &lt;b&gt;معتبر&lt;/b&gt;") || !strings.Contains(r.body, "Your edits are in draft version 2") {
		t.Errorf("the texts page does not show the draft")
	}

	// The author can neither approve nor publish it unapproved; an
	// editor is no approver, a translator no publisher.
	page := eda.get("/console/content")
	if page.code != http.StatusOK || strings.Contains(page.body, `action="/console/content/2/approve"`) || !strings.Contains(page.body, `action="/console/content/2/publish"`) {
		t.Fatalf("content page for the author: %d\n%.3000s", page.code, page.body)
	}
	if r := eda.post("/console/content/2/approve", nil); r.code != http.StatusForbidden {
		t.Fatalf("an editor approved: %d\n%.2000s", r.code, r.body)
	}
	tia := e.signIn("tia")
	if page := tia.get("/console/content"); page.code != http.StatusOK || strings.Contains(page.body, `/publish"`) || strings.Contains(page.body, `/approve"`) {
		t.Fatalf("content page for a translator: %d\n%.3000s", page.code, page.body)
	}
	if r := tia.post("/console/content/2/publish", nil); r.code != http.StatusForbidden {
		t.Fatalf("a translator published: %d", r.code)
	}
	if r := eda.post("/console/content/2/publish", nil); r.code != http.StatusForbidden || !strings.Contains(r.body, "must approve it before it is published") {
		t.Fatalf("unapproved publish: %d\n%.2000s", r.code, r.body)
	}
	if e.live() != 1 {
		t.Fatal("an unapproved draft was published")
	}

	// A reviewer approves; then it is published.
	ada, rev := e.signIn("ada"), e.signIn("rev")
	page = rev.get("/console/content")
	if !strings.Contains(page.body, `action="/console/content/2/approve"`) || strings.Contains(page.body, `action="/console/content/2/publish"`) {
		t.Fatalf("a reviewer's content page: no Approve, or a Publish")
	}
	// The approver reads the change: old and new, escaped, marked legal.
	if !strings.Contains(page.body, "جریمه ماندن بدون مدارک</del>") || !strings.Contains(page.body, "&lt;b&gt;معتبر&lt;/b&gt;</ins>") || !strings.Contains(page.body, "legal text: needs a second person") {
		t.Errorf("the content page lacks the draft's readable diff\n%.6000s", page.body)
	}
	if r := rev.post("/console/content/2/approve", nil); r.code != http.StatusSeeOther || r.header.Get("Location") != "/console/content?flash=content-approved" {
		t.Fatalf("approve: %d %q\n%.2000s", r.code, r.header.Get("Location"), r.body)
	}
	if r := eda.post("/console/content/2/publish", nil); r.code != http.StatusSeeOther {
		t.Fatalf("publish: %d\n%.3000s", r.code, r.body)
	}
	if e.live() != 2 {
		t.Fatalf("live is %d, want 2", e.live())
	}
	if r := eda.get("/console/content?flash=content-published"); !strings.Contains(r.body, "Version published") || !strings.Contains(r.body, "Roll back to this version") {
		t.Errorf("content page after publishing lacks its banner or the rollback")
	}

	// A version calling a dialog that does not exist is not published.
	broken := e.files(2)
	broken["dialogs/zz_broken.yaml"] = []byte("spec: 1\ndialogs:\n  zz_broken:\n    nodes:\n      c:\n        call: no_such_dialog\n        next: done\n      done:\n        end: true\n")
	id3, _, err := e.db.PushContent(ctx, broken, "cli", "broken <b>ref</b>", 2)
	if err != nil {
		t.Fatal(err)
	}
	r = ada.post("/console/content/"+strconv.FormatInt(id3, 10)+"/publish", nil)
	if r.code != http.StatusUnprocessableEntity || !strings.Contains(r.body, `unknown dialog &#34;no_such_dialog&#34;`) || !strings.Contains(r.body, "has errors and was not published") {
		t.Fatalf("broken version: %d\n%.4000s", r.code, r.body)
	}
	if strings.Contains(r.body, "<b>ref</b>") {
		t.Errorf("a version's note is not escaped")
	}
	if e.live() != 2 {
		t.Fatalf("a broken version went live")
	}

	// Rollback to version 1.
	if r := ada.post("/console/content/1/publish", nil); r.code != http.StatusSeeOther {
		t.Fatalf("rollback: %d\n%.3000s", r.code, r.body)
	}
	if e.live() != 1 {
		t.Fatalf("live is %d after the rollback, want 1", e.live())
	}
}

// TestContentPageBadInput: bad version ids get a message, never a 5xx; the
// staff role has no content page.
func TestContentPageBadInput(t *testing.T) {
	e := newContentEnv(t)
	ada := e.signIn("ada")
	for _, tc := range []struct {
		path, want string
		code       int
	}{
		{"/console/content/abc/approve", "That is not a version number.", http.StatusBadRequest},
		{"/console/content/-1/publish", "That is not a version number.", http.StatusBadRequest},
		{"/console/content/99999999999999999999/publish", "That is not a version number.", http.StatusBadRequest},
		{"/console/content/999/publish", "There is no content version 999.", http.StatusNotFound},
		{"/console/content/999/approve", "There is no content version 999.", http.StatusNotFound},
		{"/console/content/1/publish", "Version 1 is live already.", http.StatusConflict},
	} {
		if r := ada.post(tc.path, nil); r.code != tc.code || !strings.Contains(r.body, tc.want) {
			t.Errorf("%s: %d, want %d with %q\n%.1500s", tc.path, r.code, tc.code, tc.want, r.body)
		}
	}
	sam := e.signIn("sam")
	if r := sam.get("/console/content"); r.code != http.StatusForbidden {
		t.Errorf("staff see the content page: %d", r.code)
	}
	if r := sam.post("/console/content/1/publish", nil); r.code != http.StatusForbidden {
		t.Errorf("staff publish: %d", r.code)
	}
	if r := sam.get("/console/dashboard"); strings.Contains(r.body, `href="/console/content"`) || strings.Contains(r.body, `href="/console/texts"`) {
		t.Errorf("staff see the Content and Texts links")
	}
	if r := ada.get("/console/dashboard"); !strings.Contains(r.body, `href="/console/content"`) || !strings.Contains(r.body, `href="/console/texts"`) {
		t.Errorf("an admin lacks the Content and Texts links")
	}
}
