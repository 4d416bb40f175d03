package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/web/console"
)

type unansweredRecorder interface {
	RecordUnanswered(ctx context.Context, lang, redacted string) error
}

func TestUnansweredPage(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, q := range []string{"<script>alert(1)</script> can I bring my cat?", "can I bring my cat", "Where is a SIM card shop? call +994 50 123 45 67"} {
		err := e.db.InTx(ctx, func(tx bot.Tx) error {
			return tx.(unansweredRecorder).RecordUnanswered(ctx, "en", bot.Redact(q))
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	e.account("ed", console.RoleEditor)
	r := e.signIn("ed").get("/console/unanswered")
	if r.code != http.StatusOK {
		t.Fatalf("editor: %d", r.code)
	}
	for _, want := range []string{"SIM card", "&lt;script&gt;"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(r.body, "<script>alert") || strings.Contains(r.body, "123 45 67") {
		t.Error("the page shows raw HTML or a phone number")
	}
	e.account("st", console.RoleStaff, "baku_dept")
	if r := e.signIn("st").get("/console/unanswered"); r.code != http.StatusForbidden {
		t.Errorf("staff member: %d, want 403", r.code)
	}
}
