package postgres

import "github.com/yol-project/yol/bot/staff"

// QueueStatements returns the statements QueuePage runs and their
// arguments, for tests that read their plans.
func QueueStatements(sc staff.Scope, f staff.QueueFilter) (count string, countArgs []any, page string, pageArgs []any, err error) {
	q, err := queueQuery(sc, f)
	return q.count, q.countArgs, q.page, q.pageArgs, err
}
