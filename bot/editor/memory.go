package editor

import (
	"context"
	"sync"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/org"
)

// MemoryStore keeps conversations in memory for tools that need no
// database: the conversation tests that editors write (run by `yol check`
// and `go test`). It keeps no transcript and sends nothing. The product
// stores everything in PostgreSQL (bot/postgres).
type MemoryStore struct {
	mu        sync.Mutex
	convs     map[bot.Chat]*bot.Conversation
	updates   map[int64]bool
	referrals map[int64][]*bot.Referral // by conversation id
	nextID    int64
}

// NewMemoryStore returns an empty store.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{convs: map[bot.Chat]*bot.Conversation{}, updates: map[int64]bool{}, referrals: map[int64][]*bot.Referral{}}
}

// InTx runs f with the store locked: one message at a time. Changes are not
// rolled back when f fails.
func (m *MemoryStore) InTx(ctx context.Context, f func(tx bot.Tx) error) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return f(memTx{m})
}

// Referrals lists the referrals created.
func (m *MemoryStore) Referrals() []*bot.Referral {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*bot.Referral
	for _, rs := range m.referrals {
		out = append(out, rs...)
	}
	return out
}

type memTx struct{ m *MemoryStore }

// MarkUpdate implements bot.Tx.
func (t memTx) MarkUpdate(ctx context.Context, id int64) (bool, error) {
	if t.m.updates[id] {
		return false, nil
	}
	t.m.updates[id] = true
	return true, nil
}

// Conversation implements bot.Tx. It returns a copy, so that changes count
// only once saved; there is no lock beyond the store's.
func (t memTx) Conversation(ctx context.Context, chat bot.Chat) (*bot.Conversation, error) {
	if c, ok := t.m.convs[chat]; ok {
		cp := *c
		cp.New = false
		cp.Session.Vars = cloneVars(c.Session.Vars)
		cp.Session.Stack = append(cp.Session.Stack[:0:0], c.Session.Stack...)
		return &cp, nil
	}
	t.m.nextID++
	c := &bot.Conversation{ID: t.m.nextID, Chat: chat, Person: "memory", CreatedAt: time.Now()}
	t.m.convs[chat] = c
	cp := *c
	cp.New = true
	return &cp, nil
}

// cloneVars returns a copy of the vars map, nil for nil.
func cloneVars(v map[string]string) map[string]string {
	if v == nil {
		return nil
	}
	out := make(map[string]string, len(v))
	for k, x := range v {
		out[k] = x
	}
	return out
}

// SaveConversation implements bot.Tx, storing a copy of c.
func (t memTx) SaveConversation(ctx context.Context, c *bot.Conversation) error {
	cp := *c
	cp.Session.Vars = cloneVars(c.Session.Vars)
	t.m.convs[c.Chat] = &cp
	return nil
}

// AddMessage implements bot.Tx; the memory store keeps no transcript.
func (t memTx) AddMessage(ctx context.Context, c *bot.Conversation, dir bot.Direction, kind, text string) error {
	return nil
}

// Enqueue implements bot.Tx; the memory store sends nothing.
func (t memTx) Enqueue(ctx context.Context, c *bot.Conversation, replies []bot.Reply) error {
	return nil
}

// AddEvent implements bot.Tx; the memory store keeps no events.
func (t memTx) AddEvent(ctx context.Context, c *bot.Conversation, name string, props map[string]string) error {
	return nil
}

// Forget implements bot.Tx, deleting the conversation and its referrals.
func (t memTx) Forget(ctx context.Context, c *bot.Conversation) error {
	delete(t.m.convs, c.Chat)
	delete(t.m.referrals, c.ID)
	c.ID = 0
	return nil
}

// CreateReferral implements bot.Tx, storing a copy of r.
func (t memTx) CreateReferral(ctx context.Context, c *bot.Conversation, r *bot.Referral) error {
	t.m.nextID++
	r.ID, r.CreatedAt = t.m.nextID, time.Now()
	cp := *r
	t.m.referrals[c.ID] = append(t.m.referrals[c.ID], &cp)
	return nil
}

// OpenReferral implements bot.Tx, returning a copy of the conversation's
// latest referral (the memory store never closes one).
func (t memTx) OpenReferral(ctx context.Context, c *bot.Conversation) (*bot.Referral, error) {
	rs := t.m.referrals[c.ID]
	if len(rs) == 0 {
		return nil, bot.ErrNotFound
	}
	cp := *rs[len(rs)-1]
	return &cp, nil
}

// MessageCount implements bot.Tx; it is always 0, as no transcript is kept.
func (t memTx) MessageCount(ctx context.Context, c *bot.Conversation) (int, error) { return 0, nil }

// Organisations implements bot.Tx: editors' conversation tests run with
// the pack's departments only.
func (t memTx) Organisations(ctx context.Context) ([]org.Organisation, error) { return nil, nil }
