package postgres_test

import (
	"context"
	"testing"
)

// TestMigrationContentRolesOnExistingData: migration 0013 keeps the
// accounts of a database made before it with their roles, then accepts
// translator and reviewer and still refuses a role that does not exist.
func TestMigrationContentRolesOnExistingData(t *testing.T) {
	ctx := context.Background()
	db, url := dbAtVersion(t, 12)
	if _, err := db.Pool.Exec(ctx, `INSERT INTO staff_accounts (login, password_hash, role, departments) VALUES
		('ada', 'x', 'admin', '{}'), ('sam', 'x', 'staff', '{baku_dept}'), ('eda', 'x', 'editor', '{}')`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `INSERT INTO staff_accounts (login, password_hash, role) VALUES ('tia', 'x', 'translator')`); err == nil {
		t.Fatal("before 0013 the database accepted a translator; the test does not test the migration")
	}
	db = migrateUp(t, db, url)
	rows, err := db.Pool.Query(ctx, `SELECT login || ':' || role || ':' || array_to_string(departments, ',') FROM staff_accounts ORDER BY login`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		got = append(got, s)
	}
	rows.Close()
	want := []string{"ada:admin:", "eda:editor:", "sam:staff:baku_dept"}
	if len(got) != len(want) {
		t.Fatalf("accounts after 0013: got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("account %d: got %q, want %q", i, got[i], want[i])
		}
	}
	for _, tc := range []struct {
		role string
		ok   bool
	}{{"translator", true}, {"reviewer", true}, {"editor", true}, {"lawyer", false}, {"", false}} {
		// A translator has a language since 0018.
		_, err := db.Pool.Exec(ctx, `INSERT INTO staff_accounts (login, password_hash, role, content_languages)
			VALUES ($1, 'x', $2, CASE WHEN $2 = 'translator' THEN '{fa}'::text[] ELSE '{}' END)`, "new_"+tc.role, tc.role)
		if got := err == nil; got != tc.ok {
			t.Errorf("role %q: accepted %v, want %v (err %v)", tc.role, got, tc.ok, err)
		}
	}
}
