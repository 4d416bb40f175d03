package postgres_test

import (
	"context"
	"strings"
	"testing"
)

// TestMigrationTranslatorLanguagesOnExistingData: migration 0018 gives the
// translators of a database made before it every non-source language of
// the live content (or, without one, of the default pack), leaves the
// other roles without languages, and from then on the database refuses a
// translator without a language and another role with one.
func TestMigrationTranslatorLanguagesOnExistingData(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		// languages is the live version's locales/languages.yaml ("": no
		// live version).
		languages string
		want      map[string]string // login: its languages, comma-separated
	}{
		{
			name:      "no live version: the default pack's languages",
			languages: "",
			want:      map[string]string{"ada": "", "eda": "", "sam": "", "tia": "ar,az,fa,ru,tr,uz", "tom": "ar,az,fa,ru,tr,uz"},
		},
		{
			name: "the live version's languages but its source",
			languages: "# code: a language code\nsource: tr\nlanguages:\n  - {code: tr, name: Türkçe, status: source}\n" +
				"  - {code: fa, name: فارسی, rtl: true}\n  - code: en\n    name: English\n    note: \"code: zz is not a language\"\n",
			want: map[string]string{"ada": "", "eda": "", "sam": "", "tia": "en,fa", "tom": "en,fa"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, url := dbAtVersion(t, 17)
			exec := func(sql string, args ...any) {
				t.Helper()
				if _, err := db.Pool.Exec(ctx, sql, args...); err != nil {
					t.Fatalf("%s: %v", sql, err)
				}
			}
			exec(`INSERT INTO staff_accounts (login, password_hash, role, departments) VALUES
				('ada', 'x', 'admin', '{}'), ('sam', 'x', 'staff', '{baku_dept}'), ('eda', 'x', 'editor', '{}'),
				('tia', 'x', 'translator', '{}'), ('tom', 'x', 'translator', '{}')`)
			if tt.languages != "" {
				exec(`INSERT INTO content_versions (id, author, checksum) VALUES (1, 'eda', 'c1')`)
				exec(`INSERT INTO content_files (version_id, path, data) VALUES (1, 'locales/languages.yaml', $1), (1, 'locales/pack.ru.yaml', 'x: y')`, []byte(tt.languages))
				exec(`INSERT INTO content_live (version_id, published_by) VALUES (1, 'eda')`)
			}
			db = migrateUp(t, db, url)
			rows, err := db.Pool.Query(ctx, `SELECT login, array_to_string(content_languages, ',') FROM staff_accounts`)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for rows.Next() {
				var login, langs string
				if err := rows.Scan(&login, &langs); err != nil {
					t.Fatal(err)
				}
				got[login] = langs
			}
			rows.Close()
			if len(got) != len(tt.want) {
				t.Errorf("accounts after 0018: got %v, want %v", got, tt.want)
			}
			for login, want := range tt.want {
				if got[login] != want {
					t.Errorf("%s's languages: got %q, want %q", login, got[login], want)
				}
			}
			for _, tc := range []struct {
				role, langs string
				ok          bool
			}{{"translator", "{fa}", true}, {"translator", "{}", false}, {"editor", "{fa}", false}, {"staff", "{}", true}} {
				login := "new_" + tc.role + strings.Trim(tc.langs, "{}")
				_, err := db.Pool.Exec(ctx, `INSERT INTO staff_accounts (login, password_hash, role, content_languages) VALUES ($1, 'x', $2, $3)`, login, tc.role, tc.langs)
				if got := err == nil; got != tc.ok {
					t.Errorf("%s with languages %s: accepted %v, want %v (err %v)", tc.role, tc.langs, got, tc.ok, err)
				}
			}
		})
	}
}
