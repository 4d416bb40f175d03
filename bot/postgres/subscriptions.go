package postgres

import "github.com/yol-project/yol/bot"

// Subscriptions to updates (migration 0016): one row per subscribed
// conversation, written with the conversation (SaveConversation) and gone
// with it (/forget, and a 403 from Telegram: FailReply).

// loadedSubscription remembers the subscription a conversation was loaded
// with, so that saving it writes only a change.
func (t *tx) loadedSubscription(c *bot.Conversation) {
	if t.subs == nil {
		t.subs = map[int64]bot.Subscription{}
	}
	t.subs[c.ID] = c.Updates
}

// saveSubscription queues the write of the conversation's subscription
// when it changed: created, its region changed, or removed.
func (t *tx) saveSubscription(c *bot.Conversation) {
	if old, ok := t.subs[c.ID]; ok && old.Region == c.Updates.Region && old.Since.Equal(c.Updates.Since) {
		return
	}
	t.loadedSubscription(c)
	if !c.Updates.Subscribed() {
		t.queue(endSubscription, c.ID)
		return
	}
	t.queue(`INSERT INTO update_subscriptions (conversation_id, region, subscribed_at) VALUES ($1, $2, $3)
		ON CONFLICT (conversation_id) DO UPDATE SET region = EXCLUDED.region`, c.ID, c.Updates.Region, c.Updates.Since)
}

// endSubscription deletes conversation $1's subscription and counts the
// stop against the last update the person received.
const endSubscription = `WITH d AS (DELETE FROM update_subscriptions WHERE conversation_id = $1 RETURNING last_update_id)
UPDATE updates SET unsubscribed = unsubscribed + 1 WHERE id = (SELECT last_update_id FROM d)`
