package bot

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"sync"
	"sync/atomic"
	"testing/fstest"

	"github.com/yol-project/yol/bot/dialog"
	"github.com/yol-project/yol/bot/kb"
	"github.com/yol-project/yol/bot/locale"
	"github.com/yol-project/yol/bot/problem"
)

// Content is one loaded, validated content pack: dialogs, knowledge and
// texts. It is immutable; a reload builds a new one.
type Content struct {
	Dialogs *dialog.Set
	KB      *kb.Base
	Texts   *locale.Bundle
	// Settings are what makes the pack one country's
	// (knowledge/settings.yaml): its official language, time zone,
	// currency and Telegram command menu.
	Settings kb.Settings
	// Version is a short hash of every content file, stored with each
	// conversation so that editors can tell which content someone saw.
	Version string

	index func() *kb.Index
}

// ContentDirs names the three folders of a pack inside its file system.
var ContentDirs = struct{ Dialogs, Knowledge, Locales string }{"dialogs", "knowledge", "locales"}

// LoadPack loads and validates a content pack whose root holds dialogs/,
// knowledge/ and locales/: each part on its own (the links between them
// are `yol check`'s, CheckContent). The Content is nil when any problem is
// an error; warnings alone leave it usable.
func LoadPack(fsys fs.FS) (*Content, []problem.Problem) {
	var probs []problem.Problem
	dset, dprobs := dialog.Load(fsys, ContentDirs.Dialogs)
	base, kprobs := kb.Load(fsys, ContentDirs.Knowledge)
	texts, lprobs := locale.Load(fsys, ContentDirs.Locales)
	probs = append(append(append(probs, dprobs...), kprobs...), lprobs...)
	if dset == nil || base == nil || texts == nil || problem.HasErrors(probs) {
		return nil, probs
	}
	v, err := contentVersion(fsys)
	if err != nil {
		return nil, append(probs, problem.Problem{File: ".", Message: err.Error()})
	}
	c := &Content{Dialogs: dset, KB: base, Texts: texts, Settings: base.Settings(), Version: v}
	c.index = sync.OnceValue(c.buildIndex)
	return c, probs
}

// SearchIndex returns the free-text search index of the pack (its
// articles, pathways, documents and cities in every language, with its
// search words), built on the first question and kept with the content: a
// reload's new Content builds its own.
func (c *Content) SearchIndex() *kb.Index {
	if c.index == nil { // a Content not made by LoadPack
		return c.buildIndex()
	}
	return c.index()
}

// buildIndex builds the search index over the knowledge base in every
// language of the content.
func (c *Content) buildIndex() *kb.Index {
	var langs []string
	for _, l := range c.Texts.Languages() {
		langs = append(langs, l.Code)
	}
	text := func(lang, id string) (string, bool) {
		if !c.Texts.Has(lang, id) {
			return "", false
		}
		return c.Texts.Text(lang, id, nil, nil), true
	}
	return c.KB.NewIndex(text, langs, nil)
}

// contentVersion returns a short hash of the content's YAML files (their
// names and bytes), which changes whenever the content does.
// PackFiles reads the files of a pack (the *.yaml files under dialogs/,
// knowledge/ and locales/), by path, as a content version stores them.
func PackFiles(fsys fs.FS) (map[string][]byte, error) {
	files := map[string][]byte{}
	for _, dir := range []string{ContentDirs.Dialogs, ContentDirs.Knowledge, ContentDirs.Locales} {
		err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || path.Ext(p) != ".yaml" {
				return nil
			}
			b, err := fs.ReadFile(fsys, p)
			files[p] = b
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("pack files: %w", err)
		}
	}
	return files, nil
}

// PackFS is a pack's files (as PackFiles reads them) as a file system, to
// load a stored content version.
func PackFS(files map[string][]byte) fs.FS {
	m := fstest.MapFS{}
	for p, b := range files {
		m[p] = &fstest.MapFile{Data: b, Mode: 0o444}
	}
	return m
}

// contentVersion is a short hash of every file of the pack, the version a
// conversation records.
func contentVersion(fsys fs.FS) (string, error) {
	var files []string
	for _, dir := range []string{ContentDirs.Dialogs, ContentDirs.Knowledge, ContentDirs.Locales} {
		err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && path.Ext(p) == ".yaml" {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			return "", fmt.Errorf("content version: %w", err)
		}
	}
	sort.Strings(files)
	h := sha256.New()
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return "", fmt.Errorf("content version: %w", err)
		}
		fmt.Fprintf(h, "%s\x00%d\x00", f, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:12], nil
}

// ContentHolder holds the content in use; a reload swaps it atomically, so a
// message is always handled with one whole pack.
type ContentHolder struct{ p atomic.Pointer[Content] }

// NewContentHolder holds c.
func NewContentHolder(c *Content) *ContentHolder {
	h := &ContentHolder{}
	h.p.Store(c)
	return h
}

// Load returns the content in use.
func (h *ContentHolder) Load() *Content { return h.p.Load() }

// Swap puts c in use.
func (h *ContentHolder) Swap(c *Content) { h.p.Store(c) }
