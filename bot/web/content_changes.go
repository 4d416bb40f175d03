package web

import (
	"context"
	"fmt"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/editor"
)

// What a console draft changes against the version it was made from: the
// content page shows it to the approver (old and new, per text and
// language, escaped by the template) and a draft needs approval only when
// it changes legal text, a fact or a dialog (editor.Diff).

// versionChanges returns what version v changes against its parent; a
// version without a parent changes everything and needs approval.
func (s *Server) versionChanges(ctx context.Context, v bot.ContentVersion) (editor.Changes, error) {
	files, err := s.Store.ContentFiles(ctx, v.ID)
	if err != nil {
		return editor.Changes{}, fmt.Errorf("changes of version %d: %w", v.ID, err)
	}
	var parent map[string][]byte
	if v.Parent != 0 {
		if parent, err = s.Store.ContentFiles(ctx, v.Parent); err != nil {
			return editor.Changes{}, fmt.Errorf("changes of version %d: parent %d: %w", v.ID, v.Parent, err)
		}
	}
	return editor.Diff(parent, files), nil
}

// needsApproval reports whether version v, made by a console account
// (fromConsole), is published only after a second person approved it.
func (s *Server) needsApproval(ctx context.Context, v bot.ContentVersion, fromConsole bool) (bool, error) {
	if !fromConsole || v.ApprovedBy != "" {
		return false, nil
	}
	c, err := s.versionChanges(ctx, v)
	if err != nil {
		return false, err
	}
	return c.NeedsApproval(), nil
}

// staleFacts lists the live pack's facts verified longer ago than the
// server's StaleAge, and that age in days.
func (s *Server) staleFacts() ([]editor.StaleFact, int) {
	age := s.StaleAge
	if age <= 0 {
		age = editor.DefaultStaleAge
	}
	c := s.Content.Load()
	if c == nil {
		return nil, int(age.Hours() / 24)
	}
	return editor.Stale(c, time.Now(), age), int(age.Hours() / 24)
}
