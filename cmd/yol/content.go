package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // a pack's time zone (knowledge/settings.yaml) loads where the system has no zone database

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/problem"
	"github.com/yol-project/yol/dialogs"
	"github.com/yol-project/yol/knowledge"
	"github.com/yol-project/yol/locales"
)

// embeddedPack is the default content pack built into the binary, laid out
// as on disk: dialogs/, knowledge/ and locales/ under one root.
func embeddedPack() fs.FS {
	return mountFS{"dialogs": dialogs.FS, "knowledge": knowledge.FS, "locales": locales.FS}
}

// contentFS is YOL_CONTENT_DIR when set, else the embedded pack.
func contentFS(cfg Config) fs.FS {
	if cfg.ContentDir != "" {
		return os.DirFS(cfg.ContentDir)
	}
	return embeddedPack()
}

// mountFS shows several file systems as the top-level folders of one.
type mountFS map[string]fs.FS

// Open implements fs.FS: "." is the root of the mounts, other names are
// opened in the file system mounted at their first element.
func (m mountFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if name == "." {
		return &mountRoot{m: m}, nil
	}
	top, rest, _ := strings.Cut(name, "/")
	sub, ok := m[top]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	if rest == "" {
		rest = "."
	}
	return sub.Open(rest)
}

// mountRoot is the synthetic root folder of a mountFS.
type mountRoot struct {
	m    mountFS
	left []fs.DirEntry // entries not read yet
	read bool          // left is filled
}

// Stat implements fs.File.
func (r *mountRoot) Stat() (fs.FileInfo, error) { return rootInfo{}, nil }

// Read implements fs.File; the root is a folder and cannot be read.
func (r *mountRoot) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: ".", Err: errors.New("is a directory")}
}

// Close implements fs.File.
func (r *mountRoot) Close() error { return nil }

// ReadDir implements fs.ReadDirFile: the mounts are the root's folders,
// in name order. With n > 0 it returns at most n of those not read yet,
// and io.EOF when none are left; otherwise all that are left.
func (r *mountRoot) ReadDir(n int) ([]fs.DirEntry, error) {
	if !r.read {
		r.read = true
		for _, name := range slices.Sorted(maps.Keys(r.m)) {
			r.left = append(r.left, fs.FileInfoToDirEntry(dirInfo(name)))
		}
	}
	if n <= 0 {
		out := r.left
		r.left = nil
		return out, nil
	}
	if len(r.left) == 0 {
		return nil, io.EOF
	}
	k := min(n, len(r.left))
	out := r.left[:k:k]
	r.left = r.left[k:]
	return out, nil
}

type rootInfo struct{}

// Name implements fs.FileInfo.
func (rootInfo) Name() string { return "." }

// Size implements fs.FileInfo.
func (rootInfo) Size() int64 { return 0 }

// Mode implements fs.FileInfo.
func (rootInfo) Mode() fs.FileMode { return fs.ModeDir | 0o555 }

// ModTime implements fs.FileInfo.
func (rootInfo) ModTime() time.Time { return time.Time{} }

// IsDir implements fs.FileInfo.
func (rootInfo) IsDir() bool { return true }

// Sys implements fs.FileInfo.
func (rootInfo) Sys() any { return nil }

type dirInfo string

// Name implements fs.FileInfo.
func (d dirInfo) Name() string { return string(d) }

// Size implements fs.FileInfo.
func (dirInfo) Size() int64 { return 0 }

// Mode implements fs.FileInfo.
func (dirInfo) Mode() fs.FileMode { return fs.ModeDir | 0o555 }

// ModTime implements fs.FileInfo.
func (dirInfo) ModTime() time.Time { return time.Time{} }

// IsDir implements fs.FileInfo.
func (dirInfo) IsDir() bool { return true }

// Sys implements fs.FileInfo.
func (dirInfo) Sys() any { return nil }

// contentPack is the content in use and what each load of it must do
// before it is used (the missing-text metric, the Telegram command menu):
// the first load at start and every reload go through its load, so a
// reload gets everything the first load got.
type contentPack struct {
	mu     sync.Mutex // one load at a time, and no hook added halfway through one
	holder *bot.ContentHolder
	onLoad []func(*bot.Content)
}

// load loads and validates the pack in fsys; when it is usable, it runs
// every OnLoad function on it and then puts it in use (the first load
// creates the holder). Invalid content leaves the content in use as it is.
func (p *contentPack) load(fsys fs.FS) (*bot.Content, []problem.Problem) {
	c, probs := bot.LoadPack(fsys)
	if c == nil {
		return nil, probs
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, f := range p.onLoad {
		f(c)
	}
	if p.holder == nil {
		p.holder = bot.NewContentHolder(c)
	} else {
		p.holder.Swap(c)
	}
	return c, probs
}

// OnLoad runs f on the content in use now and on every content loaded
// later, before it is put in use. f must not block.
func (p *contentPack) OnLoad(f func(*bot.Content)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.onLoad = append(p.onLoad, f)
	if p.holder != nil {
		f(p.holder.Load())
	}
}

// watchContent reloads the pack from dir when a file changes, through
// p.load: the new pack is validated first and swapped in whole; invalid
// content keeps the old pack running and each problem is logged. It polls
// modification times (no dependency, works on every file system).
func watchContent(ctx context.Context, dir string, p *contentPack, every time.Duration, log *slog.Logger) {
	last := stamp(dir)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := stamp(dir)
		if now == last {
			continue
		}
		last = now
		c, probs := p.load(os.DirFS(dir))
		if c == nil {
			for _, pr := range probs {
				log.Error("content reload refused; the previous content stays in use", "problem", pr.String())
			}
			continue
		}
		log.Info("content reloaded", "version", c.Version)
	}
}

// problemLines joins problems one per line, for an error message.
func problemLines(probs []problem.Problem) string {
	lines := make([]string, len(probs))
	for i, p := range probs {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n  ")
}

// stamp summarises the names, sizes and modification times of the pack's files.
func stamp(dir string) string {
	var b strings.Builder
	for _, sub := range []string{"dialogs", "knowledge", "locales"} {
		filepath.WalkDir(filepath.Join(dir, sub), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			if fi, err := d.Info(); err == nil {
				b.WriteString(p + "\x00" + fi.ModTime().String() + "\x00" + strconv.FormatInt(fi.Size(), 10) + "\n")
			}
			return nil
		})
	}
	return b.String()
}

// loadContent loads the pack a command works with (YOL_CONTENT_DIR, else
// the built-in one); when it does not load, it has said why.
func (m *Main) loadContent(cfg Config) (*bot.Content, bool) {
	c, probs := bot.LoadPack(contentFS(cfg))
	if c == nil {
		fmt.Fprintf(m.Stderr, "yol: the content does not load (run yol check):\n  %s\n", problemLines(probs))
		return nil, false
	}
	return c, true
}
