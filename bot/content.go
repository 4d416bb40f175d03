package bot

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"sync/atomic"

	"github.com/yol-project/yol/bot/dialog"
	"github.com/yol-project/yol/bot/kb"
	"github.com/yol-project/yol/bot/locale"
)

// Content is one loaded, validated content pack: dialogs, knowledge and
// texts. It is immutable; a reload builds a new one.
type Content struct {
	Dialogs *dialog.Set
	KB      *kb.Base
	Texts   *locale.Bundle
	// Version is a short hash of every content file, stored with each
	// conversation so that editors can tell which content someone saw.
	Version string
}

// ContentDirs names the three folders of a pack inside its file system.
var ContentDirs = struct{ Dialogs, Knowledge, Locales string }{"dialogs", "knowledge", "locales"}

// LoadContent loads and validates a content pack whose root holds dialogs/,
// knowledge/ and locales/. Problems come back as "file:line: message"
// strings; the Content is nil when any of them is an error that makes the
// pack unusable.
func LoadContent(fsys fs.FS) (*Content, []string) {
	var probs []string
	dset, dprobs := dialog.Load(fsys, ContentDirs.Dialogs)
	for _, p := range dprobs {
		probs = append(probs, p.String())
	}
	base, kprobs := kb.Load(fsys, ContentDirs.Knowledge)
	for _, p := range kprobs {
		probs = append(probs, p.String())
	}
	texts, lprobs := locale.Load(fsys, ContentDirs.Locales)
	for _, p := range lprobs {
		probs = append(probs, p.String())
	}
	if dset == nil || base == nil || texts == nil || len(kprobs) > 0 || len(lprobs) > 0 || hasErrors(dprobs) {
		return nil, probs
	}
	v, err := contentVersion(fsys)
	if err != nil {
		return nil, append(probs, err.Error())
	}
	return &Content{Dialogs: dset, KB: base, Texts: texts, Version: v}, probs
}

func hasErrors(ps []dialog.Problem) bool {
	for _, p := range ps {
		if p.Severity == dialog.SeverityError {
			return true
		}
	}
	return false
}

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
