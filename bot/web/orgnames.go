package web

import (
	"context"

	"github.com/yol-project/yol/bot"

	"github.com/yol-project/yol/bot/org"
)

// organisations lists who may read cases: the pack's departments (central
// and regional offices), then those admins added, retired ones included.
func (s *Server) organisations(ctx context.Context) ([]org.Organisation, error) {
	var out []org.Organisation
	for _, o := range s.Content.Load().KB.Offices() {
		if o.Kind == "central" || o.Kind == "regional" {
			out = append(out, org.Organisation{ID: o.ID, Kind: org.Department, FromPack: true})
		}
	}
	stored, err := s.Store.Organisations(ctx)
	if err != nil {
		return nil, err
	}
	return append(out, stored...), nil
}

// orgNamer returns a function that names an organisation by its id in
// lang, as staff read it everywhere (queue, filters, case, CSV); see
// OrgNames.
func (s *Server) orgNamer(ctx context.Context, lang string) (func(id string) string, error) {
	stored, err := s.Store.Organisations(ctx)
	if err != nil {
		return nil, err
	}
	names := OrgNames(s.Content.Load(), stored)
	return func(id string) string { return names(id, lang) }, nil
}

// OrgNames returns a function that names an organisation by its id in a
// language: a department of c by its office's name, one of stored by the
// name admins gave it (in the pack's source language where the language
// has none), and an id nobody knows any more as itself.
func OrgNames(c *bot.Content, stored []org.Organisation) func(id, lang string) string {
	return func(id, lang string) string {
		for _, o := range c.KB.Offices() {
			if o.ID == id {
				return c.Texts.Text(lang, o.Name, nil, nil)
			}
		}
		for _, o := range stored {
			if o.ID == id {
				return o.Name(lang, c.Texts.Source())
			}
		}
		return id
	}
}
