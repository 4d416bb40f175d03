package telegram

import (
	"context"
	"time"

	"github.com/yol-project/yol/bot"
)

// Bulk sends (updates, reminders) take only what interactive replies leave
// of the global rate: the sender claims them after the replies, a few at a
// time, and only while the rate has at most bulkHeadroom of slots reserved
// ahead, so a person who writes now waits for at most that much bulk.

// bulkHeadroom is how far ahead bulk sends may book the global rate.
const bulkHeadroom = 200 * time.Millisecond

// freeBroadcastRate is Telegram's free rate of messages per second; above
// it bulk sends need allow_paid_broadcast (YOL_PAID_BROADCAST=on).
const freeBroadcastRate = 30

// bulkBatch is how many bulk rows one claim may take: bulkHeadroom's worth
// of the send rate, at least one.
func (c *Channel) bulkBatch() int {
	return max(1, int(c.cfg.SendRate*bulkHeadroom.Seconds()))
}

// claimBulk claims up to n bulk rows and hands each to add.
func (c *Channel) claimBulk(ctx context.Context, n int, add func(*outgoing)) error {
	return c.ob.ClaimBulk(ctx, n, replyLease, bulkHeadroom, func(r bot.Outgoing) {
		o := &outgoing{id: r.ID, conv: r.ConversationID, chat: r.ChatID, reply: r.Reply, attempts: r.Attempts,
			partsSent: r.PartsSent, failures: r.Failures, bulk: true}
		if r.Failures > 0 {
			o.firstFailed = time.Now().Add(-r.FailingFor)
		}
		add(o)
	})
}
