package postgres_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/bot/staff"
	"github.com/yol-project/yol/migrations"
)

// Migration 8 on a database that already holds accounts and sessions:
// every account stays as it was (login, hash, role, departments, its
// session) and follows the browser (language ""); a language can then be
// stored.
func TestMigrateStaffLanguageKeepsAccounts(t *testing.T) {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, pgtest.EmptyURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	if _, err := postgres.Migrate(ctx, pool, migrationsUpTo(t, 7)); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{
		`INSERT INTO staff_accounts (id, login, name, password_hash, role, departments, password_change_required)
			VALUES (1, 'boss', 'Boss', '$argon2id$x', 'admin', '{}', false), (2, 'leyla', 'Leyla', '$argon2id$y', 'staff', '{baku}', true)`,
		`INSERT INTO staff_sessions (token_hash, staff_id, expires_at) VALUES ('\x0102', 2, now() + interval '1 hour')`,
	} {
		if _, err := pool.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	applied, err := postgres.Migrate(ctx, pool, migrationsUpTo(t, 8))
	if err != nil || len(applied) != 1 || applied[0].Version != 8 {
		t.Fatalf("migrate to 8: %v applied, %v", applied, err)
	}
	type row struct {
		login, name, hash, role, lang string
		depts                         []string
		must                          bool
	}
	var got []row
	rows, err := pool.Query(ctx, "SELECT login, name, password_hash, role, language, departments, password_change_required FROM staff_accounts ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.login, &r.name, &r.hash, &r.role, &r.lang, &r.depts, &r.must); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	rows.Close()
	if len(got) != 2 || got[0].login != "boss" || got[0].hash != "$argon2id$x" || got[0].role != "admin" || got[0].lang != "" || got[0].must ||
		got[1].login != "leyla" || got[1].name != "Leyla" || got[1].hash != "$argon2id$y" || len(got[1].depts) != 1 || got[1].depts[0] != "baku" || !got[1].must || got[1].lang != "" {
		t.Errorf("accounts after migration 8: %+v", got)
	}
	var sessions int
	pool.QueryRow(ctx, "SELECT count(*) FROM staff_sessions").Scan(&sessions)
	if sessions != 1 {
		t.Errorf("%d sessions after migration, want 1", sessions)
	}
	if _, err := pool.Exec(ctx, "UPDATE staff_accounts SET language = 'az' WHERE login = 'leyla'"); err != nil {
		t.Errorf("store a language: %v", err)
	}
	if _, err := pool.Exec(ctx, "UPDATE staff_accounts SET language = NULL WHERE login = 'boss'"); err == nil {
		t.Errorf("a NULL language was accepted")
	}
	// The rest of the migrations still apply on top.
	if _, err := postgres.Migrate(ctx, pool, migrations.FS); err != nil {
		t.Fatalf("migrate up: %v", err)
	}
}

// An account's language is stored at creation and changed later, audited;
// the account reads it back through every loader.
func TestAccountLanguage(t *testing.T) {
	ctx := context.Background()
	db := pgtest.DB(t)
	a := &staff.Account{Login: "aysel", Name: "Aysel", Role: staff.RoleStaff, Departments: []string{"baku"}, PasswordHash: "$argon2id$z", Language: "ru"}
	if err := db.CreateAccount(ctx, a, 0); err != nil {
		t.Fatal(err)
	}
	first := &staff.Account{Login: "admin", Name: "Admin", PasswordHash: "$argon2id$a"}
	if created, err := db.CreateFirstAdmin(ctx, first); err != nil || !created {
		t.Fatalf("first admin: %v %v", created, err)
	}
	got, err := db.AccountByLogin(ctx, "aysel")
	if err != nil || got.Language != "ru" {
		t.Fatalf("created with ru: %+v, %v", got, err)
	}
	if got, _ := db.AccountByLogin(ctx, "admin"); got.Language != "" {
		t.Errorf("first admin language = %q, want \"\" (follow the browser)", got.Language)
	}
	if err := db.SetAccountLanguage(ctx, a.ID, "az"); err != nil {
		t.Fatal(err)
	}
	list, err := db.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, acc := range list {
		if acc.Login == "aysel" && acc.Language != "az" {
			t.Errorf("Accounts: language %q, want az", acc.Language)
		}
	}
	token := []byte("0123456789abcdef0123456789abcdef")
	if err := db.CreateSession(ctx, token, a.ID, time.Now().Add(time.Hour), "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	if s, err := db.SessionAccount(ctx, token, time.Hour); err != nil || s.Language != "az" {
		t.Errorf("session account: %+v, %v", s, err)
	}
	if err := db.SetAccountLanguage(ctx, a.ID, ""); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.AccountByLogin(ctx, "aysel"); got.Language != "" {
		t.Errorf("after reset: %q", got.Language)
	}
	if err := db.SetAccountLanguage(ctx, 9999, "ru"); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("unknown account: %v", err)
	}
	var audits int
	db.Pool.QueryRow(ctx, "SELECT count(*) FROM audit_log WHERE action = 'account.language' AND staff_id = $1", a.ID).Scan(&audits)
	if audits != 2 {
		t.Errorf("%d language changes audited, want 2", audits)
	}
}

// A translator's content languages are stored at creation (audited with
// account.create), read back by every loader, changed by an admin (audited
// as account.update); another role's account has none to change.
func TestAccountContentLanguages(t *testing.T) {
	ctx := context.Background()
	db := pgtest.DB(t)
	tia := &staff.Account{Login: "tia", Role: staff.RoleTranslator, PasswordHash: "$argon2id$t", ContentLanguages: []string{"fa"}}
	if err := db.CreateAccount(ctx, tia, 0); err != nil {
		t.Fatal(err)
	}
	eda := &staff.Account{Login: "eda", Role: staff.RoleEditor, PasswordHash: "$argon2id$e"}
	if err := db.CreateAccount(ctx, eda, 0); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateAccount(ctx, &staff.Account{Login: "nolang", Role: staff.RoleTranslator, PasswordHash: "x"}, 0); err == nil {
		t.Error("a translator without a language was stored")
	}
	langs := func(login string) string {
		t.Helper()
		a, err := db.AccountByLogin(ctx, login)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(a.ContentLanguages, ",")
	}
	if got := langs("tia"); got != "fa" {
		t.Errorf("created with fa: got %q, want fa", got)
	}
	if got := langs("eda"); got != "" {
		t.Errorf("editor's languages: got %q, want none", got)
	}
	if err := db.SetAccountContentLanguages(ctx, tia.ID, []string{"fa", "ru"}, eda.ID); err != nil {
		t.Fatal(err)
	}
	if got := langs("tia"); got != "fa,ru" {
		t.Errorf("after the update: got %q, want fa,ru", got)
	}
	list, err := db.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range list {
		if a.Login == "tia" && strings.Join(a.ContentLanguages, ",") != "fa,ru" {
			t.Errorf("Accounts: got %v, want [fa ru]", a.ContentLanguages)
		}
	}
	token := []byte("0123456789abcdef0123456789abcdef")
	if err := db.CreateSession(ctx, token, tia.ID, time.Now().Add(time.Hour), "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	if s, err := db.SessionAccount(ctx, token, time.Hour); err != nil || strings.Join(s.ContentLanguages, ",") != "fa,ru" {
		t.Errorf("session account: %+v, %v", s, err)
	}
	if err := db.SetAccountContentLanguages(ctx, tia.ID, nil, eda.ID); err == nil {
		t.Error("a translator's languages were emptied")
	}
	if err := db.SetAccountContentLanguages(ctx, eda.ID, []string{"fa"}, eda.ID); !errors.Is(err, staff.ErrNotTranslator) {
		t.Errorf("editor: got %v, want ErrNotTranslator", err)
	}
	if err := db.SetAccountContentLanguages(ctx, 9999, []string{"fa"}, eda.ID); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("unknown account: got %v, want ErrNotFound", err)
	}
	var created, updated string
	db.Pool.QueryRow(ctx, "SELECT detail->>'content_languages' FROM audit_log WHERE action = 'account.create' AND detail->>'login' = 'tia'").Scan(&created)
	db.Pool.QueryRow(ctx, "SELECT string_agg(detail->>'content_languages', ';') FROM audit_log WHERE action = 'account.update' AND staff_id = $1", eda.ID).Scan(&updated)
	if created != "fa" || updated != "fa,ru" {
		t.Errorf("audited: create %q, update %q; want fa and fa,ru", created, updated)
	}
}
