-- Why: every reply goes through the outbox, whatever the channel (issue
-- #13). Until now only Telegram's replies were queued; the browser
-- simulator took its replies from the handler's result and needed SQL of
-- its own for staff messages. Each row now says which channel drains it
-- and, for the channels that take their replies by chat (the simulator,
-- the terminal), the chat's keyed hash, as conversations hold it: a
-- goodbye after /forget has no conversation any more but still reaches its
-- chat. The Telegram sender claims telegram rows only.
ALTER TABLE outbox ADD COLUMN channel text NOT NULL DEFAULT 'telegram';
ALTER TABLE outbox ADD COLUMN chat_hash bytea;

-- Rows queued before: those of a conversation take its channel and hash
-- (the simulator's staff messages); rows without one (staff chat
-- notices, goodbyes) were all Telegram's.
UPDATE outbox o SET channel = c.channel, chat_hash = c.chat_hash
FROM conversations c WHERE c.id = o.conversation_id;

CREATE INDEX outbox_chat_pending_idx ON outbox (chat_hash, id)
    WHERE sent_at IS NULL AND failed_at IS NULL AND channel <> 'telegram';
