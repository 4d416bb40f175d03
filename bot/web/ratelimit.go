package web

import (
	"math"
	"net/netip"
	"sync"
	"time"
)

// Rate is a token bucket: Burst at once, then one more every Every.
type Rate struct {
	Burst int
	Every time.Duration
}

// SimulatorLimits bound what one client address may do in the simulator,
// so that nobody can flood the bot or fill the referral queue from it.
type SimulatorLimits struct {
	Messages Rate // messages and new chats together
	NewChats Rate // new chats (the page's restart and language change)
}

// DefaultSimulatorLimits: 30 messages at once, then one every 2 s (a person
// taps a button every few seconds); 10 new chats at once, then one every 6
// minutes (a person tries each language once, a script opens hundreds).
var DefaultSimulatorLimits = SimulatorLimits{
	Messages: Rate{Burst: 30, Every: 2 * time.Second},
	NewChats: Rate{Burst: 10, Every: 6 * time.Minute},
}

// maxLimitedAddrs bounds the limiter's memory (about 100 bytes per address).
const maxLimitedAddrs = 100_000

// addrLimiter keeps one token bucket per client address, in this process.
type addrLimiter struct {
	rate Rate
	mu   sync.Mutex
	m    map[netip.Prefix]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// newAddrLimiter returns a limiter that gives each address block rate r.
func newAddrLimiter(r Rate) *addrLimiter {
	return &addrLimiter{rate: r, m: map[netip.Prefix]*bucket{}}
}

// allow takes a token from addr's bucket at now. Without one it returns
// false and how long until the next token.
func (l *addrLimiter) allow(addr netip.Prefix, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.m[addr]
	if !ok {
		if len(l.m) >= maxLimitedAddrs {
			l.sweep(now)
		}
		b = &bucket{tokens: float64(l.rate.Burst), at: now}
		l.m[addr] = b
	}
	b.tokens = l.refill(b, now)
	b.at = now
	if b.tokens < 1 {
		wait := time.Duration(math.Ceil((1 - b.tokens) * float64(l.rate.Every)))
		return false, wait
	}
	b.tokens--
	return true, 0
}

// refill is b's token count at now.
func (l *addrLimiter) refill(b *bucket, now time.Time) float64 {
	if d := now.Sub(b.at); d > 0 && l.rate.Every > 0 {
		return min(float64(l.rate.Burst), b.tokens+float64(d)/float64(l.rate.Every))
	}
	return b.tokens
}

// sweep forgets the addresses whose bucket is full again (as if never
// seen); if that frees nothing, it forgets them all: memory stays bounded
// under a spray of addresses, at the price of a fresh start for each.
func (l *addrLimiter) sweep(now time.Time) {
	for k, b := range l.m {
		if l.refill(b, now) >= float64(l.rate.Burst) {
			delete(l.m, k)
		}
	}
	if len(l.m) >= maxLimitedAddrs {
		clear(l.m)
	}
}

// limitKey is the client of an address: an IPv4 address, or the /64
// network of an IPv6 address (one machine usually holds a whole /64).
// An invalid address (one that did not parse) gets the zero key.
func limitKey(a netip.Addr) netip.Prefix {
	if !a.IsValid() {
		return netip.Prefix{}
	}
	if a.Is4() {
		return netip.PrefixFrom(a, 32)
	}
	p, _ := a.Prefix(64)
	return p
}
