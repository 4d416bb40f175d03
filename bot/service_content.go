package bot

// WithContent returns a copy of the service that speaks content c instead
// of the content in use (the simulator's stored versions, issue #15): the
// same store, helper and hooks, its own content holder. The copy never
// follows a reload.
func (s *Service) WithContent(c *Content) *Service {
	d := *s
	d.Content = NewContentHolder(c)
	return &d
}
