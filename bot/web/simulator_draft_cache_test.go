package web

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/yol-project/yol/bot/problem"
)

// cached lists the ids in the cache, least recently used first.
func (c *draftCache) cached() []int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	var ids []int64
	for _, e := range c.entries {
		ids = append(ids, e.id)
	}
	return ids
}

// TestSimulatorDraftCache: the cache keeps the three versions used last
// and at most maxDraftBytes of them, loads a version once however many ask
// together, keeps a version that does not load (versions never change) and
// forgets one that could not be read.
func TestSimulatorDraftCache(t *testing.T) {
	var c draftCache
	var loads atomic.Int32
	size := map[int64]int{}
	load := func(_ context.Context, id int64) *draftEntry {
		loads.Add(1)
		switch id {
		case 13:
			return &draftEntry{probs: []problem.Problem{{File: "locales/x.yaml", Message: "broken"}}, size: 10}
		case 14:
			return &draftEntry{err: errors.New("connection reset")}
		}
		return &draftEntry{run: &draftRun{id: id}, size: size[id]}
	}
	ctx := context.Background()
	for _, id := range []int64{1, 2, 3, 4, 2} {
		if run, _, err := c.get(ctx, id, load); err != nil || run.id != id {
			t.Fatalf("get %d: got %v, %v", id, run, err)
		}
	}
	if got, want := c.cached(), []int64{3, 4, 2}; !slices.Equal(got, want) {
		t.Errorf("cached after 1 2 3 4 2: got %v, want %v", got, want)
	}
	if got := loads.Load(); got != 4 {
		t.Errorf("loads: got %d, want 4 (2 came from the cache)", got)
	}

	// Big packs: the bytes bound drops the older one.
	size[20], size[21] = maxDraftBytes/2+1, maxDraftBytes/2+1
	c.get(ctx, 20, load)
	c.get(ctx, 21, load)
	if got, want := c.cached(), []int64{21}; !slices.Equal(got, want) {
		t.Errorf("cached after two big packs: got %v, want %v", got, want)
	}

	// Ten at once: one load.
	loads.Store(0)
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if run, _, err := c.get(ctx, 30, load); err != nil || run.id != 30 {
				t.Errorf("concurrent get: %v %v", run, err)
			}
		}()
	}
	wg.Wait()
	if got := loads.Load(); got != 1 {
		t.Errorf("concurrent loads of one version: got %d, want 1", got)
	}

	// A broken version is kept with its problems; a failed read is not.
	loads.Store(0)
	for range 2 {
		if _, probs, err := c.get(ctx, 13, load); !errors.Is(err, errVersionBroken) || len(probs) != 1 {
			t.Errorf("broken version: got %v %v", probs, err)
		}
		if _, _, err := c.get(ctx, 14, load); err == nil || errors.Is(err, errVersionBroken) {
			t.Errorf("unreadable version: got %v", err)
		}
	}
	if got := loads.Load(); got != 3 {
		t.Errorf("loads of a broken and an unreadable version, twice each: got %d, want 3", got)
	}
	if slices.Contains(c.cached(), 14) {
		t.Errorf("an unreadable version stayed in the cache")
	}
}
