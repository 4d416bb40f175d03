package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/postgres"
)

// liveContent follows the database's live content version (issue #15): the
// built-in pack is the first version of a new database; a publish switches
// every replica within seconds (NOTIFY, and a check every contentPoll); a
// version that does not load leaves the content in use as it is, and says
// so (Status, /readyz, the yol_content_stale metric).
type liveContent struct {
	db   *postgres.DB
	pack *contentPack
	log  *slog.Logger

	mu     sync.Mutex
	loaded int64 // the version in use (0: the built-in pack, not from the database)
	live   int64 // the version the database says is live
	err    string
}

// contentPoll is how often a replica checks the live version in case a
// notice was missed.
const contentPoll = 30 * time.Second

// startLiveContent stores the built-in pack as a version when the database
// lacks it (and publishes it when nothing is live yet: a new database), then
// loads the live version.
func startLiveContent(ctx context.Context, db *postgres.DB, pack *contentPack, log *slog.Logger) (*liveContent, error) {
	l := &liveContent{db: db, pack: pack, log: log}
	files, err := bot.PackFiles(embeddedPack())
	if err != nil {
		return nil, err
	}
	id, existed, err := db.PushContent(ctx, files, "built-in", "the pack built into yol "+versionString(), 0)
	if err != nil {
		return nil, err
	}
	if _, err := db.LiveContent(ctx); errors.Is(err, bot.ErrNotFound) {
		if err := db.PublishContent(ctx, id, "built-in"); err != nil {
			return nil, err
		}
		log.Info("content: the built-in pack is the first live version", "version", id)
	} else if err != nil {
		return nil, err
	} else if !existed {
		log.Info("content: this program's built-in pack is stored as a draft; publish it to use it", "version", id)
	}
	l.check(ctx)
	return l, nil
}

// check loads the live version when it is not the one in use.
func (l *liveContent) check(ctx context.Context) {
	live, err := l.db.LiveContent(ctx)
	if err != nil {
		l.fail(0, fmt.Sprintf("cannot read the live version: %v", err))
		return
	}
	l.mu.Lock()
	same := live == l.loaded
	l.live = live
	if same {
		l.err = "" // the live version is the one in use (again)
	}
	l.mu.Unlock()
	if same {
		return
	}
	files, err := l.db.ContentFiles(ctx, live)
	if err != nil {
		l.fail(live, fmt.Sprintf("cannot read version %d: %v", live, err))
		return
	}
	c, probs := l.pack.load(bot.PackFS(files))
	if c == nil {
		l.fail(live, fmt.Sprintf("version %d does not load: %s", live, problemLines(probs)))
		return
	}
	l.mu.Lock()
	l.loaded, l.err = live, ""
	l.mu.Unlock()
	l.log.Info("content: switched to the live version", "version", live, "content", c.Version)
}

// fail records that live could not be put in use (the content in use
// stays).
func (l *liveContent) fail(live int64, why string) {
	l.mu.Lock()
	if live != 0 {
		l.live = live
	}
	l.err = why
	l.mu.Unlock()
	l.log.Error("content: the live version is not in use; the previous content stays", "problem", why)
}

// Status reports "" when the live version is in use, else why not.
func (l *liveContent) Status() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

// Versions returns the version in use and the live one.
func (l *liveContent) Versions() (loaded, live int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.loaded, l.live
}

// follow switches to each new live version until ctx ends.
func (l *liveContent) follow(ctx context.Context) {
	l.db.ListenContent(ctx, contentPoll, func() { l.check(ctx) })
}
