package postgres_test

import (
	"context"
	"strings"
	"testing"

	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/bot/referral"
)

// TestSchemaKnowsEveryStatus: the referrals table's CHECK (in the
// migrations) accepts every status of bot/referral and no other, so a status
// added to the workflow comes with its migration.
func TestSchemaKnowsEveryStatus(t *testing.T) {
	db := pgtest.DB(t)
	var def string
	err := db.Pool.QueryRow(context.Background(), `SELECT pg_get_constraintdef(oid) FROM pg_constraint
		WHERE conrelid = 'referrals'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%status%'`).Scan(&def)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range referral.Statuses() {
		if !strings.Contains(def, "'"+string(s)+"'") {
			t.Errorf("the schema refuses status %q: %s", s, def)
		}
	}
	if n, want := strings.Count(def, "'::text"), len(referral.Statuses()); n != want {
		t.Errorf("the schema allows %d statuses, the workflow has %d: %s", n, want, def)
	}
}
